/**
 * The recorded real-traffic payloads of each vendor (`packages/<vendor>/test/fixtures/real/`),
 * posted over real HTTP to a receiver configured for the fixtures' instance (`instance` option):
 * every payload must be answered 200 and reach the application as the events its
 * `expected.json` lists, with their key fields (chat, sender, message id, time, content, fromMe,
 * status and who, instance). A field expected `null` must be absent from the event.
 */
import { readdirSync, readFileSync } from "node:fs"
import { createServer } from "node:http"
import { NodeHttpServer } from "@effect/platform-node"
import type { WhatsAppEvent } from "@pombo/core"
import * as WebhookReceiver from "@pombo/core/WebhookReceiver"
import { MegaApiWebhook } from "@pombo/megaapi"
import { ZApiWebhook } from "@pombo/zapi"
import { Effect, Exit, Layer, Queue, Redacted, Schema, Scope } from "effect"
import { HttpRouter, HttpServer } from "effect/http"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const secret = "real-traffic-secret"

interface Expectation {
  readonly events: ReadonlyArray<Readonly<Record<string, unknown>>>
  readonly distinctEventIdFrom?: string
}
interface Fixtures {
  readonly context: { readonly instance: string }
  readonly fixtures: Readonly<Record<string, Expectation>>
}

const folderOf = (vendor: string) => new URL(`../../${vendor}/test/fixtures/real/`, import.meta.url)
const load = (vendor: string) => {
  const folder = folderOf(vendor)
  const read = (name: string) => JSON.parse(readFileSync(new URL(name, folder), "utf8"))
  const expected: Fixtures = read("expected.json")
  const payloads = readdirSync(folder)
    .filter((name) => name.endsWith(".json") && name !== "expected.json")
    .sort()
    .map((name) => ({ name, payload: read(name) as unknown }))
  return { expected, payloads }
}

const encodeEvent = Schema.encodeSync(Schema.toCodecJson(Schema.Any))

/** The event in the plain form of `expected.json`: encoded `ChatId`s, phones as digits, ISO times. */
const plain = (event: WhatsAppEvent.WhatsAppEvent): Record<string, unknown> => {
  const phoneOf = (
    p: { readonly phone?: { readonly phone: string } | undefined; readonly lid?: string | undefined } | undefined
  ) =>
    p === undefined ? undefined : { ...(p.phone ? { phone: p.phone.phone } : {}), ...(p.lid ? { lid: p.lid } : {}) }
  const base: Record<string, unknown> = {
    _tag: event._tag,
    instance: event.instance,
    timestamp: event.timestamp.toISOString()
  }
  switch (event._tag) {
    case "MessageReceived":
      return {
        ...base,
        messageId: event.message.id,
        chat: { ...event.chat },
        sender: { ...phoneOf(event.sender), ...(event.sender.name ? { name: event.sender.name } : {}) },
        fromMe: event.fromMe,
        broadcast: event.broadcast,
        quoted: event.quoted === undefined ? undefined : { chat: { ...event.quoted.chat }, id: event.quoted.id },
        content: JSON.parse(JSON.stringify(encodeEvent(event.content)))
      }
    case "MessageStatus":
      return {
        ...base,
        messageId: event.messageId,
        chat: event.chat === undefined ? undefined : { ...event.chat },
        status: event.status,
        by: event.by === "me" ? "me" : phoneOf(event.by)
      }
    case "ConnectionUpdate":
      return { ...base, state: event.state, phone: event.phone === undefined ? undefined : { ...event.phone } }
    case "GroupUpdate":
      return {
        ...base,
        group: { ...event.group },
        action: event.action,
        participants: event.participants.map(phoneOf),
        by: phoneOf(event.by)
      }
    default:
      return base
  }
}

/** Checks each expected field; `null` means absent. Nested objects compare field by field. */
const expectFields = (actual: unknown, expected: unknown, path: string) => {
  if (expected === null) {
    expect(actual, path).toBeUndefined()
    return
  }
  if (typeof expected === "object" && !Array.isArray(expected)) {
    expect(typeof actual, path).toBe("object")
    for (const [key, value] of Object.entries(expected as Record<string, unknown>)) {
      expectFields((actual as Record<string, unknown> | undefined)?.[key], value, `${path}.${key}`)
    }
    return
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), path).toBe(true)
    expect((actual as Array<unknown>).length, path).toBe(expected.length)
    for (const [i, item] of expected.entries()) expectFields((actual as Array<unknown>)[i], item, `${path}[${i}]`)
    return
  }
  expect(actual, path).toEqual(expected)
}

const vendors = [
  { vendor: "zapi", decoder: ZApiWebhook.decoder },
  { vendor: "megaapi", decoder: MegaApiWebhook.decoder }
] as const

for (const { vendor, decoder } of vendors) {
  describe(`${vendor} real-traffic fixtures, over HTTP`, () => {
    const { expected, payloads } = load(vendor)
    let baseUrl: string
    let events: Queue.Queue<WhatsAppEvent.WhatsAppEvent>
    let scope: Scope.Closeable

    beforeAll(async () => {
      scope = await Effect.runPromise(Scope.make())
      events = await Effect.runPromise(Queue.unbounded<WhatsAppEvent.WhatsAppEvent>())
      const receiver = WebhookReceiver.layer({
        decoders: [decoder],
        secret: Redacted.make(secret),
        instance: expected.context.instance,
        onEvent: (event) => Queue.offer(events, event),
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

    it("gives every payload the expected events and key fields", async () => {
      const ids = new Map<string, ReadonlyArray<string>>()
      for (const { name, payload } of payloads) {
        const response = await fetch(`${baseUrl}/webhooks/${vendor}/${secret}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(payload)
        })
        expect(response.status, name).toBe(200)
        const received = [...(await Effect.runPromise(Queue.clear(events)))]
        const wanted = expected.fixtures[name]?.events ?? []
        expect(
          received.map((event) => event._tag),
          name
        ).toEqual(wanted.map((event) => event._tag))
        received.forEach((event, i) => {
          expect(event.provider, name).toBe(vendor)
          expect(event.raw, name).toEqual(payload)
          expectFields(plain(event), wanted[i], name)
        })
        ids.set(
          name,
          received.map((event) => event.id)
        )
      }
      for (const [name, entry] of Object.entries(expected.fixtures)) {
        if (entry.distinctEventIdFrom === undefined) continue
        const other = ids.get(entry.distinctEventIdFrom) ?? []
        expect(other.length, name).toBeGreaterThan(0)
        for (const id of ids.get(name) ?? []) expect(other, name).not.toContain(id)
      }
      console.log(`${vendor}: ${payloads.length} real-traffic payloads replayed over HTTP`)
      expect(payloads.length).toBe(Object.keys(expected.fixtures).length)
    })
  })
}
