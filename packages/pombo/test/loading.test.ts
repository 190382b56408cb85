/**
 * What a process loads: importing `pombo` or `pombo/promise` loads no vendor's package, and
 * building `Pombo.layerConfig` (or `createWhatsApp`) loads the configured vendor's generated client
 * and no other — a vendor's generated client is most of the start-up time and memory. A process
 * that only sends never loads the webhook receiver either (`pombo/receiver`).
 */
import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { describe, expect, it } from "vitest"

const packageDir = fileURLToPath(new URL("..", import.meta.url))

const layerConfig = `
const { Effect, Layer } = await import("effect")
const { Pombo } = await import("pombo")
`

// Records every module URL the child loads while running \`code\`, then prints Pombo's own among them (`<package>/<path>`).
const program = (code: string) => `
import { registerHooks } from "node:module"
const loaded = []
registerHooks({ load: (url, context, next) => { loaded.push(url); return next(url, context) } })
${code}
const modules = loaded.flatMap((url) => /\\/packages\\/([a-z-]+)\\/src\\/(.+)$/.exec(url)?.slice(1, 3).join("/") ?? [])
console.log(JSON.stringify([...new Set(modules)].sort()))
`

const pomboModules = async (code: string, env: Record<string, string> = {}): Promise<Array<string>> => {
  const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", program(code)], {
    cwd: packageDir,
    env: { ...process.env, ...env }
  })
  return JSON.parse(stdout) as Array<string>
}

const vendors = /^(megaapi|zapi|meta)\//
const receiver = "core/WebhookReceiver.ts"
/** The vendor packages and the webhook receiver among `modules`. */
const unwanted = (modules: ReadonlyArray<string>) =>
  modules.filter((module) => vendors.test(module) || module === receiver)

describe("loading", () => {
  it("importing pombo loads no vendor package and no webhook receiver", async () => {
    const modules = await pomboModules(layerConfig)
    expect(modules).toContain("core/WhatsApp.ts")
    expect(unwanted(modules)).toEqual([])
  })

  it("importing pombo/promise loads no vendor package", async () => {
    const modules = await pomboModules(`await import("pombo/promise")`)
    expect(modules.filter((module) => vendors.test(module))).toEqual([])
  })

  it("Pombo.layerConfig loads the configured vendor's generated client and not the other's, nor the receiver", async () => {
    const zapi = await pomboModules(
      `${layerConfig}
await Effect.runPromise(Layer.build(Pombo.layerConfig).pipe(Effect.scoped))`,
      {
        WHATSAPP_PROVIDER: "zapi",
        ZAPI_INSTANCE_ID: "I1",
        ZAPI_TOKEN: "T1",
        ZAPI_BASE_URL: "https://zapi.test"
      }
    )
    expect(zapi).toContain("zapi/generated/ZApi.ts")
    expect(zapi.filter((module) => module.startsWith("megaapi/") || module.startsWith("meta/"))).toEqual([])
    expect(zapi).not.toContain(receiver)
  })

  it("createWhatsApp loads the configured vendor's generated client and not the other's", async () => {
    const megaapi = await pomboModules(`
const { createWhatsApp } = await import("pombo/promise")
const whatsapp = await createWhatsApp({ provider: "megaapi", instanceKey: "K1", token: "T1", baseUrl: "https://megaapi.test" })
await whatsapp.close()`)
    expect(megaapi).toContain("megaapi/generated/MegaApi.ts")
    expect(megaapi.filter((module) => module.startsWith("zapi/") || module.startsWith("meta/"))).toEqual([])
  })
})
