/**
 * Send: the same request to the same local stand-in (answering the documented response), four
 * ways — raw `fetch` (the floor), effect's HTTP client (what Pombo sends with), the generated
 * client, and `WhatsApp.sendText` — at concurrency 1 and 64. CPU per request comes from
 * `process.cpuUsage` (the stand-in runs in its own process, so only the client side counts);
 * throughput from wall time.
 */
import { Effect, ManagedRuntime } from "effect"
import { FetchHttpClient, HttpClient, HttpClientRequest } from "effect/http"
import { makeSenders } from "../adapters/send.ts"
import { vendors } from "../adapters/spec.ts"
import { type Figure, formatNumber } from "../Figure.ts"
import * as Goals from "../Goals.ts"
import { type Contestant, concurrently, costs, interleave, median, ratios, spread } from "../Harness.ts"
import { replayable } from "../Responders.ts"
import type { Suite } from "../Suite.ts"

/** The concurrency levels of the goals table. */
export const concurrencies = [1, 64] as const

const names = { fetch: "fetch", http: "HttpClient", generated: "generated", whatsapp: "WhatsApp" } as const

/** The send figures, per vendor and concurrency level. */
export const send: Suite = {
  area: "send",
  run: async ({ budget, progress, responder }) => {
    const figures: Array<Figure> = []
    const http = ManagedRuntime.make(FetchHttpClient.layer)
    const client = await http.runPromise(Effect.service(HttpClient.HttpClient))
    try {
      for (const vendor of vendors) {
        const server = await responder(vendor)
        const senders = await makeSenders(vendor, server.url)
        try {
          // Pombo's request, sent once: what every other contestant sends too.
          await Effect.runPromise(senders.whatsapp)
          const request = replayable(server.url, await server.lastRequest())
          const rawFetch = async () => {
            const response = await fetch(request.url, {
              method: request.method,
              headers: request.headers,
              body: request.body
            })
            if (!response.ok) throw new Error(`the ${vendor} stand-in answered ${response.status}`)
            return response.json()
          }
          const viaHttpClient = Effect.flatMap(
            client.execute(
              HttpClientRequest.make(request.method as "POST")(request.url).pipe(
                HttpClientRequest.setHeaders(request.headers),
                HttpClientRequest.bodyText(request.body, request.headers["content-type"])
              )
            ),
            (response) => response.json
          )
          for (const c of concurrencies) {
            progress(`send: ${vendor} at concurrency ${c}`)
            const ops = c === 1 ? budget.sendsAtC1 : c * budget.sendsPerWorker
            const batch = (effect: Effect.Effect<unknown, unknown>) => (n: number) =>
              Effect.runPromise(
                Effect.forEach(Array.from({ length: n }), () => effect, { concurrency: c, discard: true })
              )
            const contestants: Array<Contestant> = [
              { name: names.fetch, ops, run: (n) => concurrently(n, c, rawFetch) },
              { name: names.http, ops, run: batch(viaHttpClient) },
              { name: names.generated, ops, run: batch(senders.generated) },
              { name: names.whatsapp, ops, run: batch(senders.whatsapp) }
            ]
            const samples = await interleave(contestants, budget.sendRounds, {
              ms: budget.warmupMs,
              rounds: budget.sendWarmupRounds
            })
            const cpu = Object.fromEntries(
              contestants.map(({ name }) => [name, median(costs(samples, name, "cpu")) / 1000] as const)
            )
            const rate = Object.fromEntries(
              contestants.map(({ name }) => [name, 1e9 / median(costs(samples, name, "wall"))] as const)
            )
            const overFetch = spread(ratios(samples, names.whatsapp, names.fetch, "cpu"))
            const overHttp = spread(ratios(samples, names.whatsapp, names.http, "cpu"))
            const throughput = spread(ratios(samples, names.fetch, names.whatsapp, "wall"))
            const at = `${vendor} c=${c}`
            figures.push(
              {
                id: `send.${vendor}.c${c}.cpu`,
                area: "send",
                label: `${at}: CPU/request, WhatsApp.sendText ÷ raw fetch`,
                value: overFetch.median,
                range: [overFetch.min, overFetch.max],
                unit: "×",
                goal: Goals.sendCpu,
                detail: contestants.map(({ name }) => `${name} ${formatNumber(cpu[name]!)} µs`).join(" · "),
                values: {
                  ...Object.fromEntries(Object.entries(cpu).map(([name, us]) => [`cpuUs.${name}`, us])),
                  "ratio.HttpClient": median(ratios(samples, names.http, names.fetch, "cpu")),
                  "ratio.generated": median(ratios(samples, names.generated, names.fetch, "cpu"))
                }
              },
              {
                id: `send.${vendor}.c${c}.own`,
                area: "send",
                label: `${at}: CPU/request, WhatsApp.sendText ÷ effect HttpClient (Pombo's own code)`,
                value: overHttp.median,
                range: [overHttp.min, overHttp.max],
                unit: "×",
                goal: Goals.sendOverHttpClient,
                detail: `generated client ÷ HttpClient ${formatNumber(median(ratios(samples, names.generated, names.http, "cpu")))}×`
              },
              {
                id: `send.${vendor}.c${c}.throughput`,
                area: "send",
                label: `${at}: sends/s, WhatsApp.sendText ÷ raw fetch`,
                value: throughput.median,
                range: [throughput.min, throughput.max],
                unit: "×",
                detail: contestants.map(({ name }) => `${name} ${formatNumber(rate[name]!)}/s`).join(" · "),
                values: Object.fromEntries(
                  Object.entries(rate).map(([name, perSecond]) => [`perSecond.${name}`, perSecond])
                )
              }
            )
          }
        } finally {
          await senders.close()
        }
      }
    } finally {
      await http.dispose()
    }
    return figures
  }
}
