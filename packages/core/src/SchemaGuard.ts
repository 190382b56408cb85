/**
 * Compiled yes/no checks of the spec-generated schemas, for the webhook decoders (issue 15).
 *
 * `guard(schema)(value)` is `true` exactly when
 * `Schema.decodeUnknownOption(schema, HttpClientRuntime.parseOptions)` succeeds on `value` — for
 * any value: what `JSON.parse` gives, and also `undefined`, `NaN`, symbol keys, class instances,
 * cycles (as Effect reads them; accessors are read once). A caller whose input is always parsed
 * JSON says so (`{ input: "json" }`): the answer is then Schema's for every JSON value, and the
 * guard does not walk the `Schema.Json` parts (Mega-API's decoder; Z-API's is exact on any value,
 * as its public `decode` takes any value). It runs in plain JavaScript, without
 * Effect's general decoder (an effect, an output copy and issue objects per value — most of a
 * payload's decoding cost).
 *
 * Only schemas that transform nothing compile (the subset the specs generate, see
 * `internal/schemaWalk`), so a value the guard accepts decodes to an equal value — field for
 * field the input (Schema's copy may order keys differently): a decoder that gets `true` may read
 * the input itself. `guard` throws for a schema outside the subset, naming the node; `compile`
 * gives `undefined` instead, for a caller that keeps the schema's own decoder then.
 *
 * Cost: every check is the parser's own rule (presence is `key in value`, `__proto__` must be an
 * own key; a missing key fails unless optional; an enumerable own key the struct does not
 * declare fails unless a string index signature covers it; the index signature also checks the
 * declared keys; checks run through their `run`). A `Schema.Json` part — the open rest of
 * every generated object — is the one place exactness could cost a second walk: a declared
 * field's value is already checked by its own type, so for it the rest only asks what that type
 * leaves open (`residual`: a number is finite, an object is plain…), never the whole subtree again.
 * `SchemaGuard.test.ts` holds every vendor's generated webhook schemas to Effect's decoder.
 */
import type { Schema, SchemaAST } from "effect"
import { type Compiler, isJson, isPlainObject, type Leaf, passes, Unsupported, walk } from "./internal/schemaWalk.ts"

/** A compiled membership test. */
export type Guard = (value: unknown) => boolean

/**
 * A node's test, and what else a value it accepts must satisfy to be JSON (`Schema.Json`'s rule):
 * `residual` undefined means nothing (accepted implies JSON). `json` marks `Schema.Json` itself.
 */
interface Compiled {
  readonly test: Guard
  readonly residual: Guard | undefined
  readonly json?: true
}

const always: Guard = () => true
const never: Guard = () => false
const isFiniteNumber: Guard = (value) => Number.isFinite(value)
const isJsonValue: Guard = (value) => isJson(value)
/** A residual's input is a value the test accepted: for a struct, an object. */
const isPlainRecord: Guard = (value) => isPlainObject(value as object)

const leaf = (ast: SchemaAST.AST & { readonly _tag: Leaf }): Compiled => {
  switch (ast._tag) {
    case "String":
      return { test: (value) => typeof value === "string", residual: undefined }
    case "Number":
      return { test: (value) => typeof value === "number", residual: isFiniteNumber }
    case "Boolean":
      return { test: (value) => typeof value === "boolean", residual: undefined }
    case "Null":
      return { test: (value) => value === null, residual: undefined }
    case "Undefined":
      return { test: (value) => value === undefined, residual: never }
    case "Unknown":
    case "Any":
      return { test: always, residual: isJsonValue }
    case "Never":
      return { test: never, residual: undefined }
  }
}

const isPlainNull = (ast: SchemaAST.AST): boolean => ast._tag === "Null" && ast.checks === undefined

const union: Compiler<Compiled>["union"] = (members, oneOf) => {
  const tests = members.map((member) => member.compiled.test)
  const residuals = members.map((member) => member.compiled.residual)
  const residual = residuals.every((r) => r === undefined) ? undefined : isJsonValue
  if (oneOf) {
    return {
      test: (value) => {
        let matches = 0
        for (const test of tests) if (test(value)) matches++
        return matches === 1
      },
      residual
    }
  }
  if (tests.includes(always)) return { test: always, residual: isJsonValue }
  const nullAt = members.findIndex((member) => isPlainNull(member.ast))
  if (members.length === 2 && nullAt !== -1) {
    // `T | null`, the shape of every optional field: no loop over two closures.
    const other = tests[1 - nullAt]!
    const otherResidual = residuals[1 - nullAt]
    return {
      test: (value) => value === null || other(value),
      residual: otherResidual === undefined ? undefined : (value) => value === null || otherResidual(value)
    }
  }
  return {
    test: (value) => {
      for (const test of tests) if (test(value)) return true
      return false
    },
    residual
  }
}

