/**
 * A Pombo application's cold start: imports `pombo`, builds the layer the environment configures
 * (`Pombo.layerConfig`), sends one text (`BENCH_MESSAGE`) and prints its phases, CPU time and peak
 * RSS as JSON. The bench runs it as JavaScript from a directory whose `node_modules/pombo` is the
 * installed tarball or the workspace sources (`adapters/coldStart.ts`), so it imports only
 * packages, and types. Everything is imported dynamically so the clock covers it.
 */
import type { ColdStartReport } from "../adapters/coldStart.ts"

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
const cpu = process.cpuUsage()
const report: ColdStartReport = {
  bootMs: started,
  importMs: imported - started,
  layerMs: built - imported,
  sendMs: sent - built,
  cpuMs: (cpu.user + cpu.system) / 1000,
  maxRssKiB: process.resourceUsage().maxRSS
}
process.stdout.write(JSON.stringify(report))
process.exit(0)
