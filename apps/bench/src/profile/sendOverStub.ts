/**
 * Pombo's own cost per send, without the network: `WhatsApp.sendText` and the stub exchange alone
 * (`HttpClient.execute` + `response.json`) against an `HttpClient` that answers the documented
 * response at once, interleaved, as µs of CPU per send. Run under `node --cpu-prof` to see where
 * Pombo's time goes:
 *
 *   node --expose-gc --cpu-prof --cpu-prof-dir=/tmp/prof apps/bench/src/profile/sendOverStub.ts megaapi 64
 */
import { Effect, Layer } from "effect"
import { HttpClient, HttpClientRequest, HttpClientResponse } from "effect/http"
import { makeSenders, operationIds } from "../adapters/send.ts"
import { documentedResponse, type Vendor } from "../adapters/spec.ts"
import { concurrently, costs, interleave, median } from "../Harness.ts"

const vendor = (process.argv[2] ?? "megaapi") as Vendor
const concurrency = Number(process.argv[3] ?? 64)
const rounds = Number(process.argv[4] ?? 20)
const body = JSON.stringify(await documentedResponse(vendor, operationIds[vendor]))
const headers = { "content-type": "application/json" }

const stub = HttpClient.make((request) =>
  Effect.succeed(HttpClientResponse.fromWeb(request, new Response(body, { status: 200, headers })))
)
const senders = await makeSenders(vendor, "http://stub.invalid", Layer.succeed(HttpClient.HttpClient, stub))
const alone = Effect.flatMap(
  stub.execute(HttpClientRequest.post("http://stub.invalid/send")),
  (response) => response.json
)
const batch = (effect: Effect.Effect<unknown, unknown>) => (n: number) =>
  Effect.runPromise(Effect.forEach(Array.from({ length: n }), () => effect, { concurrency, discard: true }))
const ops = concurrency * 20
const samples = await interleave(
  [
    { name: "stub", ops, run: batch(alone) },
    { name: "WhatsApp", ops, run: batch(senders.whatsapp) },
    { name: "noop", ops, run: (n) => concurrently(n, concurrency, async () => undefined) }
  ],
  rounds,
  { ms: 2000, rounds: 5 }
)
const us = (name: string) => median(costs(samples, name, "cpu")) / 1000
console.log(
  `${vendor} c=${concurrency}: stub exchange ${us("stub").toFixed(1)} µs, WhatsApp.sendText ${us("WhatsApp").toFixed(1)} µs, Pombo's own ${(us("WhatsApp") - us("stub")).toFixed(1)} µs`
)
await senders.close()
