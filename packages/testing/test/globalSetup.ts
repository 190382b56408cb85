/**
 * Starts one Prism mock per vendor for the whole test run and hands their URLs to the tests
 * (`inject("mockUrls")`), so the contract suites share three servers instead of starting their own.
 */
import type { TestProject } from "vitest/node"
import { MockWhatsApp, PrismServer } from "../src/index.ts"

declare module "vitest" {
  export interface ProvidedContext {
    mockUrls: { megaapi: string; zapi: string; meta: string }
  }
}

export default async function setup(project: TestProject) {
  const megaapi = await PrismServer.start(MockWhatsApp.specPaths.megaapi)
  const zapi = await PrismServer.start(MockWhatsApp.specPaths.zapi)
  const meta = await PrismServer.start(MockWhatsApp.specPaths.meta)
  project.provide("mockUrls", { megaapi: megaapi.url, zapi: zapi.url, meta: meta.url })
  return async () => {
    await Promise.all([megaapi.close(), zapi.close(), meta.close()])
  }
}
