/**
 * `SchemaGuard` against Effect Schema, which stays the truth: for every webhook schema every
 * vendor's spec generates (and every Baileys schema Mega-API's decoder checks message contents
 * with), the guard is `true` exactly when `Schema.decodeUnknownResult(schema, parseOptions)`
 * succeeds (with `{ input: "json" }`: for every JSON value), and a value it accepts decodes to itself field for field. The values: payloads derived from
 * the schema two ways (Effect's `Arbitrary.schema`, and a walk of the AST that also leaves optional
 * keys out and adds rest keys), every documented example and recorded real payload of every
 * vendor, arbitrary JSON — each also broken once or twice anywhere: a key deleted or added, a
 * value replaced by `null`, another JSON value, or a value no JSON text gives (`undefined`,
 * `NaN`, `Infinity`, a `Date`, a class instance, a cycle, a symbol key), which the schema mostly
 * rejects.
 */
import { readdirSync, readFileSync } from "node:fs"
import { inspect } from "node:util"
import { Arbitrary, Effect, Result, Schema, SchemaAST } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { loadSpec, specPath } from "../../codegen/src/Spec.ts"
import { deref, operationsOf } from "../../codegen/src/SpecCheck.ts"
import * as Baileys from "../../megaapi/src/generated/Baileys.ts"
import * as MegaApi from "../../megaapi/src/generated/MegaApi.ts"
import * as Meta from "../../meta/src/generated/Meta.ts"
import * as ZApi from "../../zapi/src/generated/ZApi.ts"
import * as HttpClientRuntime from "../src/HttpClientRuntime.ts"
import * as FastParse from "../src/internal/fastParse.ts"
import * as SchemaGuard from "../src/SchemaGuard.ts"

type Json = Record<string, unknown>

/** Every schema a webhook decoder checks payloads with. */
const checked: ReadonlyArray<readonly [string, Schema.Top]> = [
  ...Object.entries(MegaApi.webhooks).map(([name, schema]) => [`MegaApi.${name}`, schema] as const),
  ...Object.entries(Baileys).flatMap(([name, value]) =>
    Schema.isSchema(value) ? [[`Baileys.${name}`, value] as const] : []
  ),
  ...Object.entries(ZApi.webhooks).map(([name, schema]) => [`ZApi.${name}`, schema] as const),
  ...Object.entries(Meta.webhooks).map(([name, schema]) => [`Meta.${name}`, schema] as const)
]

const webhookExamples = async (vendor: "megaapi" | "zapi" | "meta"): Promise<ReadonlyArray<unknown>> => {
  const document = await loadSpec(specPath(vendor))
  return operationsOf(document)
    .filter((op) => op.kind === "webhook")
    .flatMap((op) =>
      Object.values<unknown>(deref(document, op.operation.requestBody)?.content?.["application/json"]?.examples ?? {})
    )
    .map((example) => (deref(document, example) as { value: unknown }).value)
}
const recorded = (vendor: string): ReadonlyArray<unknown> => {
  const folder = new URL(`../../${vendor}/test/fixtures/real/`, import.meta.url)
  return readdirSync(folder)
    .filter((name) => name.endsWith(".json") && name !== "expected.json")
    .map((name) => JSON.parse(readFileSync(new URL(name, folder), "utf8")))
}
const seeds: ReadonlyArray<unknown> = [
  ...(await webhookExamples("megaapi")),
  ...(await webhookExamples("zapi")),
  ...(await webhookExamples("meta")),
  ...recorded("megaapi"),
  ...recorded("zapi")
]

