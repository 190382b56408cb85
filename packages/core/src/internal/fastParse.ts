/**
 * A compiled, synchronous reading of the plain-JSON schemas the specs generate (structs with or
 * without a rest record, arrays, unions, strings, numbers, booleans, null, literals, `Json`, and
 * their checks): the same answer Effect Schema's parser gives, without a fiber, a generator per
 * struct or an issue tree. The generated runtime encodes every payload and decodes every answer
 * with it first and falls back to Effect Schema when it declines, so Schema stays the truth and
 * keeps every error message.
 *
 * `compile` declines (gives `undefined`) a schema that holds anything outside that subset, a
 * transformation or an encoding-side check included. A compiled reader gives the output Schema's
 * parser builds — objects rebuilt in the same key order (declared properties first, then the rest
 * record's keys in input order), arrays copied — or `failed` where Schema would fail, so a
 * payload's JSON body is byte for byte the one Schema's encoding gives (tests hold every
 * generated schema to this).
 */
import { SchemaAST } from "effect"

/** What a reader gives for a value its schema rejects. */
export const failed: unique symbol = Symbol.for("@pombo/core/fastParse/failed")

/** A compiled reader: the parsed value, or `failed`. */
export type Reader = (input: unknown) => unknown

/** The options checks run with: those the runtime parses with. */
const checkOptions: SchemaAST.ParseOptions = { onExcessProperty: "error" }

const jsonRepresentation = "effect/schema/Json"

/** Whether `check` (a filter or a group of them) passes `value`, as Schema's parser runs it. */
const passes = (checks: ReadonlyArray<SchemaAST.Check<unknown>>, value: unknown, ast: SchemaAST.AST): boolean => {
  for (const check of checks) {
    if (check._tag === "FilterGroup") {
      if (!passes(check.checks, value, ast)) return false
    } else if (check.run(value, ast, checkOptions)) {
      return false
    }
  }
  return true
}

const maxJsonDepth = 256

/** Effect's `isJson`: null, strings, booleans, finite numbers, arrays and plain objects of them, no cycles. */
const isJson = (value: unknown, depth = 0): boolean => {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true
  if (typeof value === "number") return Number.isFinite(value)
  if (typeof value !== "object" || depth > maxJsonDepth) return false
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isJson(value[i], depth + 1)) return false
    return true
  }
  const prototype = Object.getPrototypeOf(value)
  if (prototype !== null && prototype !== Object.prototype && Object.getPrototypeOf(prototype) !== null) return false
  for (const key of Object.keys(value)) {
    if (!isJson((value as Readonly<Record<string, unknown>>)[key], depth + 1)) return false
  }
  return true
}

const assign = (out: Record<string, unknown>, key: string, value: unknown): void => {
  if (key === "__proto__")
    Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true })
  else out[key] = value
}

/** Thrown inside `compile` when a node is outside the subset. */
class Declined {}

const readerOf = (ast: SchemaAST.AST, cache: Map<SchemaAST.AST, Reader>): Reader => {
  const known = cache.get(ast)
  if (known !== undefined) return known
  if (ast.encoding !== undefined || ("encodingChecks" in ast && ast.encodingChecks !== undefined)) {
    throw new Declined()
  }
  // Placed before compiling members, so a suspended (recursive) schema reads itself.
  let compiled: Reader | undefined
  const self: Reader = (input) => compiled!(input)
  cache.set(ast, self)
  const base = baseReader(ast, cache)
  const checks = ast.checks
  compiled =
    checks === undefined
      ? base
      : (input) => {
          const value = base(input)
          return value === failed || !passes(checks, value, ast) ? failed : value
        }
  return compiled
}

