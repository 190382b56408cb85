/**
 * The decoder's fast path against the generated schemas (issue 15). `MegaApiWebhook.decoder`
 * checks payloads with compiled guards (`@pombo/core/SchemaGuard` with JSON input; core's
 * `SchemaGuard.test.ts` holds every guard to its schema's decoder) and reads the payload itself;
 * `MegaApiWebhook.decoderBySchemas` decodes every part with Effect Schema's decoder of the same
 * generated schemas. For arbitrary payloads derived from those schemas — optional fields left out
 * or `null`, values of the wrong type, unexpected keys, other content kinds — both give the same
 * events.
 *
 * The fast path builds its events with `WhatsAppEvent.makeTrusted` (no constructor check), the
 * reference path with the classes' validating constructors. So "the same events" is checked
 * strictly: the same classes at every depth, the same keys in the same order (a field the
 * constructor keeps as an own `undefined` is absent from a trusted event, which is the only
 * difference allowed), the same values — and every fast event is what the validating
 * `WhatsAppEvent` schema gives back when it is encoded and decoded again.
 */
import { readdirSync, readFileSync } from "node:fs"
import { loadSpec, specPath } from "@pombo/codegen/Spec"
import { deref, operationsOf } from "@pombo/codegen/SpecCheck"
import { WhatsAppEvent } from "@pombo/core"
import { Schema, SchemaAST } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Generated from "../src/generated/MegaApi.ts"
import * as MegaApiWebhook from "../src/MegaApiWebhook.ts"

type Json = Record<string, unknown>

/** Values a schema admits (and, through unions and optional keys, the ways it admits them). */
const arbitraryOf = (ast: SchemaAST.AST, depth = 0): fc.Arbitrary<unknown> => {
  const json = fc.jsonValue({ maxDepth: 2 })
  if (depth > 10) return json
  switch (ast._tag) {
    case "Null":
      return fc.constant(null)
    case "String":
      return fc.oneof(fc.constantFrom("", "5511987654321@s.whatsapp.net", "ABC123"), fc.string({ maxLength: 8 }))
    case "Number":
      // A checked number (an integer, a latitude…) is a small integer, so it fits; mutations break it.
      return ast.checks === undefined
        ? fc.oneof(fc.integer({ min: -5, max: 2_000_000_000 }), fc.double({ noNaN: true, noDefaultInfinity: true }))
        : fc.integer({ min: 0, max: 90 })
    case "Boolean":
      return fc.boolean()
    case "Literal":
      return fc.constant(ast.literal)
    case "Union":
      return fc.oneof(...ast.types.map((member) => arbitraryOf(member, depth)))
    case "Arrays":
      return fc.array(ast.rest[0] === undefined ? json : arbitraryOf(ast.rest[0], depth + 1), { maxLength: 3 })
    case "Suspend":
      return arbitraryOf(ast.thunk(), depth)
    case "Objects": {
      const fields = Object.fromEntries(
        ast.propertySignatures.map((ps) => [String(ps.name), arbitraryOf(ps.type, depth + 1)])
      )
      const requiredKeys = ast.propertySignatures
        .filter((ps) => !SchemaAST.isOptional(ps.type))
        .map((ps) => String(ps.name))
      const record = fc.record(fields, { requiredKeys })
      if (ast.indexSignatures.length === 0) return record
      return fc
        .tuple(record, fc.dictionary(fc.constantFrom("extra", "isGroup", "verifiedBizName"), json, { maxKeys: 2 }))
        .map(([declared, rest]) => ({ ...rest, ...declared }))
    }
    default:
      return json
  }
}

/** `value` as `JSON.parse` would give it to the decoder: array holes become `null`, `-0` becomes `0`. */
const asJson = (value: unknown): unknown => (value === undefined ? null : JSON.parse(JSON.stringify(value)))

