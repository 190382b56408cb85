/**
 * A compiled yes/no check of a generated webhook schema: `guard(schema)` answers exactly whether
 * `Schema.decodeUnknownOption(schema, HttpClientRuntime.parseOptions)` would succeed, in plain
 * JavaScript, without Effect's general decoder (which builds an effect, an output copy and issue
 * objects per value — most of a payload's decoding cost). The generated webhook schemas decode
 * without transforming anything (open structs of strings, numbers, booleans, `null`, literals,
 * arrays and JSON values), so a payload the guard accepts is, field for field, what decoding
 * would give: the decoder maps the payload itself.
 *
 * Only the AST nodes those schemas use are compiled, with the parser's own rules: property
 * presence is `key in value`, a missing key is an error unless optional, excess keys are errors
 * (`onExcessProperty: "error"`) unless a string index signature covers them, an index signature
 * also checks the declared keys, checks (`isMinLength`, `isPattern`, `isInt`…) run as the parser
 * runs them. Anything else (a transformation, a declaration other than `Schema.Json`, a tuple)
 * makes `guard` return `undefined`, and the caller keeps the schema's own decoder.
 * `ZApiWebhookGuard.test.ts` checks the equivalence on arbitrary payloads derived from every
 * webhook schema.
 */
import * as HttpClientRuntime from "@pombo/core/HttpClientRuntime"
import type { Schema, SchemaAST } from "effect"

type Guard = (value: unknown) => boolean

class Unsupported {}

const jsonIds = new Set(["effect/schema/Json", "effect/schema/MutableJson"])

const isJsonDeclaration = (ast: SchemaAST.AST): boolean => {
  const id = (ast.annotations?.representation as { readonly id?: unknown } | undefined)?.id
  return ast._tag === "Declaration" && ast.checks === undefined && typeof id === "string" && jsonIds.has(id)
}

const isPlainNull = (ast: SchemaAST.AST): boolean =>
  ast._tag === "Null" && ast.checks === undefined && ast.encoding === undefined

const isPlainObject = (value: object): boolean => {
  const prototype = Object.getPrototypeOf(value)
  return prototype === null || prototype === Object.prototype || Object.getPrototypeOf(prototype) === null
}

/**
 * `Schema.Json`'s rule: `null`, strings, booleans, finite numbers, arrays (a hole reads as
 * `undefined`, which fails) and plain objects of JSON values; a cycle fails, a shared node passes.
 */
const isJson = (value: unknown, path: Array<object> = []): boolean => {
  if (typeof value !== "object" || value === null) {
    return (
      value === null ||
      typeof value === "string" ||
      typeof value === "boolean" ||
      (typeof value === "number" && Number.isFinite(value))
    )
  }
  if (path.includes(value)) return false
  const isArray = Array.isArray(value)
  if (!isArray && !isPlainObject(value)) return false
  path.push(value)
  try {
    if (isArray) {
      for (let i = 0; i < value.length; i++) if (!isJson(value[i], path)) return false
      return true
    }
    const record = value as Record<string, unknown>
    for (const key of Object.keys(record)) if (!isJson(record[key], path)) return false
    return true
  } finally {
    path.pop()
  }
}

const checkOptions: SchemaAST.ParseOptions = HttpClientRuntime.parseOptions

const withChecks = (ast: SchemaAST.AST, base: Guard): Guard => {
  const checks = ast.checks
  if (checks === undefined) return base
  const passes = (list: ReadonlyArray<SchemaAST.Check<unknown>>, value: unknown): boolean => {
    for (const check of list) {
      if (check._tag === "FilterGroup") {
        if (!passes(check.checks, value)) return false
      } else if (check.run(value, ast, checkOptions) !== undefined) {
        return false
      }
    }
    return true
  }
  return (value) => base(value) && passes(checks, value)
}

const hasProperty = (record: object, key: PropertyKey): boolean =>
  key === "__proto__" ? Object.hasOwn(record, key) : key in record

