/**
 * Send: the same request to the same local stand-in (answering the documented response), at
 * concurrency 1 and 64, on the two HTTP clients Pombo runs on — effect's `FetchHttpClient`
 * (portable code's default) and `NodeHttpClient.layerUndici` (the Node entry points' default):
 * raw `fetch` (the floor) and raw `undici.request`, each effect client alone with that request, the
 * generated client's `sendText` (on fetch), and `WhatsApp.sendText` on each client. CPU per request
 * comes from `process.cpuUsage` (the stand-in runs in its own process, so only the client side
 * counts); throughput from wall time.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { request as undiciRequest } from "@effect/platform-node/Undici"
import { Effect, type Layer, ManagedRuntime } from "effect"
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

const names = {
  fetch: "fetch",
  undici: "undici.request",
  http: "HttpClient",
  httpUndici: "HttpClient(undici)",
  generated: "generated",
  whatsapp: "WhatsApp",
  whatsappUndici: "WhatsApp(undici)"
} as const

/** An effect HTTP client, built once for the suite. */
const httpClientOf = async (layer: Layer.Layer<HttpClient.HttpClient>) => {
  const runtime = ManagedRuntime.make(layer)
  return { layer, client: await runtime.runPromise(Effect.service(HttpClient.HttpClient)), close: runtime.dispose }
}

/** The send figures, per vendor and concurrency level. */
export const send: Suite = {
  area: "send",
  run: async ({ budget, progress, responder }) => {
    const figures: Array<Figure> = []
    const viaFetch = await httpClientOf(FetchHttpClient.layer)
    const viaUndici = await httpClientOf(NodeHttpClient.layerUndici)
    try {
      for (const vendor of vendors) {
        const server = await responder(vendor)
        const senders = await makeSenders(vendor, server.url, viaFetch.layer)
        const sendersUndici = await makeSenders(vendor, server.url, viaUndici.layer)
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
          const rawUndici = async () => {
            const response = await undiciRequest(request.url, {
              method: request.method as "POST",
              headers: request.headers,
              body: request.body
            })
            if (response.statusCode !== 200) throw new Error(`the ${vendor} stand-in answered ${response.statusCode}`)
            return response.body.json()
          }
          const effectRequest = HttpClientRequest.make(request.method as "POST")(request.url).pipe(
            HttpClientRequest.setHeaders(request.headers),
            HttpClientRequest.bodyText(request.body, request.headers["content-type"])
          )
          const viaHttpClient = (client: HttpClient.HttpClient) =>
            Effect.flatMap(client.execute(effectRequest), (response) => response.json)
          for (const c of concurrencies) {
            progress(`send: ${vendor} at concurrency ${c}`)
            const ops = c === 1 ? budget.sendsAtC1 : c * budget.sendsPerWorker
            const batch = (effect: Effect.Effect<unknown, unknown>) => (n: number) =>
              Effect.runPromise(
                Effect.forEach(Array.from({ length: n }), () => effect, { concurrency: c, discard: true })
              )
            const contestants: Array<Contestant> = [
              { name: names.fetch, ops, run: (n) => concurrently(n, c, rawFetch) },
              { name: names.undici, ops, run: (n) => concurrently(n, c, rawUndici) },
              { name: names.http, ops, run: batch(viaHttpClient(viaFetch.client)) },
              { name: names.httpUndici, ops, run: batch(viaHttpClient(viaUndici.client)) },
              { name: names.generated, ops, run: batch(senders.generated) },
              { name: names.whatsapp, ops, run: batch(senders.whatsapp) },
              { name: names.whatsappUndici, ops, run: batch(sendersUndici.whatsapp) }
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
            const ratioOf = (contestant: string, floor: string) => spread(ratios(samples, contestant, floor, "cpu"))
            const throughput = spread(ratios(samples, names.fetch, names.whatsapp, "wall"))
            const at = `${vendor} c=${c}`
            const pombo = (id: string, on: string, whatsapp: string, http: string): Array<Figure> => {
              const overFetch = ratioOf(whatsapp, names.fetch)
              const overHttp = ratioOf(whatsapp, http)
              return [
                {
                  id: `send.${vendor}.c${c}.${id}cpu`,
                  area: "send",
                  label: `${at}: CPU/request, WhatsApp.sendText on ${on} ÷ raw fetch`,
                  value: overFetch.median,
                  range: [overFetch.min, overFetch.max],
                  unit: "×",
                  goal: Goals.sendCpu,
                  detail: `${http} ÷ raw fetch ${formatNumber(ratioOf(http, names.fetch).median)}×`
                },
                {
                  id: `send.${vendor}.c${c}.${id}own`,
                  area: "send",
                  label: `${at}: CPU/request, WhatsApp.sendText on ${on} ÷ ${on} alone (Pombo's own code)`,
                  value: overHttp.median,
                  range: [overHttp.min, overHttp.max],
                  unit: "×",
                  goal: Goals.sendOverHttpClient
                }
              ]
            }
            figures.push(
              ...pombo("", "FetchHttpClient", names.whatsapp, names.http),
              ...pombo("undici.", "NodeHttpClient.layerUndici", names.whatsappUndici, names.httpUndici),
              {
                id: `send.${vendor}.c${c}.floors`,
                area: "send",
                label: `${at}: CPU/request, raw undici.request ÷ raw fetch`,
                value: ratioOf(names.undici, names.fetch).median,
                unit: "×",
                detail: `${contestants
                  .map(({ name }) => `${name} ${formatNumber(cpu[name]!)} µs`)
                  .join(" · ")}; generated ÷ HttpClient ${formatNumber(ratioOf(names.generated, names.http).median)}×`,
                values: {
                  ...Object.fromEntries(Object.entries(cpu).map(([name, us]) => [`cpuUs.${name}`, us])),
                  ...Object.fromEntries(
                    contestants.map(({ name }) => [`ratio.${name}`, ratioOf(name, names.fetch).median])
                  )
                }
              },
              {
                id: `send.${vendor}.c${c}.throughput`,
                area: "send",
                label: `${at}: sends/s, WhatsApp.sendText (FetchHttpClient) ÷ raw fetch`,
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
          await sendersUndici.close()
        }
      }
    } finally {
      await viaFetch.close()
      await viaUndici.close()
    }
    return figures
  }
}
