/**
 * Every example of every spec decodes with the schema generated for its location: request and
 * response bodies and webhook payloads with their exported schema, parameters with their field of
 * `<OperationId>Params`. An example the generated module offers nothing for fails the test; bound
 * parameters (client options, plain strings) and text bodies are checked for being strings.
 */
import { describe, expect, it } from "@effect/vitest"
import * as HttpClientRuntime from "@pombo/core/HttpClientRuntime"
import { Schema } from "effect"
import * as MegaApi from "../../megaapi/src/generated/MegaApi.ts"
import * as Meta from "../../meta/src/generated/Meta.ts"
import * as ZApi from "../../zapi/src/generated/ZApi.ts"
import { repositoryRoot, targets } from "../src/Generate.ts"
import { readModel } from "../src/Model.ts"
import { loadSpec } from "../src/Spec.ts"
import { examplesOf } from "../src/SpecCheck.ts"
import * as Fixture from "./generated/Fixture.ts"

const modules: Record<string, Record<string, unknown>> = { MegaApi, ZApi, Meta, Fixture }

/** Why an example does not round-trip, or undefined when it does. */
const problemOf = (
  module: Record<string, unknown>,
  location: ReturnType<typeof readModel>["locations"][number] | undefined,
  value: unknown
): string | undefined => {
  if (location === undefined) return "the generated module has no schema for this location"
  if (location.kind === "option" || location.kind === "text") {
    return typeof value === "string" ? undefined : `expected a string, got ${JSON.stringify(value)}`
  }
  if (location.kind !== "schema") return "an example of a binary body cannot be checked"
  const exported = module[location.schemaName]
  if (!Schema.isSchema(exported)) return `${location.schemaName} is not exported`
  const schema =
    location.field === undefined
      ? exported
      : (exported as unknown as { readonly fields: Record<string, Schema.Top> }).fields[location.field]
  if (schema === undefined) return `${location.schemaName} has no field ${location.field}`
  // A multipart example writes its file parts as text; the client sends them as files, unvalidated.
  const files = location.fileParts ?? []
  const missing = files.filter((name) => typeof (value as Record<string, unknown>)?.[name] !== "string")
  if (missing.length > 0) return `the example has no file part ${missing.join(", ")}`
  const fields =
    files.length === 0
      ? value
      : Object.fromEntries(Object.entries(value as object).filter(([name]) => !files.includes(name)))
  const decoded = Schema.decodeUnknownExit(Schema.toType(schema) as Schema.Codec<unknown>)(
    fields,
    HttpClientRuntime.parseOptions
  )
  if (decoded._tag === "Success") return undefined
  return String(decoded.cause)
}

describe("spec examples decode with the generated schemas", () => {
  for (const target of targets) {
    it(`${target.spec}`, async () => {
      const document = await loadSpec(`${repositoryRoot}${target.spec}`)
      const { locations } = readModel(document)
      const module = modules[target.name]!
      const examples = examplesOf(document)
      const failures = examples.flatMap((example) => {
        const location = locations.find((candidate) => candidate.pointer === `#${example.schemaPointer}`)
        const problem = problemOf(module, location, example.value)
        return problem === undefined ? [] : [`${example.where}: ${problem}`]
      })
      expect(failures).toEqual([])
      expect(target.name !== "Fixture" || examples.length > 20).toBe(true)
    })
  }
})
