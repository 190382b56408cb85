/**
 * The generated runtime's compiled reader (`@pombo/core`'s `internal/fastParse`) gives exactly
 * what Effect Schema gives, decoding and encoding, for every schema the specs generate: on every
 * documented example and on each example taken apart — every key dropped, an excess key added,
 * every value swapped for a value of another type. Accepting means the same output, key order
 * included (a payload's JSON body is the one Schema's encoding gives); rejecting means Schema
 * rejects too. The send operations' schemas must compile, or the send path is back on Schema.
 */
import { describe, expect, it } from "@effect/vitest"
import * as HttpClientRuntime from "@pombo/core/HttpClientRuntime"
import { Exit, Schema } from "effect"
import * as FastParse from "../../core/src/internal/fastParse.ts"
import * as Baileys from "../../megaapi/src/generated/Baileys.ts"
import * as MegaApi from "../../megaapi/src/generated/MegaApi.ts"
import * as Meta from "../../meta/src/generated/Meta.ts"
import * as ZApi from "../../zapi/src/generated/ZApi.ts"
import { repositoryRoot, targets } from "../src/Generate.ts"
import { readModel } from "../src/Model.ts"
import { loadSpec } from "../src/Spec.ts"
import { examplesOf } from "../src/SpecCheck.ts"
import * as Fixture from "./generated/Fixture.ts"

const modules: Record<string, Record<string, unknown>> = { MegaApi, ZApi, Meta, Baileys, Fixture }

const others: ReadonlyArray<unknown> = [null, 1.5, "", true, [], {}, undefined]

/** The example, then every variant one change away from it, at any depth. */
const variants = (value: unknown, depth = 0): Array<unknown> => {
  const out: Array<unknown> = [value]
  if (depth > 3) return out
  for (const other of others) if (typeof other !== typeof value || other === null) out.push(other)
  if (Array.isArray(value)) {
    value.slice(0, 2).forEach((item, i) => {
      for (const variant of variants(item, depth + 1).slice(1)) out.push(value.map((x, j) => (j === i ? variant : x)))
    })
  } else if (typeof value === "object" && value !== null) {
    const record = value as Readonly<Record<string, unknown>>
    out.push({ ...record, zzExcess: 1 })
    for (const key of Object.keys(record)) {
      const { [key]: _, ...dropped } = record
      out.push(dropped)
      for (const variant of variants(record[key], depth + 1).slice(1)) out.push({ ...record, [key]: variant })
    }
  }
  return out
}

type Verdict = { readonly ok: true; readonly json: string; readonly value: unknown } | { readonly ok: false }

const verdictOf = (exit: Exit.Exit<unknown, unknown>): Verdict =>
  Exit.isSuccess(exit)
    ? { ok: true, json: JSON.stringify(exit.value) ?? "undefined", value: exit.value }
    : { ok: false }

const fastVerdict = (read: FastParse.Reader, input: unknown): Verdict => {
  const value = read(input)
  return value === FastParse.failed ? { ok: false } : { ok: true, json: JSON.stringify(value) ?? "undefined", value }
}

/** Every disagreement between the compiled reader and Schema on `inputs`, decoding and encoding. */
const disagreements = (name: string, schema: Schema.Top, inputs: ReadonlyArray<unknown>): Array<string> => {
  const read = FastParse.compile(schema.ast)
  if (read === undefined) return []
  const codec = schema as unknown as Schema.Codec<unknown, unknown>
  const decode = Schema.decodeUnknownExit(codec)
  const encode = Schema.encodeUnknownExit(codec)
  return inputs.flatMap((input) => {
    const fast = fastVerdict(read, input)
    return (["decode", "encode"] as const).flatMap((direction) => {
      const slow = verdictOf((direction === "decode" ? decode : encode)(input, HttpClientRuntime.parseOptions))
      const same = fast.ok === slow.ok && (!fast.ok || (slow.ok && fast.json === slow.json))
      if (same && fast.ok && slow.ok) expect(fast.value).toStrictEqual(slow.value)
      return same
        ? []
        : [`${name} ${direction} ${JSON.stringify(input)?.slice(0, 200)}: fast ${fast.ok} schema ${slow.ok}`]
    })
  })
}

const schemasOf = (module: Record<string, unknown>): Array<readonly [string, Schema.Top]> =>
  Object.entries(module).flatMap(([name, value]) => (Schema.isSchema(value) ? [[name, value] as const] : []))

describe("the compiled reader agrees with Effect Schema", () => {
  // Baileys' spec documents no examples of its own (its payloads are Mega-API's webhook examples).
  for (const target of targets.filter((candidate) => candidate.name !== "Baileys")) {
    it(`${target.name}: every documented example and its variants`, async () => {
      const document = await loadSpec(`${repositoryRoot}${target.spec}`)
      const { locations } = readModel(document)
      const module = modules[target.name]!
      const failures: Array<string> = []
      let compared = 0
      for (const example of examplesOf(document)) {
        const location = locations.find((candidate) => candidate.pointer === `#${example.schemaPointer}`)
        if (location?.kind !== "schema" || location.field !== undefined || (location.fileParts ?? []).length > 0)
          continue
        const schema = module[location.schemaName]
        if (!Schema.isSchema(schema) || FastParse.compile(schema.ast) === undefined) continue
        compared++
        failures.push(...disagreements(`${example.where} (${location.schemaName})`, schema, variants(example.value)))
      }
      expect(failures.slice(0, 20)).toEqual([])
      expect(compared).toBeGreaterThan(5)
    })
  }

  it("every exported schema on values of every type", () => {
    const failures = Object.entries(modules).flatMap(([module, exports]) =>
      schemasOf(exports).flatMap(([name, schema]) => disagreements(`${module}.${name}`, schema, variants({})))
    )
    expect(failures.slice(0, 20)).toEqual([])
  })

  it.each([
    ["MegaApi", MegaApi.SendTextRequest, MegaApi.SendMessageResponse],
    ["ZApi", ZApi.SendTextRequest, ZApi.SendMessageResult],
    ["Meta", Meta.SendMessageRequest, Meta.SendMessageResponse]
  ])("%s's text send compiles, payload and answer", (_, payload, response) => {
    expect(FastParse.compile(payload.ast)).toBeTypeOf("function")
    expect(FastParse.compile(response.ast)).toBeTypeOf("function")
  })

  it("declines what it cannot read exactly", () => {
    expect(FastParse.compile(Schema.NumberFromString.ast)).toBeUndefined()
    expect(FastParse.compile(Schema.Date.ast)).toBeUndefined()
    expect(FastParse.compile(Schema.Struct({ at: Schema.NumberFromString }).ast)).toBeUndefined()
  })
})