const baseReader = (ast: SchemaAST.AST, cache: Map<SchemaAST.AST, Reader>): Reader => {
  switch (ast._tag) {
    case "String":
      return (input) => (typeof input === "string" ? input : failed)
    case "Number":
      return (input) => (typeof input === "number" ? input : failed)
    case "Boolean":
      return (input) => (typeof input === "boolean" ? input : failed)
    case "Null":
      return (input) => (input === null ? input : failed)
    case "Undefined":
      return (input) => (input === undefined ? input : failed)
    case "Unknown":
      return (input) => input
    case "Literal": {
      const literal = ast.literal
      return (input) => (input === literal ? input : failed)
    }
    case "Declaration": {
      const representation = ast.annotations?.representation as { readonly id?: unknown } | undefined
      if (representation?.id !== jsonRepresentation || ast.typeParameters.length > 0) throw new Declined()
      return (input) => (isJson(input) ? input : failed)
    }
    case "Suspend":
      return readerOf(ast.thunk(), cache)
    case "Arrays": {
      if (ast.elements.length > 0 || ast.rest.length !== 1) throw new Declined()
      const item = readerOf(ast.rest[0]!, cache)
      return (input) => {
        if (!Array.isArray(input)) return failed
        const out: Array<unknown> = []
        for (let i = 0; i < input.length; i++) {
          const value = item(input[i])
          if (value === failed) return failed
          out[i] = value
        }
        return out
      }
    }
    case "Union": {
      const members = ast.types.map((member) => readerOf(member, cache))
      const oneOf = ast.options?.mode === "oneOf"
      return (input) => {
        let found: unknown = failed
        for (const member of members) {
          const value = member(input)
          if (value === failed) continue
          if (!oneOf) return value
          // `oneOf`: a second match fails, as in Schema.
          if (found !== failed) return failed
          found = value
        }
        return found
      }
    }
    case "Objects":
      return objectsReader(ast, cache)
    default:
      throw new Declined()
  }
}

const objectsReader = (ast: SchemaAST.Objects, cache: Map<SchemaAST.AST, Reader>): Reader => {
  if (ast.indexSignatures.length > 1) throw new Declined()
  const properties = ast.propertySignatures.map((property) => {
    if (typeof property.name !== "string" || property.name === "__proto__") throw new Declined()
    return {
      name: property.name,
      optional: SchemaAST.isOptional(property.type),
      read: readerOf(property.type, cache)
    }
  })
  const index = ast.indexSignatures[0]
  if (index !== undefined && (index.parameter._tag !== "String" || index.parameter.checks !== undefined)) {
    throw new Declined()
  }
  const rest = index === undefined ? undefined : readerOf(index.type, cache)
  const expected = new Set(properties.map((property) => property.name))
  if (properties.length === 0 && rest === undefined) {
    // An empty struct admits anything but null and undefined.
    return (input) => (input === null || input === undefined ? failed : input)
  }
  return (input) => {
    if (typeof input !== "object" || input === null || Array.isArray(input)) return failed
    const record = input as Readonly<Record<PropertyKey, unknown>>
    if (rest === undefined) {
      // `onExcessProperty: "error"`: an enumerable own key the struct does not declare fails it.
      for (const key of Reflect.ownKeys(record)) {
        if (!expected.has(key as string) && Object.prototype.propertyIsEnumerable.call(record, key)) return failed
      }
    } else {
      for (const key of Object.getOwnPropertySymbols(record)) {
        if (Object.prototype.propertyIsEnumerable.call(record, key)) return failed
      }
    }
    const out: Record<string, unknown> = {}
    for (const property of properties) {
      if (!(property.name in record)) {
        if (property.optional) continue
        return failed
      }
      const value = property.read(record[property.name])
      if (value === failed) return failed
      out[property.name] = value
    }
    if (rest !== undefined) {
      for (const key of Object.keys(record)) {
        const value = rest(record[key])
        if (value === failed) return failed
        if (!expected.has(key)) assign(out, key, value)
      }
    }
    return out
  }
}

/**
 * The compiled reader of `ast`, or `undefined` when the schema holds anything outside the subset
 * (see the module doc): then Effect Schema reads it.
 */
export const compile = (ast: SchemaAST.AST): Reader | undefined => {
  try {
    return readerOf(ast, new Map())
  } catch (error) {
    if (error instanceof Declined) return undefined
    throw error
  }
}
