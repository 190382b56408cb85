/**
 * What a process loads: importing `pombo` loads no vendor's package, and building
 * `Pombo.layerConfig` loads the configured vendor's generated client and no other — a vendor's
 * generated client is most of the start-up time and memory. A process that only sends never loads
 * the webhook receiver either (`pombo/receiver`).
 */
import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { describe, expect, it } from "vitest"

const packageDir = fileURLToPath(new URL("..", import.meta.url))

// Records every module URL the child loads, then prints Pombo's own among them (`<package>/<path>`).
const program = (build: boolean) => `
import { registerHooks } from "node:module"
const loaded = []
registerHooks({ load: (url, context, next) => { loaded.push(url); return next(url, context) } })
const { Effect, Layer } = await import("effect")
const { Pombo } = await import("pombo")
${build ? "await Effect.runPromise(Layer.build(Pombo.layerConfig).pipe(Effect.scoped))" : ""}
const modules = loaded.flatMap((url) => /\\/packages\\/([a-z-]+)\\/src\\/(.+)$/.exec(url)?.slice(1, 3).join("/") ?? [])
console.log(JSON.stringify([...new Set(modules)].sort()))
`

const pomboModules = async (build: boolean, env: Record<string, string> = {}): Promise<Array<string>> => {
  const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", program(build)], {
    cwd: packageDir,
    env: { ...process.env, ...env }
  })
  return JSON.parse(stdout) as Array<string>
}

const vendors = /^(megaapi|zapi|meta)\//
const receiver = "core/WebhookReceiver.ts"

describe("loading", () => {
  it("importing pombo loads no vendor package and no webhook receiver", async () => {
    const modules = await pomboModules(false)
    expect(modules).toContain("core/WhatsApp.ts")
    expect(modules.filter((module) => vendors.test(module) || module === receiver)).toEqual([])
  })

  it("Pombo.layerConfig loads the configured vendor's generated client and not the other's, nor the receiver", async () => {
    const zapi = await pomboModules(true, {
      WHATSAPP_PROVIDER: "zapi",
      ZAPI_INSTANCE_ID: "I1",
      ZAPI_TOKEN: "T1",
      ZAPI_BASE_URL: "https://zapi.test"
    })
    expect(zapi).toContain("zapi/generated/ZApi.ts")
    expect(zapi.filter((module) => module.startsWith("megaapi/") || module.startsWith("meta/"))).toEqual([])
    expect(zapi).not.toContain(receiver)
  })
})