/** `value` with one part changed: deleted, `null`, another JSON value, or an unexpected key added. */
const mutated = (input: unknown): fc.Arbitrary<unknown> => {
  const value = asJson(input)
  const paths: Array<ReadonlyArray<string | number>> = []
  const walk = (node: unknown, path: ReadonlyArray<string | number>) => {
    paths.push(path)
    if (typeof node === "object" && node !== null) {
      for (const [key, child] of Object.entries(node)) walk(child, [...path, Array.isArray(node) ? Number(key) : key])
    }
  }
  walk(value, [])
  return fc
    .tuple(
      fc.constantFrom(...paths),
      fc.constantFrom("delete", "null", "replace", "add"),
      fc.jsonValue({ maxDepth: 1 })
    )
    .map(([path, how, replacement]) => {
      const copy = asJson(value)
      if (path.length === 0) return how === "replace" ? replacement : copy
      let parent: unknown = copy
      for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[key]
      const target = parent as Record<string | number, unknown>
      const key = path.at(-1)!
      if (how === "delete") delete target[key]
      else if (how === "null") target[key] = null
      else if (how === "replace") target[key] = replacement
      else if (typeof target[key] === "object" && target[key] !== null) (target[key] as Json).unexpected = replacement
      return copy
    })
}

/** `base`, and `base` changed once or twice, as JSON. */
const withMutations = (base: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc.oneof(base, base.chain(mutated), base.chain(mutated).chain(mutated)).map(asJson)

const document = await loadSpec(specPath("megaapi"))
const documented: ReadonlyArray<unknown> = operationsOf(document)
  .filter((op) => op.kind === "webhook")
  .flatMap((op) =>
    Object.values<unknown>(deref(document, op.operation.requestBody)?.content?.["application/json"]?.examples ?? {})
  )
  .map((example) => (deref(document, example) as { value: unknown }).value)
const fixtures = new URL("./fixtures/real/", import.meta.url)
const recorded: ReadonlyArray<unknown> = readdirSync(fixtures)
  .filter((name) => name.endsWith(".json") && name !== "expected.json")
  .map((name) => JSON.parse(readFileSync(new URL(name, fixtures), "utf8")))
const seeds = [...documented, ...recorded]

const receivedAt = new Date("2026-11-29T12:00:00.000Z")

/** The own keys of `value` that hold something (a constructor keeps an absent optional field as `undefined`). */
const definedKeys = (value: object) => Object.keys(value).filter((key) => (value as Json)[key] !== undefined)

/** Equal values: the same classes at every depth, the same defined keys in the same order, the same leaves. */
const sameValue = (a: unknown, b: unknown, path = "event"): void => {
  if (a instanceof Date || b instanceof Date) {
    expect(a instanceof Date && b instanceof Date && Object.is(a.getTime(), b.getTime()), path).toBe(true)
    return
  }
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) {
    expect(Object.is(a, b), `${path}: ${String(a)} vs ${String(b)}`).toBe(true)
    return
  }
  expect(Object.getPrototypeOf(a), `${path}: class`).toBe(Object.getPrototypeOf(b))
  expect(definedKeys(a), `${path}: keys`).toEqual(definedKeys(b))
  for (const key of definedKeys(a)) sameValue((a as Json)[key], (b as Json)[key], `${path}.${key}`)
}

const roundTrip = (event: WhatsAppEvent.WhatsAppEvent) =>
  Schema.decodeSync(WhatsAppEvent.WhatsAppEvent)(Schema.encodeUnknownSync(WhatsAppEvent.WhatsAppEvent)(event))

/**
 * Decodes `payload` both ways and checks they agree (see the module doc); the events keep the
 * payload itself as `raw`. Returns the fast path's events.
 */
