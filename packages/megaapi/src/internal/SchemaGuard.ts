/**
 * Compiled membership tests for the spec-generated schemas, so the webhook decoder can check a
 * payload without running Effect Schema's general decoder per event (issue 15).
 *
 * `guard(schema)(value)` is true exactly when `Schema.decodeUnknownResult(schema, parseOptions)`
 * succeeds on `value`, for any JSON value (what `JSON.parse` gives; the decoder's input). The
 * schemas codegen emits carry no transformations — `guard` refuses, at compile time, any schema
 * that has one or uses a form it does not know — so a successful decode returns the input
 * unchanged and a caller that gets `true` may read the input itself.
 *
 * The generated schemas stay the truth: `guard` reads their AST (structs with or without rest,
 * unions, arrays, literals, primitives, suspensions) and runs their own checks (`isInt`,
 * `isMinLength`, `isPattern`…) through the checks' `run`. One reading differs on purpose: a
 * `Schema.Json` part (the open rest of every object) is always true, since every part of a JSON
 * value is JSON. The property tests compare `guard` with the schemas' decoder.
 */
import { type Schema, SchemaAST } from "effect"

/** A compiled membership test. */
export type Guard = (value: unknown) => boolean

/** The parse options the checks see: the generated client's (`HttpClientRuntime.parseOptions`). */
const options: SchemaAST.ParseOptions = { onExcessProperty: "error" }

const always: Guard = () => true

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const passes = (checks: ReadonlyArray<SchemaAST.Check<unknown>>, value: unknown, ast: SchemaAST.AST): boolean => {
  for (const check of checks) {
    if (check._tag === "FilterGroup") {
      if (!passes(check.checks, value, ast)) return false
    } else if (check.run(value, ast, options) !== undefined) {
      return false
    }
  }
  return true
}

const isJsonDeclaration = (ast: SchemaAST.Declaration): boolean =>
  (ast.annotations?.representation as { readonly id?: unknown } | undefined)?.id === "effect/schema/Json"

const unsupported = (ast: SchemaAST.AST, why: string): never => {
  throw new Error(`SchemaGuard cannot compile a ${ast._tag} schema: ${why}`)
}

const compileObjects = (ast: SchemaAST.Objects, compile: (ast: SchemaAST.AST) => Guard): Guard => {
  const properties = ast.propertySignatures.map((ps) => {
    if (typeof ps.name !== "string") unsupported(ast, "a non-string property name")
    return { name: ps.name as string, optional: SchemaAST.isOptional(ps.type), guard: compile(ps.type) }
  })
  const rest = ast.indexSignatures.map((index) => {
    if (!SchemaAST.isString(index.parameter) || index.parameter.checks !== undefined) {
      unsupported(ast, "an index signature on anything but strings")
    }
    return compile(index.type)
  })
  const declared = new Set(properties.map((property) => property.name))
  const closed = rest.length === 0
  const restGuards = rest.filter((guard) => guard !== always)
  return (value) => {
    if (!isRecord(value)) return false
    for (const property of properties) {
      // As Effect's parser reads a key: `in`, except `__proto__`, which must be an own key.
      const present = property.name === "__proto__" ? Object.hasOwn(value, property.name) : property.name in value
      if (!present) {
        if (!property.optional) return false
      } else if (!property.guard(value[property.name])) {
        return false
      }
    }
    if (closed) {
      // Excess properties are errors (`onExcessProperty: "error"`).
      for (const key in value) if (Object.hasOwn(value, key) && !declared.has(key)) return false
    } else if (restGuards.length > 0) {
      for (const key of Object.keys(value)) for (const guard of restGuards) if (!guard(value[key])) return false
    }
    return true
  }
}

const compileUnion = (ast: SchemaAST.Union, compile: (ast: SchemaAST.AST) => Guard): Guard => {
  const members = ast.types.map(compile)
  if (ast.options?.mode === "oneOf") {
    return (value) => {
      let matches = 0
      for (const member of members) if (member(value)) matches++
      return matches === 1
    }
  }
  if (members.includes(always)) return always
  return (value) => {
    for (const member of members) if (member(value)) return true
    return false
  }
}

const compileArrays = (ast: SchemaAST.Arrays, compile: (ast: SchemaAST.AST) => Guard): Guard => {
  if (ast.elements.length > 0 || ast.rest.length > 1) unsupported(ast, "a tuple")
  const item = ast.rest.length === 0 ? undefined : compile(ast.rest[0]!)
  return (value) => {
    if (!Array.isArray(value)) return false
    if (item === undefined) return value.length === 0
    if (item === always) return true
    for (const element of value) if (!item(element)) return false
    return true
  }
}

const compileNode = (ast: SchemaAST.AST, compile: (ast: SchemaAST.AST) => Guard): Guard => {
  if (ast.encoding !== undefined) unsupported(ast, "it transforms its input")
  switch (ast._tag) {
    case "Null":
      return (value) => value === null
    case "String":
      return (value) => typeof value === "string"
    case "Number":
      return (value) => typeof value === "number"
    case "Boolean":
      return (value) => typeof value === "boolean"
    case "Unknown":
    case "Any":
      return always
    case "Literal": {
      const literal = ast.literal
      return (value) => value === literal
    }
    case "Objects":
      return compileObjects(ast, compile)
    case "Union":
      return compileUnion(ast, compile)
    case "Arrays":
      return compileArrays(ast, compile)
    case "Suspend": {
      // Compiled on first use: the target may be the schema being compiled (a recursive schema).
      let target: Guard | undefined
      return (value) => {
        if (target === undefined) target = compile(ast.thunk())
        return target(value)
      }
    }
    case "Declaration":
      return isJsonDeclaration(ast) ? always : unsupported(ast, "only Schema.Json is known")
    default:
      return unsupported(ast, "not a form the generated schemas use")
  }
}

/** Compiles `schema` (see the module doc); throws at once for a schema it cannot match exactly. */
export const guard = (schema: Schema.Top): Guard => {
  const compiled = new Map<SchemaAST.AST, Guard>()
  const compile = (ast: SchemaAST.AST): Guard => {
    const known = compiled.get(ast)
    if (known !== undefined) return known
    const base = compileNode(ast, compile)
    const checks = ast.checks
    const result: Guard = checks === undefined ? base : (value) => base(value) && passes(checks, value, ast)
    compiled.set(ast, result)
    return result
  }
  return compile(schema.ast)
}