const objects =
  (anyInput: boolean): Compiler<Compiled>["objects"] =>
  (properties, rest) => {
    if (properties.length === 0 && rest === undefined) {
      return { test: (value) => value !== null && value !== undefined, residual: isJsonValue }
    }
    const names = properties.map((property) => property.name)
    const required = properties.map((property) => !property.optional)
    const tests = properties.map((property) => property.compiled.test)
    const declared = new Set(names)
    // Compared with each name only when a property has that name.
    const proto = names.includes("__proto__") ? "__proto__" : undefined
    const jsonRest = rest?.compiled.json === true
    // What the rest asks of each own enumerable key's value: a declared key's (`null`: nothing more
    // than its own type) or any other key's (`restTest`).
    const restTest = rest === undefined || rest.compiled.test === always ? undefined : rest.compiled.test
    const restOfDeclared = new Map<string, Guard | null>(
      properties.map((property) => [
        property.name,
        restTest === undefined ? null : jsonRest ? (property.compiled.residual ?? null) : restTest
      ])
    )
    const test: Guard = (value) => {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return false
      const record = value as Readonly<Record<PropertyKey, unknown>>
      if (rest === undefined) {
        // `onExcessProperty: "error"`: an enumerable own key the struct does not declare fails it.
        for (const key in record) if (!declared.has(key) && Object.hasOwn(record, key)) return false
      }
      // A string index signature covers every string key; symbol keys are excess either way (and
      // a JSON value has none).
      if (anyInput) {
        for (const key of Object.getOwnPropertySymbols(record)) {
          if (Object.prototype.propertyIsEnumerable.call(record, key)) return false
        }
      }
      for (let i = 0; i < names.length; i++) {
        const name = names[i]!
        // One lookup: a value reads `undefined` when absent — or, outside JSON, when present as
        // `undefined`, which `in` tells apart. `__proto__` reads the prototype when absent.
        const item = name === proto ? (Object.hasOwn(record, name) ? record[name] : undefined) : record[name]
        if (item === undefined && (!anyInput || name === proto || !(name in record))) {
          if (required[i]) return false
          continue
        }
        if (!tests[i]!(item)) return false
      }
      if (restTest !== undefined) {
        for (const key of Object.keys(record)) {
          const ofDeclared = restOfDeclared.get(key)
          if (ofDeclared === undefined ? !restTest(record[key]) : ofDeclared !== null && !ofDeclared(record[key])) {
            return false
          }
        }
      }
      return true
    }
    // Accepted, the value is JSON when it is a plain object whose own enumerable keys hold JSON: a
    // JSON rest checked them all; otherwise it is enough that no part's type leaves anything open.
    const openParts =
      !jsonRest &&
      (properties.some((property) => property.compiled.residual !== undefined) || rest?.compiled.residual !== undefined)
    return { test, residual: openParts ? isJsonValue : isPlainRecord }
  }

const arrays: Compiler<Compiled>["arrays"] = (item) => {
  if (item === undefined) return { test: (value) => Array.isArray(value) && value.length === 0, residual: undefined }
  const itemTest = item.test
  const itemResidual = item.residual
  const residual: Guard | undefined =
    itemResidual === undefined
      ? undefined
      : (value) => {
          const array = value as ReadonlyArray<unknown>
          for (let i = 0; i < array.length; i++) if (!itemResidual(array[i])) return false
          return true
        }
  if (itemTest === always) return { test: Array.isArray, residual }
  return {
    test: (value) => {
      if (!Array.isArray(value)) return false
      for (let i = 0; i < value.length; i++) if (!itemTest(value[i])) return false
      return true
    },
    residual
  }
}

const compilerFor = (anyInput: boolean): Compiler<Compiled> => ({
  leaf,
  literal: (literal) => ({
    test: (value) => value === literal,
    residual:
      typeof literal === "bigint" || (typeof literal === "number" && !Number.isFinite(literal)) ? never : undefined
  }),
  // Every part of a JSON value is JSON: with JSON input, `Schema.Json` asks nothing.
  json: () => ({ test: anyInput ? isJsonValue : always, residual: undefined, json: true }),
  arrays,
  union,
  objects: objects(anyInput),
  checked: (base, checks, ast) => {
    const test = base.test
    return { test: (value) => test(value) && passes(checks, value, ast), residual: base.residual }
  },
  placeholder: (resolved) => ({ test: (value) => resolved().test(value), residual: isJsonValue })
})

const compilers = { any: compilerFor(true), json: compilerFor(false) }

/**
 * The values a guard is exact on: `"any"` (the default) every value; `"json"` only JSON values
 * (what `JSON.parse` gives) — the caller promises nothing else reaches the guard, and the guard
 * skips what a JSON value cannot break: `Schema.Json` parts (the open rest of every generated
 * object, often most of a payload) and symbol keys are not looked at.
 */
export interface Options {
  readonly input?: "any" | "json" | undefined
}

/**
 * The compiled check of `schema` (see the module doc). Throws, naming the node, for a schema it
 * cannot match exactly (a transformation, a declaration other than `Schema.Json`, a tuple…).
 */
export const guard = (schema: Schema.Top, options?: Options): Guard => {
  try {
    return walk(schema.ast, compilers[options?.input ?? "any"]).test
  } catch (cause) {
    if (cause instanceof Unsupported) throw new Error(`SchemaGuard ${cause.message}`)
    throw cause
  }
}

/** `guard(schema, options)`, or `undefined` for a schema it cannot match exactly (then decode with the schema itself). */
export const compile = (schema: Schema.Top, options?: Options): Guard | undefined => {
  try {
    return walk(schema.ast, compilers[options?.input ?? "any"]).test
  } catch (cause) {
    if (cause instanceof Unsupported) return undefined
    throw cause
  }
}
