/**
 * Property tests of the tolerant reader (issue 14) and of the dispatch (issue 15), against the
 * spec's documented webhook examples:
 * - a documented message stays a message when any of its optional fields — top-level or inside
 *   its content object — is deleted or set to `null` (never `Unknown`);
 * - `webhookOf` (the dispatch on `type`, `notification` and the content key) names, for every
 *   documented example and every such variation, a webhook whose generated schema accepts the
 *   payload, and the only one among all the generated schemas that does, other than the open
 *   notification kind — so dispatching decides exactly what trying every schema in order did.
 */
import { loadSpec, specPath } from "@pombo/codegen/Spec"
import { deref, operationsOf } from "@pombo/codegen/SpecCheck"
import * as HttpClientRuntime from "@pombo/core/HttpClientRuntime"
import { Option, Schema } from "effect"
import fc from "fast-check"
import { beforeAll, describe, expect, it } from "vitest"
import { webhooks } from "../src/generated/ZApi.ts"
import * as ZApiWebhook from "../src/ZApiWebhook.ts"

type Json = Record<string, unknown>
interface SchemaObject {
  readonly required?: ReadonlyArray<string>
  readonly properties?: Readonly<Record<string, unknown>>
}
interface Example {
  readonly webhook: keyof typeof webhooks
  readonly name: string
  readonly value: Json
  /** The payload's optional fields, and its content key with the content's optional fields. */
  readonly optional: ReadonlyArray<string>
  readonly content: { readonly key: string; readonly optional: ReadonlyArray<string> } | undefined
}

const receivedAt = new Date("2025-01-02T03:04:05.000Z")
const accepts = Object.fromEntries(
  Object.entries(webhooks).map(([name, schema]) => [
    name,
    (payload: unknown) =>
      Option.isSome(
        Schema.decodeUnknownOption(schema as Schema.Codec<unknown>, HttpClientRuntime.parseOptions)(payload)
      )
  ])
) as Record<keyof typeof webhooks, (payload: unknown) => boolean>

let examples: ReadonlyArray<Example> = []

beforeAll(async () => {
  const document = await loadSpec(specPath("zapi"))
  examples = operationsOf(document)
    .filter((op) => op.kind === "webhook")
    .flatMap((op) => {
      const body: { content?: Record<string, { schema?: unknown; examples?: Record<string, unknown> }> } | undefined =
        deref(document, op.operation.requestBody)
      const media = body?.content?.["application/json"]
      const schema = deref(document, media?.schema) as SchemaObject
      const required = new Set(schema.required ?? [])
      return Object.entries(media?.examples ?? {}).map(([name, raw]) => {
        const value = (deref(document, raw) as { value: Json }).value
        const optional = Object.keys(value).filter((key) => !required.has(key))
        const contentKey = [...required].find(
          (key) => key !== "type" && key !== "phone" && typeof value[key] === "object" && !Array.isArray(value[key])
        )
        const contentSchema =
          contentKey === undefined ? undefined : (deref(document, schema.properties?.[contentKey]) as SchemaObject)
        const contentRequired = new Set(contentSchema?.required ?? [])
        const content =
          contentKey === undefined || value[contentKey] === null || typeof value[contentKey] !== "object"
            ? undefined
            : {
                key: contentKey,
                optional: Object.keys(value[contentKey] as Json).filter((key) => !contentRequired.has(key))
              }
        return { webhook: op.key as keyof typeof webhooks, name, value, optional, content }
      })
    })
})

const messages = () =>
  examples.filter((e) => e.value.type === "ReceivedCallback" && e.webhook !== "receivedGroupNotification")

/** A variation of `example`: some optional fields deleted, some set to null, at both levels. */
const variation = (example: Example) =>
  fc
    .tuple(
      fc.subarray([...example.optional]),
      fc.subarray([...example.optional]),
      fc.subarray([...(example.content?.optional ?? [])]),
      fc.subarray([...(example.content?.optional ?? [])])
    )
    .map(([deleted, nulled, contentDeleted, contentNulled]) => {
      const payload = structuredClone(example.value)
      for (const key of nulled) payload[key] = null
      for (const key of deleted) delete payload[key]
      if (example.content !== undefined) {
        const content = payload[example.content.key] as Json
        for (const key of contentNulled) content[key] = null
        for (const key of contentDeleted) delete content[key]
      }
      return payload
    })

describe("Z-API tolerant reader", () => {
  it("a documented message with optional fields deleted or null is still a message", () => {
    const cases = messages()
    expect(cases.length).toBeGreaterThan(40)
    for (const example of cases) {
      fc.assert(
        fc.property(variation(example), (payload) => {
          const events = ZApiWebhook.decode(payload, { receivedAt })
          expect(
            events.map((event) => event._tag),
            `${example.webhook}/${example.name}: ${events[0]?._tag === "Unknown" ? events[0].reason : ""}`
          ).toEqual(["MessageReceived"])
        }),
        { numRuns: 25 }
      )
    }
  })

  it("dispatch names the one generated schema that accepts each documented example and its variations", () => {
    const names = Object.keys(webhooks) as Array<keyof typeof webhooks>
    const check = (label: string, payload: Json, expected: keyof typeof webhooks) => {
      const named = ZApiWebhook.webhookOf(payload)
      expect(named, label).toBe(expected)
      const accepting = names.filter((name) => accepts[name](payload))
      expect(
        accepting.filter((name) => name !== "receivedOtherNotification"),
        label
      ).toEqual(expected === "receivedOtherNotification" ? [] : [expected])
    }
    for (const example of examples) check(`${example.webhook}/${example.name}`, example.value, example.webhook)
    for (const example of messages()) {
      fc.assert(
        fc.property(variation(example), (payload) =>
          check(`${example.webhook}/${example.name}`, payload, example.webhook)
        ),
        { numRuns: 10 }
      )
    }
  })
})