/** Values a schema admits (and, through unions and optional keys, the ways it admits them). */
const arbitraryOf = (ast: SchemaAST.AST, depth = 0): fc.Arbitrary<unknown> => {
  const json = fc.jsonValue({ maxDepth: 2 })
  if (depth > 8) return json
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
      return fc.array(ast.rest[0] === undefined ? json : arbitraryOf(ast.rest[0], depth + 1), { maxLength: 2 })
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

/** Payloads Effect's own arbitrary derives from the schema (nulls and missing optional keys included). */
const effectSamples = (schema: Schema.Top, count: number, seed: number): ReadonlyArray<unknown> =>
  Effect.runSync(Arbitrary.sampleEffect(Arbitrary.schema(schema as Schema.Codec<unknown>), { count, seed, size: 4 }))

/** `value` as `JSON.parse` would give it: array holes become `null`, `-0` becomes `0`. */
const asJson = (value: unknown): unknown => (value === undefined ? null : JSON.parse(JSON.stringify(value)))

class Point {
  readonly x = 1
}
const cycle = (): Json => {
  const node: Json = { a: 1 }
  node.self = node
  return node
}
const shared = { a: [1, "b"] }

/** Values no JSON text gives, which `Schema.Json` and the primitives must tell apart. */
const notJson = fc.constantFrom<() => unknown>(
  () => undefined,
  () => Number.NaN,
  () => Number.POSITIVE_INFINITY,
  () => new Date(0),
  () => new Point(),
  () => cycle(),
  () => [cycle()],
  () => ({ left: shared, right: shared }),
  () => Object.create(null) as unknown,
  // biome-ignore lint/suspicious/noSparseArray: a hole reads as `undefined`
  () => [1, , 2]
)

/**
 * JSON `value` with one part changed: deleted, `null`, another JSON value, an unexpected key added,
 * or (when `odd`) a value no JSON text gives, or a symbol key added.
 */
const mutated = (input: unknown, odd = true): fc.Arbitrary<unknown> => {
  const value = asJson(input)
  const paths: Array<ReadonlyArray<string | number>> = []
  const walk = (node: unknown, path: ReadonlyArray<string | number>) => {
    paths.push(path)
    if (typeof node === "object" && node !== null && paths.length < 400) {
      for (const [key, child] of Object.entries(node)) walk(child, [...path, Array.isArray(node) ? Number(key) : key])
    }
  }
  walk(value, [])
  return fc
    .tuple(
      fc.constantFrom(...paths),
      odd
        ? fc.constantFrom("delete", "null", "replace", "notJson", "add", "symbol")
        : fc.constantFrom("delete", "null", "replace", "add"),
      fc.jsonValue({ maxDepth: 1 }),
      notJson
    )
    .map(([path, how, replacement, odd]) => {
      if (path.length === 0) return how === "replace" ? replacement : how === "notJson" ? odd() : value
      const copy = asJson(value) as Json
      let parent: unknown = copy
      for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[key]
      const target = parent as Record<string | number, unknown>
      const key = path.at(-1)!
      const child = target[key]
      if (how === "delete") Array.isArray(target) ? target.splice(key as number, 1) : delete target[key]
      else if (how === "null") target[key] = null
      else if (how === "replace") target[key] = replacement
      else if (how === "notJson") target[key] = odd()
      else if (typeof child === "object" && child !== null && !Array.isArray(child)) {
        if (how === "add") (child as Json).unexpected = replacement
        else (child as Record<symbol, unknown>)[Symbol("extra")] = 1
      }
      return copy
    })
}

/** `base`, and `base` changed once or twice (with `odd`, the second change may leave JSON). */
const withMutations = (base: fc.Arbitrary<unknown>, odd = true): fc.Arbitrary<unknown> => {
  const json = base.map(asJson)
  return fc.oneof(
    odd ? base : json,
    json.chain((value) => mutated(value, odd)),
    json.chain((value) => mutated(value, false)).chain((value) => mutated(value, odd))
  )
}

/** `value` field for field: objects (a class instance too) as plain objects of their own enumerable keys. */
const fieldsOf = (value: unknown, depth = 0): unknown => {
  if (typeof value !== "object" || value === null || depth > 12) return value
  if (Array.isArray(value)) return value.map((item) => fieldsOf(item, depth + 1))
  return Object.fromEntries(Object.keys(value).map((key) => [key, fieldsOf((value as Json)[key], depth + 1)]))
}

/** Asserts the guard's answer is Schema's for `input`, and an accepted value decodes to itself. */
const agrees = (name: string, isValid: SchemaGuard.Guard, schema: Schema.Top) => {
  const decode = Schema.decodeUnknownResult(schema as Schema.Codec<unknown, unknown>, HttpClientRuntime.parseOptions)
  return (input: unknown): boolean => {
    const decoded = decode(input)
    const accepted = isValid(input)
    const shown =
      accepted === Result.isSuccess(decoded) ? name : `${name}: ${inspect(input, { depth: 8 }).slice(0, 600)}`
    expect(accepted, shown).toBe(Result.isSuccess(decoded))
    if (Result.isSuccess(decoded)) expect(fieldsOf(decoded.success), shown).toEqual(fieldsOf(input))
    return accepted
  }
}

describe("SchemaGuard", () => {
  it("compiles every webhook schema of every vendor, and every Baileys schema", () => {
    for (const [name, schema] of checked) expect(SchemaGuard.compile(schema), name).toBeTypeOf("function")
    expect(checked.length).toBeGreaterThan(100)
  })

  /** Every checked schema's guard under `input` against its decoder, on `runs` derived and broken values. */
  const exhaustive = (input: "any" | "json", runs: number) => {
    const odd = input === "any"
    for (const [n, [name, schema]] of checked.entries()) {
      const check = agrees(name, SchemaGuard.guard(schema, { input }), schema)
      const samples = effectSamples(schema, 12, n)
      let accepted = 0
      for (const payload of odd ? samples : samples.map(asJson)) if (check(payload)) accepted++
      fc.assert(
        fc.property(
          fc.oneof(
            withMutations(arbitraryOf(schema.ast), odd),
            withMutations(fc.constantFrom(...effectSamples(schema, 4, 1000 + n)), odd),
            withMutations(fc.constantFrom(...seeds), odd),
            fc.jsonValue().map(asJson),
            odd ? notJson.map((make) => make()) : fc.jsonValue().map(asJson)
          ),
          (value) => {
            if (check(value)) accepted++
          }
        ),
        { numRuns: runs, seed: n }
      )
      // Derived values mostly fit their schema: the comparison saw both answers.
      expect(accepted, name).toBeGreaterThanOrEqual(5)
    }
  }

  it("accepts exactly what each schema decodes, on derived, documented, recorded and broken values of any kind", () => {
    exhaustive("any", 120)
  })

  it("with JSON input, accepts exactly what each schema decodes, on derived, documented, recorded and broken JSON", () => {
    exhaustive("json", 80)
  })

  it("reads an open struct's JSON rest as Schema.Json does, declared fields included", () => {
    const Open = Schema.StructWithRest(
      Schema.Struct({
        n: Schema.optionalKey(Schema.Number),
        inner: Schema.optionalKey(
          Schema.StructWithRest(Schema.Struct({ s: Schema.optionalKey(Schema.String) }), [
            Schema.Record(Schema.String, Schema.Json)
          ])
        ),
        list: Schema.optionalKey(Schema.Array(Schema.Union([Schema.Number, Schema.Null])))
      }),
      [Schema.Record(Schema.String, Schema.Json)]
    )
    const check = agrees("Open", SchemaGuard.guard(Open), Open)
    const loop = cycle()
    const answers = [
      {},
      { n: 1, inner: { s: "a", x: [1, { y: null }] }, list: [1, null], extra: { deep: [true] } },
      { n: Number.NaN },
      { n: Number.POSITIVE_INFINITY },
      { inner: new Point() },
      { inner: { s: "a", when: new Date(0) } },
      { inner: Object.assign(Object.create(null), { s: "a" }) },
      { list: [1, Number.NaN] },
      { extra: loop },
      { inner: { s: "a", loop } },
      { left: shared, right: shared },
      { extra: undefined },
      { [Symbol("extra")]: 1 },
      Object.defineProperty({ n: 1 }, "hidden", { value: Number.NaN, enumerable: false }),
      [],
      null
    ].map(check)
    expect(answers).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
      true,
      false,
      false,
      false,
      true,
      false,
      false,
      true,
      false,
      false
    ])
  })

  it("reads JSON nested deeper than a recursive walk can go, as Schema does, and so does the send path's reader", () => {
    const Open = Schema.StructWithRest(Schema.Struct({ id: Schema.String }), [
      Schema.Record(Schema.String, Schema.Json)
    ])
    const check = agrees("Open", SchemaGuard.guard(Open), Open)
    const read = FastParse.compile(Open.ast)!
    const nested = (leaf: unknown): Json => {
      let value: unknown = leaf
      for (let i = 0; i < 50_000; i++) value = i % 2 === 0 ? { a: value } : [value]
      return { id: "x", deep: value }
    }
    const loop = cycle()
    const answers = [nested("leaf"), nested(Number.NaN), nested(loop), nested(new Point()), nested(shared)].map(
      (input) => {
        const accepted = check(input)
        expect(read(input) !== FastParse.failed).toBe(accepted)
        return accepted
      }
    )
    expect(answers).toEqual([true, false, false, false, true])
  })

  it("with JSON input, leaves Schema.Json parts unread", () => {
    const Open = Schema.StructWithRest(Schema.Struct({ id: Schema.String }), [
      Schema.Record(Schema.String, Schema.Json)
    ])
    expect(SchemaGuard.guard(Open, { input: "json" })({ id: "a", extra: Number.NaN })).toBe(true)
    expect(SchemaGuard.guard(Open)({ id: "a", extra: Number.NaN })).toBe(false)
    expect(SchemaGuard.guard(Open, { input: "json" })({ id: 1, extra: 2 })).toBe(false)
  })

  it("refuses a schema it cannot match exactly, rather than guess", () => {
    expect(() => SchemaGuard.guard(Schema.FiniteFromString)).toThrow(/transforms its input/)
    expect(() => SchemaGuard.guard(Schema.Date)).toThrow(/only Schema.Json/)
    expect(() => SchemaGuard.guard(Schema.Tuple([Schema.String]))).toThrow(/a tuple/)
    expect(SchemaGuard.compile(Schema.Struct({ at: Schema.NumberFromString }))).toBeUndefined()
  })
})
