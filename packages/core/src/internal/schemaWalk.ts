/**
 * The one walk over a spec-generated schema's AST that both compiled paths share: the send path's
 * reader (`fastParse`) and the webhook decoders' guard (`SchemaGuard`). It owns the rules those
 * need to agree on — which nodes are compiled at all (the plain-JSON subset the specs generate:
 * structs with or without a string rest, arrays, unions, literals, primitives, `Schema.Json`,
 * suspensions, and their checks; never a transformation), how a recursive schema ties its knot,
 * how checks run — and hands each node's already compiled parts to a `Compiler`, which builds the
 * closure. A node outside the subset throws `Unsupported` with the reason.
 */
import { SchemaAST } from "effect"

/** The options Effect Schema parses with on both paths: the generated runtime's (`HttpClientRuntime.parseOptions`). */
export const parseOptions: SchemaAST.ParseOptions = { onExcessProperty: "error" }

/** Thrown while compiling a schema outside the subset; the message says which node and why. */
export class Unsupported extends Error {
  constructor(ast: SchemaAST.AST, why: string) {
    super(`cannot compile a ${ast._tag} schema: ${why}`)
  }
}

/** A property of a struct, with its compiled type. */
export interface Property<F> {
  readonly name: string
  readonly optional: boolean
  readonly ast: SchemaAST.AST
  readonly compiled: F
}

/** A compiled part with its AST (union members, a struct's rest). */
export interface Part<F> {
  readonly ast: SchemaAST.AST
  readonly compiled: F
}

/** What a compiled path builds for each node of the subset, from the node's compiled parts. */
export interface Compiler<F> {
  readonly leaf: (ast: SchemaAST.AST & { readonly _tag: Leaf }) => F
  readonly literal: (literal: SchemaAST.Literal["literal"]) => F
  /** `Schema.Json`: a JSON value, as `isJson` decides. */
  readonly json: () => F
  /** An array of `item`s; `undefined` for the empty tuple (only `[]`). */
  readonly arrays: (item: F | undefined) => F
  readonly union: (members: ReadonlyArray<Part<F>>, oneOf: boolean) => F
  /** A struct; `rest` is its string index signature. Both empty: the empty struct (anything but `null` and `undefined`). */
  readonly objects: (properties: ReadonlyArray<Property<F>>, rest: Part<F> | undefined) => F
  /** `base` narrowed by the node's checks (run through `passes`). */
  readonly checked: (base: F, checks: SchemaAST.Checks, ast: SchemaAST.AST) => F
  /** Stands for a node while it compiles, so a recursive schema refers to itself through it. */
  readonly placeholder: (resolved: () => F) => F
}

/** The primitive nodes. */
export type Leaf = "String" | "Number" | "Boolean" | "Null" | "Undefined" | "Unknown" | "Any" | "Never"

const leaves: ReadonlySet<string> = new Set<Leaf>([
  "String",
  "Number",
  "Boolean",
  "Null",
  "Undefined",
  "Unknown",
  "Any",
  "Never"
])

const jsonIds: ReadonlySet<unknown> = new Set(["effect/schema/Json", "effect/schema/MutableJson"])

/** Whether `ast` is `Schema.Json` (or its mutable twin) itself. */
export const isJsonDeclaration = (ast: SchemaAST.AST): boolean =>
  ast._tag === "Declaration" &&
  jsonIds.has((ast.annotations?.representation as { readonly id?: unknown } | undefined)?.id) &&
  ast.typeParameters.length === 0

/** Whether every check of `checks` (filters, groups of them) passes `value`, as Schema's parser runs them. */
export const passes = (checks: SchemaAST.Checks, value: unknown, ast: SchemaAST.AST): boolean => {
  for (const check of checks) {
    if (check._tag === "FilterGroup") {
      if (!passes(check.checks, value, ast)) return false
    } else if (check.run(value, ast, parseOptions) !== undefined) {
      return false
    }
  }
  return true
}

/** A plain object: its prototype is `Object.prototype`, `null`, or another realm's `Object.prototype`. */
export const isPlainObject = (value: object): boolean => {
  const prototype = Object.getPrototypeOf(value)
  return prototype === null || prototype === Object.prototype || Object.getPrototypeOf(prototype) === null
}

const isJsonLeaf = (value: unknown): boolean =>
  value === null ||
  typeof value === "string" ||
  typeof value === "boolean" ||
  (typeof value === "number" && Number.isFinite(value))

/** How deep `isJson` recurses before it walks on with a stack of its own (a payload may nest 50,000 deep). */
const maxRecursion = 200

/**
 * `Schema.Json`'s rule (Effect's `isJson`): `null`, strings, booleans, finite numbers, arrays (a
 * hole reads as `undefined`, which fails) and plain objects (their enumerable own string keys) of
 * JSON values; a cycle fails, a node shared by two parents passes; any depth.
 */