const objectsGuard = (ast: SchemaAST.Objects, compile: (ast: SchemaAST.AST) => Guard): Guard => {
  const { propertySignatures, indexSignatures } = ast
  if (propertySignatures.length === 0 && indexSignatures.length === 0) {
    return (value) => value !== null && value !== undefined
  }
  if (indexSignatures.length > 1) throw new Unsupported()
  const index = indexSignatures[0]
  if (index !== undefined && (index.parameter._tag !== "String" || index.parameter.checks !== undefined)) {
    throw new Unsupported()
  }
  const names = propertySignatures.map((ps) => ps.name)
  const declared = new Set<PropertyKey>(names.map((name) => (typeof name === "number" ? String(name) : name)))
  const required = propertySignatures.map((ps) => ps.type.context?.isOptional !== true)
  const guards = propertySignatures.map((ps) => compile(ps.type))
  const indexGuard = index === undefined ? undefined : compile(index.type)
  const jsonIndex = index !== undefined && isJsonDeclaration(index.type)
  return (value) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return false
    const record = value as Record<PropertyKey, unknown>
    // Excess keys: with a string index only enumerable symbol keys can be excess.
    const keys = index !== undefined ? Object.getOwnPropertySymbols(record) : Reflect.ownKeys(record)
    for (const key of keys) {
      if (!declared.has(key) && Object.prototype.propertyIsEnumerable.call(record, key)) return false
    }
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as PropertyKey
      // One lookup for a present value; `in` only when it reads `undefined` (absent, or present
      // as `undefined`). `__proto__` reads the prototype when absent: asked first.
      const present = name === "__proto__" ? hasProperty(record, name) : undefined
      const item = present === false ? undefined : record[name]
      if (present === false || (item === undefined && !(name in record))) {
        if (required[i]) return false
        continue
      }
      if (!(guards[i] as Guard)(item)) return false
    }
    if (indexGuard !== undefined) {
      for (const key of Object.keys(record)) {
        const item = record[key]
        // Strings, booleans and `null` pass any index signature these schemas have (JSON values).
        if (
          !(jsonIndex && (typeof item === "string" || typeof item === "boolean" || item === null)) &&
          !indexGuard(item)
        )
          return false
      }
    }
    return true
  }
}

const compileNode = (ast: SchemaAST.AST, compile: (ast: SchemaAST.AST) => Guard): Guard => {
  if (ast.encoding !== undefined) throw new Unsupported()
  switch (ast._tag) {
    case "Null":
      return (value) => value === null
    case "Undefined":
      return (value) => value === undefined
    case "Unknown":
    case "Any":
      return () => true
    case "Never":
      return () => false
    case "String":
      return (value) => typeof value === "string"
    case "Number":
      return (value) => typeof value === "number"
    case "Boolean":
      return (value) => typeof value === "boolean"
    case "Literal": {
      const literal = ast.literal
      return (value) => value === literal
    }
    case "Declaration":
      if (!isJsonDeclaration(ast)) throw new Unsupported()
      return (value) => isJson(value)
    case "Arrays": {
      if (ast.elements.length !== 0 || ast.rest.length !== 1) throw new Unsupported()
      const item = compile(ast.rest[0] as SchemaAST.AST)
      return (value) => {
        if (!Array.isArray(value)) return false
        for (let i = 0; i < value.length; i++) if (!item(value[i])) return false
        return true
      }
    }
    case "Objects":
      return objectsGuard(ast, compile)
    case "Union": {
      if (ast.options?.mode !== "oneOf" && ast.types.length === 2 && ast.types.filter(isPlainNull).length === 1) {
        // `T | null`, the shape of every optional field: no loop over two closures.
        const other = compile(ast.types.find((type) => !isPlainNull(type)) as SchemaAST.AST)
        return (value) => value === null || other(value)
      }
      const members = ast.types.map(compile)
      if (ast.options?.mode === "oneOf") {
        return (value) => {
          let matches = 0
          for (const member of members) if (member(value)) matches++
          return matches === 1
        }
      }
      return (value) => {
        for (const member of members) if (member(value)) return true
        return false
      }
    }
    case "Suspend":
      // Compiled now, so an unsupported node falls back before any payload; recursion meets
      // `compile`'s placeholder.
      return compile(ast.thunk())
    default:
      throw new Unsupported()
  }
}

/**
 * The compiled check of `schema` under `HttpClientRuntime.parseOptions`, or `undefined` when the
 * schema uses a node this compiler does not handle (then decode with the schema itself).
 */
export const guard = (schema: Schema.Top): Guard | undefined => {
  const compiled = new Map<SchemaAST.AST, Guard>()
  const compile = (ast: SchemaAST.AST): Guard => {
    const known = compiled.get(ast)
    if (known !== undefined) return known
    // A placeholder first, so a recursive schema compiles to a loop rather than forever.
    let resolved: Guard | undefined
    compiled.set(ast, (value) => (resolved as Guard)(value))
    resolved = withChecks(ast, compileNode(ast, compile))
    compiled.set(ast, resolved)
    return resolved
  }
  try {
    return compile(schema.ast)
  } catch (cause) {
    if (cause instanceof Unsupported) return undefined
    throw cause
  }
}
