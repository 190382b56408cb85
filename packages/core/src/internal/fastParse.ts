/**
 * A compiled, synchronous reading of the plain-JSON schemas the specs generate (structs with or
 * without a rest record, arrays, unions, strings, numbers, booleans, null, literals, `Json`, and
 * their checks): the same answer Effect Schema's parser gives, without a fiber, a generator per
 * struct or an issue tree. The generated runtime encodes every payload and decodes every answer
 * with it first and falls back to Effect Schema when it declines, so Schema stays the truth and
 * keeps every error message.
 *
 * `compile` declines (gives `undefined`) a schema that holds anything outside that subset, a
 * transformation included: the subset, recursion and checks are `schemaWalk`'s, shared with
 * `SchemaGuard` (the webhook decoders' yes/no check); this module only builds the output. A compiled reader gives the output Schema's
 * parser builds — objects rebuilt in the same key order (declared properties first, then the rest
 * record's keys in input order), arrays copied — or `failed` where Schema would fail, so a
 * payload's JSON body is byte for byte the one Schema's encoding gives (tests hold every
 * generated schema to this).
 */
import type { SchemaAST } from "effect"
import { type Compiler, isJson, type Leaf, passes, Unsupported, walk } from "./schemaWalk.ts"

/** What a reader gives for a value its schema rejects. */
export const failed: unique symbol = Symbol.for("@pombo/core/fastParse/failed")

/** A compiled reader: the parsed value, or `failed`. */
export type Reader = (input: unknown) => unknown

const assign = (out: Record<string, unknown>, key: string, value: unknown): void => {
  if (key === "__proto__")
    Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true })
  else out[key] = value
}

const leaf = (ast: SchemaAST.AST & { readonly _tag: Leaf }): Reader => {
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
    case "Any":
      return (input) => input
    case "Never":
      return () => failed
  }
}

const objects: Compiler<Reader>["objects"] = (properties, rest) => {
  if (properties.length === 0 && rest === undefined) {
    // An empty struct admits anything but null and undefined.
    return (input) => (input === null || input === undefined ? failed : input)
  }
  for (const property of properties) {
    // Rebuilding an own `__proto__` key is not worth its special case: Schema reads it.
    if (property.name === "__proto__") throw new Unsupported(property.ast, "a property named __proto__")
  }
  const restRead = rest?.compiled
  const expected = new Set(properties.map((property) => property.name))
  return (input) => {
    if (typeof input !== "object" || input === null || Array.isArray(input)) return failed
    const record = input as Readonly<Record<PropertyKey, unknown>>
    if (restRead === undefined) {
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
      const value = property.compiled(record[property.name])
      if (value === failed) return failed
      out[property.name] = value
    }
    if (restRead !== undefined) {
      for (const key of Object.keys(record)) {
        const value = restRead(record[key])
        if (value === failed) return failed
        if (!expected.has(key)) assign(out, key, value)
      }
    }
    return out
  }
}

const compiler: Compiler<Reader> = {
  leaf,
  literal: (literal) => (input) => (input === literal ? input : failed),
  json: () => (input) => (isJson(input) ? input : failed),
  arrays: (item) =>
    item === undefined
      ? (input) => (Array.isArray(input) && input.length === 0 ? [] : failed)
      : (input) => {
          if (!Array.isArray(input)) return failed
          const out: Array<unknown> = []
          for (let i = 0; i < input.length; i++) {
            const value = item(input[i])
            if (value === failed) return failed
            out[i] = value
          }
          return out
        },
  union: (parts, oneOf) => {
    const members = parts.map((part) => part.compiled)
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
  },
  objects,
  checked: (base, checks, ast) => (input) => {
    const value = base(input)
    return value === failed || !passes(checks, value, ast) ? failed : value
  },
  placeholder: (resolved) => (input) => resolved()(input)
}

/**
 * The compiled reader of `ast`, or `undefined` when the schema holds anything outside the subset
 * (see the module doc): then Effect Schema reads it.
 */
export const compile = (ast: SchemaAST.AST): Reader | undefined => {
  try {
    return walk(ast, compiler)
  } catch (error) {
    if (error instanceof Unsupported) return undefined
    throw error
  }
}