export const isJson = (value: unknown, path?: Array<object>): boolean => {
  if (typeof value !== "object" || value === null) return isJsonLeaf(value)
  const isArray = Array.isArray(value)
  if (!isArray && !isPlainObject(value)) return false
  const onPath = path ?? []
  if (onPath.includes(value)) return false
  if (onPath.length >= maxRecursion) return isJsonDeep(value, onPath)
  onPath.push(value)
  try {
    if (isArray) {
      for (let i = 0; i < value.length; i++) if (!isJson(value[i], onPath)) return false
      return true
    }
    const record = value as Readonly<Record<string, unknown>>
    for (const key of Object.keys(record)) if (!isJson(record[key], onPath)) return false
    return true
  } finally {
    onPath.pop()
  }
}

/** `isJson` of `root` below `ancestors`, without recursion (Effect's own walk). */
const isJsonDeep = (root: object, ancestors: ReadonlyArray<object>): boolean => {
  const onPath = new Set<object>(ancestors)
  const valid = new WeakSet<object>()
  const stack: Array<{ readonly value: object; readonly keys: ReadonlyArray<string> | number; index: number }> = []
  let next: unknown = root
  for (;;) {
    if (typeof next !== "object" || next === null) {
      if (!isJsonLeaf(next)) return false
    } else if (!valid.has(next)) {
      if (onPath.has(next)) return false
      const isArray = Array.isArray(next)
      if (!isArray && !isPlainObject(next)) return false
      onPath.add(next)
      stack.push({ value: next, keys: isArray ? (next as ReadonlyArray<unknown>).length : Object.keys(next), index: 0 })
    }
    let descended = false
    while (stack.length > 0 && !descended) {
      const frame = stack[stack.length - 1]!
      const { keys } = frame
      if (typeof keys === "number" ? frame.index < keys : frame.index < keys.length) {
        const key = typeof keys === "number" ? frame.index : keys[frame.index]!
        frame.index++
        next = (frame.value as Readonly<Record<string | number, unknown>>)[key]
        descended = true
      } else {
        onPath.delete(frame.value)
        valid.add(frame.value)
        stack.pop()
      }
    }
    if (!descended) return true
  }
}

/** `ast` compiled by `compiler`; throws `Unsupported` for a node outside the subset. */
export const walk = <F>(ast: SchemaAST.AST, compiler: Compiler<F>): F => {
  const cache = new Map<SchemaAST.AST, F>()
  const compile = (node: SchemaAST.AST): F => {
    const known = cache.get(node)
    if (known !== undefined) return known
    let resolved: F | undefined
    cache.set(
      node,
      compiler.placeholder(() => resolved!)
    )
    const base = compileNode(node)
    resolved = node.checks === undefined ? base : compiler.checked(base, node.checks, node)
    cache.set(node, resolved)
    return resolved
  }
  const compileNode = (node: SchemaAST.AST): F => {
    if (node.encoding !== undefined) throw new Unsupported(node, "it transforms its input")
    if (leaves.has(node._tag)) return compiler.leaf(node as SchemaAST.AST & { readonly _tag: Leaf })
    switch (node._tag) {
      case "Literal":
        return compiler.literal(node.literal)
      case "Declaration":
        if (!isJsonDeclaration(node) || node.encodingChecks !== undefined) {
          throw new Unsupported(node, "only Schema.Json is known")
        }
        return compiler.json()
      case "Suspend":
        return compile(node.thunk())
      case "Arrays":
        if (node.elements.length > 0 || node.rest.length > 1) throw new Unsupported(node, "a tuple")
        return compiler.arrays(node.rest.length === 0 ? undefined : compile(node.rest[0]!))
      case "Union":
        return compiler.union(
          node.types.map((member) => ({ ast: member, compiled: compile(member) })),
          node.options?.mode === "oneOf"
        )
      case "Objects": {
        if (node.indexSignatures.length > 1) throw new Unsupported(node, "more than one index signature")
        const index = node.indexSignatures[0]
        if (index !== undefined && (index.parameter._tag !== "String" || index.parameter.checks !== undefined)) {
          throw new Unsupported(node, "an index signature on anything but strings")
        }
        const properties = node.propertySignatures.map((property): Property<F> => {
          if (typeof property.name !== "string") throw new Unsupported(node, "a property name that is not a string")
          return {
            name: property.name,
            optional: SchemaAST.isOptional(property.type),
            ast: property.type,
            compiled: compile(property.type)
          }
        })
        return compiler.objects(
          properties,
          index === undefined ? undefined : { ast: index.type, compiled: compile(index.type) }
        )
      }
      default:
        throw new Unsupported(node, "not a form the generated schemas use")
    }
  }
  return compile(ast)
}