const decodeBoth = (payload: unknown): ReadonlyArray<WhatsAppEvent.WhatsAppEvent> => {
  const fast = MegaApiWebhook.decoder.decode(payload, { receivedAt, instance: "megaapi-Receiver" })
  const reference = MegaApiWebhook.decoderBySchemas.decode(payload, { receivedAt, instance: "megaapi-Receiver" })
  expect(fast.length).toBe(reference.length)
  fast.forEach((event, i) => {
    sameValue(event, reference[i], `${event._tag}`)
    sameValue(event, roundTrip(event), `${event._tag} (validated)`)
    expect(event.raw).toBe(payload)
  })
  return fast
}

describe("Mega-API fast decoding", () => {
  it("gives the events decoding through the generated schemas gives, for every documented and recorded payload as it is", () => {
    // The docs' JIDs as they are (legacy 12-digit Brazilian mobiles) and written canonically.
    const canonical = seeds.map((seed) => JSON.parse(JSON.stringify(seed).replace(/"55(\d\d)(\d{8})@/g, '"55$19$2@')))
    const tags = [...seeds, ...canonical].flatMap((payload) => decodeBoth(payload).map((event) => event._tag))
    expect(new Set(tags)).toEqual(new Set(["MessageReceived", "ConnectionUpdate", "MessageStatus", "Unknown"]))
    expect(tags.filter((tag) => tag === "MessageReceived").length).toBeGreaterThanOrEqual(30)
  })

  it("gives the events decoding through the generated schemas gives, for payloads derived from every webhook schema", () => {
    // JIDs of every kind in the key, so that the derived messages reach the event builders.
    const jids = fc.constantFrom(
      "5511987654321@s.whatsapp.net",
      "556199999998@s.whatsapp.net",
      "120363019502650977@g.us",
      "status@broadcast",
      "120363166555745933@newsletter",
      "248130165817489@lid"
    )
    const withJids = (schema: Schema.Top) =>
      fc.tuple(arbitraryOf(schema.ast), jids, jids).map(([payload, chat, participant]) => {
        const key = (payload as Json).key
        if (typeof key !== "object" || key === null) return payload
        return { ...(payload as Json), key: { ...key, remoteJid: chat, participant } }
      })
    const tags = new Map<string, number>()
    for (const [name, schema] of Object.entries(Generated.webhooks)) {
      fc.assert(
        fc.property(withMutations(fc.oneof(arbitraryOf(schema.ast), withJids(schema))), (payload) => {
          for (const event of decodeBoth(payload)) tags.set(event._tag, (tags.get(event._tag) ?? 0) + 1)
        }),
        { numRuns: 25, seed: name.length }
      )
    }
    // The derived payloads reach the mappers, not only `Unknown`.
    expect(tags.get("MessageReceived")).toBeGreaterThan(50)
    expect(tags.get("ConnectionUpdate")).toBeGreaterThan(10)
  })

  it("gives the events decoding through the generated schemas gives, for documented and recorded payloads changed anywhere", () => {
    fc.assert(
      fc.property(withMutations(fc.constantFrom(...seeds)), (payload) => {
        decodeBoth(payload)
      }),
      { numRuns: 600 }
    )
  })

  it("gives the same events for every Baileys content kind, derived from its schema, in a documented envelope", () => {
    const [envelope] = documented as ReadonlyArray<Json>
    const kinds = Object.entries(MegaApiWebhook.contentKinds).map(([kind, schema]) =>
      fc.tuple(fc.constant(kind), withMutations(arbitraryOf(schema.ast)), fc.boolean())
    )
    let messages = 0
    fc.assert(
      fc.property(fc.oneof(...kinds), ([kind, content, asModelled]) => {
        const modelled = Object.values(MegaApiWebhook.messageWebhooks).includes(kind as never)
        const payload = {
          ...envelope,
          messageType: asModelled && !modelled ? "messageContextInfo" : kind,
          message: { [kind]: content, messageContextInfo: {} }
        }
        if (decodeBoth(payload)[0]?._tag === "MessageReceived") messages++
      }),
      { numRuns: 600 }
    )
    expect(messages).toBeGreaterThan(200)
  })
})
