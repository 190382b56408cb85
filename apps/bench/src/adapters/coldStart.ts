/**
 * Adapter: a Pombo application's cold start, as the cold-start figures measure it. Run as a
 * child process (`import.meta.main`) it imports `pombo`, builds the layer the environment
 * configures (`Pombo.layerConfig`), sends one text, and prints its phases and peak RSS as JSON.
 * Imported, it gives that environment and tells generated client modules apart. Everything Pombo
 * is imported dynamically so the child's clock covers it.
 */
import type { Vendor } from "./spec.ts"

/** The environment of a production start for `vendor`, pointed at `baseUrl`. */
export const environment = (vendor: Vendor, baseUrl: string): Record<string, string> => {
  switch (vendor) {
    case "megaapi":
      return {
        WHATSAPP_PROVIDER: "megaapi",
        MEGAAPI_BASE_URL: baseUrl,
        MEGAAPI_INSTANCE_KEY: "bench-instance",
        MEGAAPI_TOKEN: "bench-token"
      }
    case "zapi":
      return {
        WHATSAPP_PROVIDER: "zapi",
        ZAPI_BASE_URL: baseUrl,
        ZAPI_INSTANCE_ID: "BENCH-INSTANCE",
        ZAPI_TOKEN: "bench-token",
        ZAPI_CLIENT_TOKEN: "bench-token"
      }
    case "meta":
      return {
        WHATSAPP_PROVIDER: "meta",
        META_BASE_URL: baseUrl,
        META_ACCESS_TOKEN: "bench-token",
        META_PHONE_NUMBER_ID: "106540352242922"
      }
  }
}

/** Which vendor's generated client a loaded module URL is, if it is one. */
export const generatedClientOf = (url: string): { vendor: string; module: string } | undefined => {
  const match = /\/packages\/([^/]+)\/src\/generated\/([^/?]+)/.exec(url)
  return match === null ? undefined : { vendor: match[1]!, module: `${match[1]}/src/generated/${match[2]}` }
}

/** What the child prints: milliseconds since the process started, per phase, CPU time and peak RSS. */
export interface ColdStartReport {
  readonly bootMs: number
  readonly importMs: number
  readonly layerMs: number
  readonly sendMs: number
  /** CPU time of the whole process (user + system, all threads). */
  readonly cpuMs: number
  readonly maxRssKiB: number
}

if (import.meta.main) {
  const started = performance.now()
  const { Effect, ManagedRuntime } = await import("effect")
  const { ChatId, Pombo, WhatsApp } = await import("pombo")
  const imported = performance.now()
  const runtime = ManagedRuntime.make(Pombo.layerConfig)
  const whatsapp = await runtime.runPromise(Effect.service(WhatsApp.WhatsApp))
  const built = performance.now()
  const { to, text } = JSON.parse(process.env.BENCH_MESSAGE ?? "{}") as { to: string; text: string }
  await runtime.runPromise(Effect.flatMap(ChatId.contact(to), (chat) => whatsapp.sendText({ to: chat, text })))
  const sent = performance.now()
  const report: ColdStartReport = {
    bootMs: started,
    importMs: imported - started,
    layerMs: built - imported,
    sendMs: sent - built,
    cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    maxRssKiB: process.resourceUsage().maxRSS
  }
  process.stdout.write(JSON.stringify(report))
  process.exit(0)
}
