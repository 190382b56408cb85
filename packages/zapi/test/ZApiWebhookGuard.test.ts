/**
 * The decoder's fast path against the spec-generated schemas, which stay the truth (issue 15):
 * - the compiled guard of every webhook schema (`@pombo/core/SchemaGuard`, exact on any value)
 *   accepts exactly the payloads `Schema.decodeUnknownOption(schema, parseOptions)` decodes: held
 *   by core's `SchemaGuard.test.ts`, over every vendor's webhook schemas;
 * - decoding a payload gives the events that decoding the schema's output gives (the mappers
 *   read the payload itself, the schema's output is what the old path mapped), and a payload the
 *   schema rejects is `Unknown` with the same reason;
 * - ids are read as `WhatsAppId` reads them, whatever shortcut the reader takes;
 * - every event the decoder builds without its constructor (`WhatsAppEvent.makeTrusted`) is the
 *   value the validating schema gives back for it: encoded and decoded through
 *   `WhatsAppEvent.WhatsAppEvent`, it comes back with the same classes, keys in the same order
 *   and the same values — so no constructor check was skipped that would have failed.
 */
import { readdirSync, readFileSync } from "node:fs"
import { ChatId, WhatsAppEvent, WhatsAppId } from "@pombo/core"
import * as HttpClientRuntime from "@pombo/core/HttpClientRuntime"
import { Arbitrary, Effect, Equal, Option, Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { webhooks } from "../src/generated/ZApi.ts"
import { chatOf, contactOf } from "../src/internal/wire.ts"
import * as ZApiWebhook from "../src/ZApiWebhook.ts"

type Name = keyof typeof webhooks
type Json = Record<string, unknown>

const names = Object.keys(webhooks) as Array<Name>
const receivedAt = new Date("2025-01-02T03:04:05.000Z")
const decodeWith = (name: Name) =>
  Schema.decodeUnknownOption(webhooks[name] as Schema.Codec<unknown>, HttpClientRuntime.parseOptions)

/** Ids as Z-API sends them, so the arbitrary payloads reach the mappers, not only `Unknown`. */
const ids = [
  "5511987654321",
  "554499999999",
  "5544888888888",
  "120363019502650977-group",
  "5511987654321-1632228638",
  "120363166555745933@newsletter",
  "5511987654321-broadcast",
  "248130165817489@lid",
  "938481574354947",
  "",
  " "
]
const idKeys = new Set(["phone", "participantPhone", "connectedPhone", "participant", "senderLid", "participantLid"])

/** `count` payloads derived from the webhook's schema, half of them with realistic ids. */
const samples = (name: Name, count: number, seed: number): ReadonlyArray<Json> => {
  const generated = Effect.runSync(
    Arbitrary.sampleEffect(Arbitrary.schema(webhooks[name] as Schema.Codec<unknown>), { count, seed } as never)
  ) as ReadonlyArray<Json>
  return generated.map((payload, i) => {
    if (i % 2 === 0) return payload
    const copy: Json = { ...payload }
    for (const key of Object.keys(copy)) {
      if (idKeys.has(key) && typeof copy[key] === "string") copy[key] = ids[(i + key.length) % ids.length]
    }
    if (Array.isArray(copy.notificationParameters)) {
      copy.notificationParameters = copy.notificationParameters.map((entry, j) =>
        typeof entry === "string" ? ids[(i + j) % ids.length] : entry
      )
    }
    return copy
  })
}

/** Every path to a key inside `value` (objects only), for breaking one field. */
const paths = (value: unknown, prefix: ReadonlyArray<string> = []): Array<ReadonlyArray<string>> =>
  value !== null && typeof value === "object" && !Array.isArray(value)
    ? Object.keys(value).flatMap((key) => [[...prefix, key], ...paths((value as Json)[key], [...prefix, key])])
    : []

const broken = (payload: Json) =>
  fc
    .tuple(
      fc.constantFrom(...(paths(payload).length > 0 ? paths(payload) : [["type"]])),
      fc.oneof(
        fc.constant({ kind: "delete" as const }),
        fc.constant({ kind: "set" as const, value: null }),
        fc.constant({ kind: "set" as const, value: undefined }),
        fc.constant({ kind: "set" as const, value: Number.NaN }),
        fc.constant({ kind: "symbol" as const }),
        fc.jsonValue({ maxDepth: 2 }).map((value) => ({ kind: "set" as const, value }))
      )
    )
    .map(([path, change]) => {
      const copy = structuredClone(payload)
      let target: Json = copy
      for (const key of path.slice(0, -1)) target = target[key] as Json
      const last = path[path.length - 1] as string
      if (change.kind === "delete") delete target[last]
      else if (change.kind === "symbol") (target as Record<symbol, unknown>)[Symbol("extra")] = 1
      else target[last] = change.value
      return copy
    })

/** Equal values, where classes must match (a plain object is not a `MessageRef`) and keys must be in the same order. */
const sameValue = (a: unknown, b: unknown, path = "event"): void => {
  if (a instanceof Date || b instanceof Date) {
    expect(a instanceof Date && b instanceof Date && a.getTime() === b.getTime(), path).toBe(true)
    return
  }
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) {
    expect(Object.is(a, b), `${path}: ${String(a)} vs ${String(b)}`).toBe(true)
    return
  }
  expect(Object.getPrototypeOf(a), `${path}: class`).toBe(Object.getPrototypeOf(b))
  expect(Object.keys(a), `${path}: keys`).toEqual(Object.keys(b))
  for (const key of Object.keys(a)) sameValue((a as Json)[key], (b as Json)[key], `${path}.${key}`)
}

