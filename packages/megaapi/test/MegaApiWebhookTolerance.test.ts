/**
 * Property tests of the tolerant reader (issue 14) against the spec's documented message
 * webhooks: deleting any optional field, or setting it to `null`, at any depth of the payload —
 * the envelope, the message key, the content `message.<kind>`, its `contextInfo`, wrapped
 * contents, device metadata — still gives the same message, never `Unknown`; and without
 * `instance_key` the event carries the receiver's instance.
 *
 * A field is optional when no schema that describes it requires it: the spec's webhook schema
 * (`Generated.webhooks`) and, for a content kind under `message`, its Baileys schema
 * (`MegaApiWebhook.contentKinds`). Fields neither describes are optional, and so is everything
 * under them. The content kind itself is never touched: without it there is no message.
 */
import { loadSpec, specPath } from "@pombo/codegen/Spec"
import { deref, operationsOf } from "@pombo/codegen/SpecCheck"
import { SchemaAST } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Generated from "../src/generated/MegaApi.ts"
import * as MegaApiWebhook from "../src/MegaApiWebhook.ts"

type Json = Record<string, unknown>
type Path = ReadonlyArray<string | number>

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value)

/** The object shapes an AST admits (through unions and suspensions). */
const objectsOf = (ast: SchemaAST.AST): Array<SchemaAST.Objects> =>
  SchemaAST.isObjects(ast)
    ? [ast]
    : SchemaAST.isUnion(ast)
      ? ast.types.flatMap(objectsOf)
      : SchemaAST.isSuspend(ast)
        ? objectsOf(ast.thunk())
        : []

/** The item shapes of the arrays an AST admits. */
const itemsOf = (ast: SchemaAST.AST): Array<SchemaAST.AST> =>
  SchemaAST.isArrays(ast)
    ? [...ast.elements, ...ast.rest]
    : SchemaAST.isUnion(ast)
      ? ast.types.flatMap(itemsOf)
      : SchemaAST.isSuspend(ast)
        ? itemsOf(ast.thunk())
        : []

const contentKeys: ReadonlySet<string> = new Set(["conversation", ...Object.keys(MegaApiWebhook.contentKinds)])

/** Every path in `value` that no schema among `asts` requires: each may be deleted or set to `null`. */
const optionalPaths = (
  value: unknown,
  asts: ReadonlyArray<SchemaAST.AST>,
  path: Path,
  parent?: string
): Array<Path> => {
  if (Array.isArray(value)) {
    const items = asts.flatMap(itemsOf)
    return value.flatMap((item, index) => optionalPaths(item, items, [...path, index]))
  }
  if (!isObject(value)) return []
  const shapes = asts.flatMap(objectsOf)
  return Object.entries(value).flatMap(([key, child]) => {
    const signatures = shapes.flatMap((shape) => shape.propertySignatures.filter((ps) => ps.name === key))
    const content = parent === "message" && contentKeys.has(key)
    const kind = content ? MegaApiWebhook.contentKinds[key as keyof typeof MegaApiWebhook.contentKinds] : undefined
    const childAsts = [...signatures.map((ps) => ps.type), ...(kind === undefined ? [] : [kind.ast])]
    const required = content || signatures.some((ps) => !SchemaAST.isOptional(ps.type))
    return [...(required ? [] : [[...path, key]]), ...optionalPaths(child, childAsts, [...path, key], key)]
  })
}

/** Applies `change` to the field at `path`, when its parent is still there. */
const at = (
  payload: Json,
  path: Path,
  change: (parent: Record<string | number, unknown>, key: string | number) => void
) => {
  let parent: unknown = payload
  for (const key of path.slice(0, -1)) {
    parent =
      typeof parent === "object" && parent !== null ? (parent as Record<string | number, unknown>)[key] : undefined
  }
  const key = path.at(-1)!
  if (typeof parent === "object" && parent !== null && key in parent)
    change(parent as Record<string | number, unknown>, key)
}

const document = await loadSpec(specPath("megaapi"))
const messageWebhooks: ReadonlySet<string> = new Set(Object.keys(MegaApiWebhook.messageWebhooks))
const examples = operationsOf(document)
  .filter((op) => op.kind === "webhook" && messageWebhooks.has(op.key))
  .flatMap((op) => {
    const body: { content?: Record<string, { examples?: Record<string, unknown> }> } | undefined = deref(
      document,
      op.operation.requestBody
    )
    const schema = Generated.webhooks[op.key as keyof typeof MegaApiWebhook.messageWebhooks]
    return Object.entries(body?.content?.["application/json"]?.examples ?? {}).map(([name, raw]) => {
      const value = (deref(document, raw) as { value: Json }).value
      return { label: `${op.key}/${name}`, value, optional: optionalPaths(value, [schema.ast], []) }
    })
  })

const receivedAt = new Date("2025-03-01T12:00:00.000Z")
const instance = "megaapi-ReceiverKnowsThis"

describe("Mega-API tolerant reader", () => {
  it("finds optional fields below the top level of every documented message", () => {
    expect(examples.length).toBeGreaterThan(10)
    const nested = examples.map((example) => example.optional.filter((path) => path.length > 2).length)
    expect(Math.min(...nested)).toBeGreaterThan(0)
    // A few that used to break the content mappers when null, and must be found here.
    const all = new Set(examples.flatMap((example) => example.optional.map((path) => path.join("."))))
    for (const path of [
      "message.imageMessage.url",
      "message.imageMessage.mimetype",
      "message.extendedTextMessage.contextInfo",
      "message.extendedTextMessage.contextInfo.disappearingMode.initiator",
      "message.ephemeralMessage.message.extendedTextMessage.contextInfo",
      "message.messageContextInfo.deviceListMetadata.senderTimestamp",
      "message.audioMessage.seconds"
    ]) {
      expect(all, path).toContain(path)
    }
  })

  it("a documented message with optional fields at any depth deleted or null is still the same message", () => {
    for (const example of examples) {
      const [original] = MegaApiWebhook.decode(example.value, { receivedAt, instance })
      expect(original?._tag, example.label).toBe("MessageReceived")
      if (original?._tag !== "MessageReceived") continue
      const variation = fc
        .tuple(fc.subarray(example.optional), fc.subarray(example.optional))
        .map(([nulled, deleted]) => {
          const payload = structuredClone(example.value)
          for (const path of nulled) at(payload, path, (parent, key) => (parent[key] = null))
          for (const path of deleted) at(payload, path, (parent, key) => delete parent[key])
          return payload
        })
      fc.assert(
        fc.property(variation, (payload) => {
          const events = MegaApiWebhook.decode(payload, { receivedAt, instance })
          const first = events[0]
          expect(
            events.map((event) => event._tag),
            `${example.label}: ${first?._tag === "Unknown" ? first.reason : ""}`
          ).toEqual(["MessageReceived"])
          const key = typeof payload.instance_key === "string" ? payload.instance_key : instance
          expect(first?.instance).toBe(key)
          expect(first?.id).toBe(`megaapi:${key}:message:${original.message.id}`)
          expect(first?._tag === "MessageReceived" ? first.chat : undefined).toEqual(original.chat)
        }),
        { numRuns: 40 }
      )
    }
  })
})
