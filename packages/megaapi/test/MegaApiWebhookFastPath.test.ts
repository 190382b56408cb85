/**
 * The decoder's fast path against the generated schemas (issue 15). `MegaApiWebhook.decoder`
 * checks payloads with compiled guards (`@pombo/core/SchemaGuard` with JSON input; core's
 * `SchemaGuard.test.ts` holds every guard to its schema's decoder) and reads the payload itself;
 * `MegaApiWebhook.decoderBySchemas` decodes every part with Effect Schema's decoder of the same
 * generated schemas. For arbitrary payloads derived from those schemas — optional fields left out
 * or `null`, values of the wrong type, unexpected keys, other content kinds — both give the same
 * events.
 */
import { readdirSync, readFileSync } from "node:fs"
import { loadSpec, specPath } from "@pombo/codegen/Spec"
import { deref, operationsOf } from "@pombo/codegen/SpecCheck"
import { SchemaAST } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
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
const decodeBoth = (payload: unknown) => ({
  fast: MegaApiWebhook.decoder.decode(payload, { receivedAt, instance: "megaapi-Receiver" }),
  reference: MegaApiWebhook.decoderBySchemas.decode(payload, { receivedAt, instance: "megaapi-Receiver" })
})

describe("Mega-API fast decoding", () => {
  it("gives the events decoding through the generated schemas gives, for documented and recorded payloads changed anywhere", () => {
    fc.assert(
      fc.property(withMutations(fc.constantFrom(...seeds)), (payload) => {
        const { fast, reference } = decodeBoth(payload)
        expect(fast).toEqual(reference)
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
        const { fast, reference } = decodeBoth(payload)
        expect(fast).toEqual(reference)
        if (fast[0]?._tag === "MessageReceived") messages++
      }),
      { numRuns: 600 }
    )
    expect(messages).toBeGreaterThan(200)
  })
})
