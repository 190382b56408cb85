/**
 * The decoder's fast path (issue 15) against the slow one. `MetaWebhook.decoder` builds events
 * with `WhatsAppEvent.makeTrusted` and reads each number of a payload once;
 * `MetaWebhook.decoderByConstructors` runs every validating constructor and reads every number
 * afresh with `WhatsAppId`. For payloads derived from the spec-generated webhook schemas
 * (Effect's `Arbitrary.schema`, with Meta's id forms put where ids go), for every documented
 * example, and for both broken — a key deleted, a value replaced by `null`, `undefined`, `NaN` or
 * another JSON value —:
 * - both give the same events: same classes, same fields in the same order, same values, the same
 *   `Unknown`s with the same reasons;
 * - every event the fast path builds is the value the validating schema gives back for it
 *   (encoded and decoded through `WhatsAppEvent.WhatsAppEvent`): no constructor check was skipped
 *   that would have failed.
 */
import { loadSpec, specPath } from "@pombo/codegen/Spec"
import { deref, operationsOf } from "@pombo/codegen/SpecCheck"
import { WhatsAppEvent } from "@pombo/core"
import { Arbitrary, Effect, Schema } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { webhooks } from "../src/generated/Meta.ts"
import * as MetaWebhook from "../src/MetaWebhook.ts"

type Name = keyof typeof webhooks
type Json = Record<string, unknown>

/** Every webhook example of the spec, named `<webhook>/<example>`. */
const documentedExamples = async (): Promise<ReadonlyArray<{ readonly name: string; readonly value: unknown }>> => {
  const document = await loadSpec(specPath("meta"))
  return operationsOf(document)
    .filter((op) => op.kind === "webhook")
    .flatMap((op) =>
      Object.entries<unknown>(
        deref(document, op.operation.requestBody)?.content?.["application/json"]?.examples ?? {}
      ).map(([name, example]) => ({ name: `${op.key}/${name}`, value: deref(document, example).value }))
    )
}

const names = Object.keys(webhooks) as Array<Name>
const receivedAt = new Date("2025-01-02T03:04:05.000Z")

/**
 * Meta's id forms (US and Brazilian numbers, valid, fictional and legacy; BSUIDs) and junk, put
 * where Meta puts ids, so arbitrary payloads reach the mappers and the same number recurs within
 * one payload (the fast path reads it once).
 */
const phones = ["16505551234", "15551234567", "5511987654321", "551187654321", "5544888888888", "123", "", " x "]
const bsuids = ["US.13491208655302741918", "BR.99887766", "", "not a bsuid"]
const states = ["sent", "delivered", "read", "failed", "played", "deleted"]
const phoneKeys = new Set(["from", "wa_id", "recipient_id"])
const bsuidKeys = new Set(["user_id", "from_user_id", "recipient_user_id"])

/**
 * `value` with the strings under id keys replaced by Meta's forms, chosen by `seed`: up to three
 * numbers and BSUIDs per payload, each recurring (as a batch's message, contacts and statuses
 * name the same user). Most messages get a sender and most statuses a state Meta sends.
 */
const withIds = (payload: unknown, seed: number): unknown => {
  let n = 0
  const next = <A>(values: ReadonlyArray<A>): A => values[(seed + (n++ % 3)) % values.length] as A
  const walk = (value: unknown, key: string): unknown => {
    if (Array.isArray(value)) return value.map((item) => walk(item, key))
    if (value === null || typeof value !== "object") return value
    const copy: Json = {}
    for (const [name, child] of Object.entries(value)) {
      if (phoneKeys.has(name) && typeof child === "string") copy[name] = next(phones)
      else if (bsuidKeys.has(name) && typeof child === "string") copy[name] = next(bsuids)
      else copy[name] = walk(child, name)
    }
    // The schemas leave `from` optional (username users) and `status` any string.
    if (key === "messages" && copy.from === undefined && seed % 3 !== 0) copy.from = next(phones)
    if (key === "statuses" && typeof copy.status === "string") copy.status = next(states)
    return copy
  }
  return walk(payload, "")
}

/** `count` payloads derived from the webhook's schema, most of them with Meta's id forms. */
const samples = (name: Name, count: number, seed: number): ReadonlyArray<unknown> => {
  const generated = Effect.runSync(
    Arbitrary.sampleEffect(Arbitrary.schema(webhooks[name] as Schema.Codec<unknown>), { count, seed, size: 4 })
  ) as ReadonlyArray<unknown>
  return generated.map((payload, i) => (i % 4 === 0 ? payload : withIds(payload, i)))
}

/** Every path to a value inside `value` (object keys and array indexes), for breaking one part. */
const paths = (value: unknown, prefix: ReadonlyArray<string> = []): Array<ReadonlyArray<string>> =>
  value !== null && typeof value === "object"
    ? Object.keys(value).flatMap((key) => [[...prefix, key], ...paths((value as Json)[key], [...prefix, key])])
    : []

