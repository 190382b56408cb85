/**
 * Property tests of the tolerant reader (issue 14) against the spec's documented message
 * webhooks: deleting any optional field (of the payload or of its content `message.<kind>`), or
 * setting an optional field of the payload to `null`, still gives a message, never `Unknown`; and
 * without `instance_key` the event carries the receiver's instance.
 */
import { readFileSync } from "node:fs"
import { loadSpec, specPath } from "@pombo/codegen/Spec"
import { deref, operationsOf } from "@pombo/codegen/SpecCheck"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as MegaApiWebhook from "../src/MegaApiWebhook.ts"

type Json = Record<string, unknown>
interface SchemaObject {
  readonly required?: ReadonlyArray<string>
}

const document = await loadSpec(specPath("megaapi"))
/** Every field some Baileys kind requires (openapi/megaapi/baileys.yaml): never deleted here. */
const baileysRequired: ReadonlySet<string> = new Set(
  [
    ...readFileSync(new URL("../../../openapi/megaapi/baileys.yaml", import.meta.url), "utf8").matchAll(
      /required: \[(.*)\]/g
    )
  ]
    .flatMap((match) => match[1]!.split(","))
    .map((key) => key.trim())
)
const messageWebhooks: ReadonlySet<string> = new Set(Object.keys(MegaApiWebhook.messageWebhooks))
const examples = operationsOf(document)
  .filter((op) => op.kind === "webhook" && messageWebhooks.has(op.key))
  .flatMap((op) => {
    const body: { content?: Record<string, { schema?: unknown; examples?: Record<string, unknown> }> } | undefined =
      deref(document, op.operation.requestBody)
    const media = body?.content?.["application/json"]
    const required = new Set((deref(document, media?.schema) as SchemaObject).required ?? [])
    return Object.entries(media?.examples ?? {}).map(([name, raw]) => {
      const value = (deref(document, raw) as { value: Json }).value
      const kind = String(value.messageType)
      const content = (value.message as Json | undefined)?.[kind]
      return {
        label: `${op.key}/${name}`,
        value,
        optional: Object.keys(value).filter((key) => !required.has(key)),
        kind,
        contentOptional:
          typeof content === "object" && content !== null
            ? Object.keys(content).filter((key) => !baileysRequired.has(key))
            : []
      }
    })
  })

const receivedAt = new Date("2025-03-01T12:00:00.000Z")
const instance = "megaapi-ReceiverKnowsThis"

describe("Mega-API tolerant reader", () => {
  it("a documented message with optional fields deleted or null is still a message", () => {
    expect(examples.length).toBeGreaterThan(10)
    for (const example of examples) {
      const variation = fc
        .tuple(fc.subarray(example.optional), fc.subarray(example.optional), fc.subarray(example.contentOptional))
        .map(([deleted, nulled, contentDeleted]) => {
          const payload = structuredClone(example.value)
          for (const key of nulled) payload[key] = null
          for (const key of deleted) delete payload[key]
          const content = (payload.message as Json | undefined)?.[example.kind]
          if (typeof content === "object" && content !== null) {
            for (const key of contentDeleted) delete (content as Json)[key]
          }
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
          expect(first?.id.startsWith(`megaapi:${key}:message:`)).toBe(true)
        }),
        { numRuns: 25 }
      )
    }
  })
})