const withoutRaw = (events: ReadonlyArray<WhatsAppEvent.WhatsAppEvent>) =>
  events.map((event) => ({ ...event, raw: undefined, reason: event._tag === "Unknown" ? event.reason : undefined }))

const roundTrip = (event: WhatsAppEvent.WhatsAppEvent) =>
  Schema.decodeSync(WhatsAppEvent.WhatsAppEvent)(Schema.encodeUnknownSync(WhatsAppEvent.WhatsAppEvent)(event))

const realFixtures = (): ReadonlyArray<Json> => {
  const folder = new URL("./fixtures/real/", import.meta.url)
  return readdirSync(folder)
    .filter((name) => name.endsWith(".json") && name !== "expected.json")
    .map((name) => JSON.parse(readFileSync(new URL(name, folder), "utf8")) as Json)
}

describe("Z-API decoding fast path", () => {
  it("gives the events that decoding through the generated schema gives, and Unknown where the schema rejects", () => {
    for (const [n, name] of names.entries()) {
      const decode = decodeWith(name)
      for (const payload of samples(name, 16, 100 + n)) {
        const fast = ZApiWebhook.decode(payload, { receivedAt, instance: "i" })
        const decoded = decode(payload)
        expect(Option.isSome(decoded), name).toBe(true)
        const throughSchema = ZApiWebhook.decode(Option.getOrThrow(decoded), { receivedAt, instance: "i" })
        expect(withoutRaw(fast), name).toEqual(withoutRaw(throughSchema))
        for (const event of fast) expect(event.raw).toBe(payload)
        fc.assert(
          fc.property(broken(payload), (variant) => {
            if (Option.isSome(decode(variant)) || ZApiWebhook.webhookOf(variant) !== name) return
            const events = ZApiWebhook.decode(variant, { receivedAt })
            expect(events.map((event) => event._tag)).toEqual(["Unknown"])
            expect(events[0]?._tag === "Unknown" && events[0].reason).toBe(
              `a Z-API ${name} payload that does not match its documented shape`
            )
          }),
          { numRuns: 4, seed: n }
        )
      }
    }
  })

  it("builds each event exactly as the validating schema gives it back", () => {
    const payloads = [...names.flatMap((name, n) => samples(name, 16, 200 + n)), ...realFixtures()]
    let messages = 0
    for (const payload of payloads) {
      for (const event of ZApiWebhook.decode(payload, { receivedAt, instance: "i" })) {
        if (event._tag === "MessageReceived") messages++
        sameValue(event, roundTrip(event))
      }
    }
    // The arbitrary payloads reach the mappers, not only `Unknown`.
    expect(messages).toBeGreaterThan(200)
  })

  it("reads ids as WhatsAppId does, shortcuts included", () => {
    const same = (a: unknown, b: unknown) =>
      (a === undefined && b === undefined) ||
      (a !== undefined &&
        b !== undefined &&
        Object.getPrototypeOf(a) === Object.getPrototypeOf(b) &&
        Equal.equals(a, b))
    const digits = fc.stringMatching(/^\d{0,22}$/)
    const id = fc.oneof(
      digits,
      fc.constantFrom(
        ...ids,
        "BRL",
        "1000",
        "US.13491208655302741918",
        "5511987654321@s.whatsapp.net",
        " 5511987654321 "
      ),
      fc
        .tuple(digits, fc.constantFrom("-group", "@g.us", "-broadcast", "@newsletter", "@lid", ":3@c.us", "-", ""))
        .map(([n, suffix]) => n + suffix),
      fc.string()
    )
    fc.assert(
      fc.property(id, (value) => {
        const trimmed = value.trim()
        const expectedChat = /^\d{5,30}-\d{5,20}$/.test(trimmed)
          ? new ChatId.Group({ id: trimmed })
          : WhatsAppId.chat(trimmed)
        expect(same(chatOf(value), expectedChat), `chatOf(${JSON.stringify(value)})`).toBe(true)
        expect(same(contactOf(value), WhatsAppId.contact(value)), `contactOf(${JSON.stringify(value)})`).toBe(true)
      }),
      { numRuns: 2000 }
    )
  })
})
