/**
 * What a process loads: importing `pombo` or `pombo/promise` loads no vendor's package, and
 * building `Pombo.layerConfig` (or `createWhatsApp`) loads the configured vendor's generated client
 * and no other — a vendor's generated client is most of the start-up time and memory.
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

// Records every module URL the child loads while running \`code\`, then prints the vendor packages among them.
const program = (code: string) => `
import { registerHooks } from "node:module"
const loaded = []
registerHooks({ load: (url, context, next) => { loaded.push(url); return next(url, context) } })
${code}
const vendors = loaded.flatMap((url) => /\\/packages\\/(megaapi|zapi)\\/src\\/(.+)$/.exec(url)?.slice(1, 3).join("/") ?? [])
console.log(JSON.stringify([...new Set(vendors)].sort()))
`

const vendorModules = async (code: string, env: Record<string, string> = {}): Promise<Array<string>> => {
  const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", program(code)], {
    cwd: packageDir,
    env: { ...process.env, ...env }
  })
  return JSON.parse(stdout) as Array<string>
}

describe("loading", () => {
  it("importing pombo loads no vendor package", async () => {
    expect(await vendorModules(layerConfig)).toEqual([])
  })

  it("importing pombo/promise loads no vendor package", async () => {
    expect(await vendorModules(`await import("pombo/promise")`)).toEqual([])
  })

  it("Pombo.layerConfig loads the configured vendor's generated client and not the other's", async () => {
    const zapi = await vendorModules(
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
    expect(zapi.filter((module) => module.startsWith("megaapi/"))).toEqual([])
  })

  it("createWhatsApp loads the configured vendor's generated client and not the other's", async () => {
    const megaapi = await vendorModules(`
const { createWhatsApp } = await import("pombo/promise")
const whatsapp = await createWhatsApp({ provider: "megaapi", instanceKey: "K1", token: "T1", baseUrl: "https://megaapi.test" })
await whatsapp.close()`)
    expect(megaapi).toContain("megaapi/generated/MegaApi.ts")
    expect(megaapi.filter((module) => module.startsWith("zapi/"))).toEqual([])
  })
})
