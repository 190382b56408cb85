/**
 * Schema source code from the spec's JSON Schemas, by Effect's own importer and code emitter
 * (`SchemaRepresentation`): OpenAPI 3.1 → JSON Schema 2020-12 → runtime schemas → source text.
 * Nothing here translates JSON Schema by hand.
 */
import { JsonSchema, SchemaRepresentation } from "effect"
import { type NamedSchema, UnsupportedSpecError } from "./Model.ts"

/** One exported schema: its runtime expression and its type expression. */
export interface SchemaDeclaration {
  readonly name: string
  readonly runtime: string
  readonly type: string
}

/**
 * Compiles every named schema. Each becomes a `$defs` entry and a root `{ $ref }`, so Effect
 * emits each as a named reference, in dependency order, referring to the others by name.
 */
export const compileSchemas = (schemas: ReadonlyArray<NamedSchema>): Array<SchemaDeclaration> => {
  if (schemas.length === 0) return []
  const definitions: Record<string, JsonSchema.JsonSchema> = {}
  for (const named of schemas) {
    definitions[named.name] = JsonSchema.fromSchemaOpenApi3_1(named.schema as JsonSchema.JsonSchema).schema
  }
  const roots = schemas.map((named): JsonSchema.JsonSchema => ({ $ref: `#/$defs/${named.name}` })) as [
    JsonSchema.JsonSchema,
    ...Array<JsonSchema.JsonSchema>
  ]
  let code: SchemaRepresentation.CodeDocument
  try {
    const imported = SchemaRepresentation.fromJsonSchemaMultiDocument(
      { dialect: "draft-2020-12", schemas: roots, definitions },
      { patterns: "apply" }
    )
    const [first, ...rest] = imported.map((schema) => schema.ast)
    code = SchemaRepresentation.toCodeDocument(SchemaRepresentation.toRepresentations([first!, ...rest]))
  } catch (error) {
    throw new UnsupportedSpecError(`Effect cannot import the spec's schemas: ${String(error)}`)
  }
  if (Object.keys(code.references.recursives).length > 0) {
    const names = Object.keys(code.references.recursives).join(", ")
    throw new UnsupportedSpecError(`recursive schemas are not supported (${names})`)
  }
  if (code.artifacts.length > 0) {
    throw new UnsupportedSpecError(`schemas needing extra declarations are not supported (${code.artifacts[0]!._tag})`)
  }
  const out: Array<SchemaDeclaration> = []
  const emitted = new Set<string>()
  for (const reference of code.references.nonRecursives) {
    out.push({ name: reference.$ref, runtime: reference.code.runtime, type: reference.code.Type })
    emitted.add(reference.$ref)
  }
  // A schema that only aliases another one is inlined by Effect: export it under its own name too.
  schemas.forEach((named, index) => {
    if (emitted.has(named.name)) return
    const root = code.codes[index]!
    out.push({ name: named.name, runtime: root.runtime, type: root.Type })
    emitted.add(named.name)
  })
  const unknown = out.find((declaration) => !schemas.some((named) => named.name === declaration.name))
  if (unknown !== undefined) {
    throw new UnsupportedSpecError(`Effect named an extra schema "${unknown.name}"; give it a component name`)
  }
  return out
}
