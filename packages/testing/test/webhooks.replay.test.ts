/**
 * Every inbound webhook example documented in both specs, posted over real HTTP to the webhook
 * receiver mounted with both vendors' decoders (auto-detection and per-vendor routes): each must
 * be answered 200 and reach the application as a specific event, never `Unknown`. The fixtures
 * come from the specs, so a new documented example is a new case here.
 */
import { createServer } from "node:http"
import { NodeHttpServer } from "@effect/platform-node"
import { loadSpec, specPath, type Vendor } from "@pombo/codegen/Spec"
import { deref, operationsOf } from "@pombo/codegen/SpecCheck"
import type { WhatsAppEvent } from "@pombo/core"
import * as WebhookReceiver from "@pombo/core/WebhookReceiver"
import { MegaApiWebhook } from "@pombo/megaapi"
import { ZApiWebhook } from "@pombo/zapi"
import { Effect, Exit, Layer, Queue, Redacted, Scope } from "effect"
import { HttpRouter, HttpServer } from "effect/http"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const secret = "replay-secret"

interface Example {
  readonly vendor: Vendor
  readonly webhook: string
  readonly name: string
  readonly value: unknown
}

const examplesOf = async (vendor: Vendor): Promise<Array<Example>> => {
  const document = await loadSpec(specPath(vendor))
  return operationsOf(document)
    .filter((op) => op.kind === "webhook")
    .flatMap((op) => {
      const examples = deref(document, op.operation.requestBody)?.content?.["application/json"]?.examples ?? {}
      return Object.entries<any>(examples).map(([name, example]) => ({
        vendor,
        webhook: op.key,
        name,
        value: deref(document, example).value
      }))
    })
}

/** A dedupe store that lets every delivery through. */
const everyDelivery: WebhookReceiver.DedupeStore = {
  claim: () => Effect.succeed("fresh"),
  commit: () => Effect.void,
  release: () => Effect.void
}

let baseUrl: string
let events: Queue.Queue<WhatsAppEvent.WhatsAppEvent>
let scope: Scope.Closeable
const examples: Array<Example> = []

beforeAll(async () => {
  examples.push(...(await examplesOf("megaapi")), ...(await examplesOf("zapi")))
  scope = await Effect.runPromise(Scope.make())
  events = await Effect.runPromise(Queue.unbounded<WhatsAppEvent.WhatsAppEvent>())
  const receiver = WebhookReceiver.layer({
    decoders: [MegaApiWebhook.decoder, ZApiWebhook.decoder],
    secret: Redacted.make(secret),
    onEvent: (event) => Queue.offer(events, event),
    // Several documented examples reuse one placeholder message id; each must still arrive, so
    // this receiver dedupes nothing (this suite is about decoding; dedupe has its own tests).
    dedupeStore: everyDelivery,
    accessLog: false
  })
  const context = await Effect.runPromise(
    Layer.buildWithScope(
      HttpRouter.serve(receiver, { disableListenLog: true }).pipe(
        Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" }))
      ),
      scope
    )
  )
  baseUrl = await Effect.runPromise(
    HttpServer.addressFormattedWith(Effect.succeed).pipe(Effect.provideContext(context))
  )
})

afterAll(async () => {
  await Effect.runPromise(Scope.close(scope, Exit.void))
})

/**
 * Posts `body` and collects every event the application received for it: the receiver answers
 * only after the handler ran for each of them, so they are all in the queue by then, and none of
 * another call's.
 */
const post = async (path: string, body: unknown) => {
  const response = await fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body)
  })
  expect(response.status).toBe(200)
  const received = [...(await Effect.runPromise(Queue.clear(events)))]
  expect(received.length).toBeGreaterThan(0)
  return received
}

describe("every documented webhook example, over HTTP", () => {
  it("reaches the application as a specific event through the auto-detecting route", async () => {
    const counts = new Map<string, number>()
    const unknown: Array<string> = []
    for (const example of examples) {
      const received = await post(`/webhooks/${secret}`, example.value)
      for (const event of received) {
        if (event._tag === "Unknown")
          unknown.push(`${example.vendor} ${example.webhook}/${example.name}: ${event.reason}`)
        expect(event.raw).toEqual(example.value)
        const kind = `${example.vendor} ${event._tag}${event._tag === "MessageReceived" ? `/${event.content._tag}` : ""}`
        counts.set(kind, (counts.get(kind) ?? 0) + 1)
      }
    }
    expect(unknown).toEqual([])
    console.log(
      `${examples.length} documented webhook examples replayed over HTTP:\n` +
        [...counts.entries()]
          .sort()
          .map(([kind, n]) => `  ${kind}: ${n}`)
          .join("\n")
    )
    expect(examples.filter((e) => e.vendor === "megaapi").length).toBeGreaterThan(10)
    expect(examples.filter((e) => e.vendor === "zapi").length).toBeGreaterThan(40)
  })

  it("is decoded by the vendor's own route as that vendor's event", async () => {
    for (const example of examples) {
      const received = await post(`/webhooks/${example.vendor}/${secret}`, example.value)
      expect(received.every((event) => event.provider === example.vendor && event._tag !== "Unknown")).toBe(true)
    }
  })

  it("refuses a documented example posted without the secret", async () => {
    const response = await fetch(`${baseUrl}/webhooks/zapi/wrong-secret`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(examples.find((e) => e.vendor === "zapi")?.value)
    })
    expect(response.status).toBe(401)
  })
})

describe("payloads nested deeper than a recursive walk can go", () => {
  it("each reaches the application under its own id, and only its redelivery is dropped", async () => {
    const depth = 50_000
    const nested = (leaf: string) => `${'{"a":'.repeat(depth)}"${leaf}"${"}".repeat(depth)}`
    const received: Array<WhatsAppEvent.WhatsAppEvent> = []
    const deepScope = await Effect.runPromise(Scope.make())
    try {
      // The default in-memory dedupe: a shared id would drop the second payload as a redelivery.
      const receiver = WebhookReceiver.layer({
        decoders: [MegaApiWebhook.decoder, ZApiWebhook.decoder],
        secret: Redacted.make(secret),
        onEvent: (event) => Effect.sync(() => received.push(event)),
        accessLog: false
      })
      const context = await Effect.runPromise(
        Layer.buildWithScope(
          HttpRouter.serve(receiver, { disableListenLog: true }).pipe(
            Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" }))
          ),
          deepScope
        )
      )
      const url = await Effect.runPromise(
        HttpServer.addressFormattedWith(Effect.succeed).pipe(Effect.provideContext(context))
      )
      for (const vendor of ["megaapi", "zapi"] as const) {
        for (const leaf of ["one", "two", "one"]) {
          const response = await fetch(`${url}/webhooks/${vendor}/${secret}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: nested(`${vendor}-${leaf}`)
          })
          expect(response.status).toBe(200)
        }
      }
    } finally {
      await Effect.runPromise(Scope.close(deepScope, Exit.void))
    }
    expect(received.map((event) => [event.provider, event._tag])).toEqual([
      ["megaapi", "Unknown"],
      ["megaapi", "Unknown"],
      ["zapi", "Unknown"],
      ["zapi", "Unknown"]
    ])
    expect(new Set(received.map((event) => event.id)).size).toBe(4)
  })
})