const broken = (payload: unknown) =>
  fc
    .tuple(
      fc.constantFrom(...(paths(payload).length > 0 ? paths(payload) : [["object"]])),
      fc.oneof(
        fc.constant({ kind: "delete" as const }),
        fc.constant({ kind: "set" as const, value: null }),
        fc.constant({ kind: "set" as const, value: undefined }),
        fc.constant({ kind: "set" as const, value: Number.NaN }),
        fc.jsonValue({ maxDepth: 2 }).map((value) => ({ kind: "set" as const, value }))
      )
    )
    .map(([path, change]) => {
      const copy = structuredClone(payload) as Json
      let target: Json = copy
      for (const key of path.slice(0, -1)) target = target[key] as Json
      const last = path[path.length - 1] as string
      if (change.kind === "delete") delete target[last]
      else target[last] = change.value
      return copy
    })

/**
 * Where two values differ, or `undefined` when they are equal: the same classes (a plain object
 * is not a `MessageRef`), the same keys in the same order, the same primitives. `skipUndefined`:
 * a key whose value is `undefined` counts as absent (a constructor keeps an optional field given
 * as `undefined`; `makeTrusted` leaves it out). One `expect` per event keeps the test fast.
 */
const difference = (a: unknown, b: unknown, skipUndefined: boolean, path = "event"): string | undefined => {
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && Object.is(a.getTime(), b.getTime()) ? undefined : path
  }
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) {
    return Object.is(a, b) ? undefined : `${path}: ${String(a)} vs ${String(b)}`
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${path}: class`
  const keys = (value: object) =>
    Object.keys(value).filter((key) => !skipUndefined || (value as Json)[key] !== undefined)
  const [left, right] = [keys(a), keys(b)]
  if (left.join() !== right.join()) return `${path}: keys ${left.join()} vs ${right.join()}`
  for (const key of left) {
    const found = difference((a as Json)[key], (b as Json)[key], skipUndefined, `${path}.${key}`)
    if (found !== undefined) return found
  }
  return undefined
}

const sameEvents = (payload: unknown): ReadonlyArray<WhatsAppEvent.WhatsAppEvent> => {
  const fast = MetaWebhook.decoder.decode(payload, { receivedAt, instance: "i" })
  const slow = MetaWebhook.decoderByConstructors.decode(payload, { receivedAt, instance: "i" })
  expect(difference(fast, slow, true)).toBeUndefined()
  expect(fast.every((event) => event.raw === payload || event._tag === "Unknown")).toBe(true)
  return fast
}

const roundTrip = (event: WhatsAppEvent.WhatsAppEvent) =>
  Schema.decodeSync(WhatsAppEvent.WhatsAppEvent)(Schema.encodeUnknownSync(WhatsAppEvent.WhatsAppEvent)(event))

describe("Meta decoding fast path", () => {
  it("gives the events of the validating path for payloads derived from every webhook schema, and for them broken", () => {
    const tags = new Map<string, number>()
    for (const [n, name] of names.entries()) {
      for (const payload of samples(name, 12, n)) {
        for (const event of sameEvents(payload)) tags.set(event._tag, (tags.get(event._tag) ?? 0) + 1)
      }
      for (const payload of samples(name, 2, 100 + n)) {
        fc.assert(
          fc.property(broken(payload), (variant) => void sameEvents(variant)),
          { numRuns: 8, seed: n }
        )
      }
    }
    // The arbitrary payloads reach every mapper, not only `Unknown`.
    expect(tags.get("MessageReceived")).toBeGreaterThan(200)
    expect(tags.get("MessageStatus")).toBeGreaterThan(20)
    expect(tags.get("AccountUpdate")).toBeGreaterThan(100)
  })

  it("gives the events of the validating path for every documented example, and for each broken", async () => {
    const examples = await documentedExamples()
    expect(examples.length).toBeGreaterThan(90)
    for (const [n, example] of examples.entries()) {
      const events = sameEvents(example.value)
      expect(
        events.filter((event) => event._tag === "Unknown"),
        example.name
      ).toEqual([])
      fc.assert(
        fc.property(broken(example.value), (variant) => void sameEvents(variant)),
        { numRuns: 8, seed: n }
      )
    }
  })

  it("builds each event exactly as the validating schema gives it back", async () => {
    const payloads = [
      ...names.flatMap((name, n) => samples(name, 8, 200 + n)),
      ...(await documentedExamples()).map((example) => example.value)
    ]
    let messages = 0
    for (const payload of payloads) {
      for (const event of MetaWebhook.decode(payload, { receivedAt })) {
        if (event._tag === "MessageReceived") messages++
        expect(difference(event, roundTrip(event), false)).toBeUndefined()
      }
    }
    expect(messages).toBeGreaterThan(150)
  })
})
