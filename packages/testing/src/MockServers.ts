/**
 * Every vendor's Prism mock at once, on fixed local ports: what `pombo mock` (and `pnpm mock`)
 * runs for trying Pombo, or any client, without credentials. Each validates requests against its
 * vendor's document from `@pombo/openapi` and answers the documented examples. Loads no provider.
 */
import { specPath } from "@pombo/openapi"
import * as PrismServer from "./PrismServer.ts"

/** A vendor with a mock. */
export type Vendor = "megaapi" | "zapi" | "meta"

/** The vendors, in the order the mocks are listed. */
export const vendors: ReadonlyArray<Vendor> = ["megaapi", "zapi", "meta"]

/** Where each mock listens unless told otherwise. */
export const defaultPorts: Readonly<Record<Vendor, number>> = { megaapi: 4010, zapi: 4020, meta: 4030 }

/** Placeholder credentials the mocks accept (Prism checks that they are present and well-formed, not their value). */
export const credentials = {
  megaapi: { instanceKey: "mock-instance", token: "mock-token" },
  zapi: { instanceId: "MOCK-INSTANCE", token: "MOCK-TOKEN", clientToken: "mock-client-token" },
  meta: { accessToken: "EAAmockaccesstoken", phoneNumberId: "106540352242922", wabaId: "102290129340398" }
} as const

/** The running mocks. */
export interface MockServers {
  /** Each vendor's base URL, e.g. `http://127.0.0.1:4020`. */
  readonly urls: Readonly<Record<Vendor, string>>
  /** Stops every mock. */
  readonly close: () => Promise<void>
}

/**
 * Starts every vendor's mock on `127.0.0.1` (`ports`: by vendor, 0 for any free port; default
 * `defaultPorts`). If one cannot start (its port is taken), those already started are stopped.
 */
export const start = async (ports: Partial<Record<Vendor, number>> = {}): Promise<MockServers> => {
  const started: Array<readonly [Vendor, PrismServer.PrismServer]> = []
  const close = () => Promise.all(started.map(([, server]) => server.close())).then(() => undefined)
  try {
    for (const vendor of vendors) {
      started.push([vendor, await PrismServer.start(specPath(vendor), { port: ports[vendor] ?? defaultPorts[vendor] })])
    }
  } catch (error) {
    await close()
    throw error
  }
  return {
    urls: Object.fromEntries(started.map(([vendor, server]) => [vendor, server.url])) as Record<Vendor, string>,
    close
  }
}
