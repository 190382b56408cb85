/**
 * Auto-detection (`WebhookReceiver.decodeWith`, the receiver's route without a vendor) asks each
 * decoder whether it recognises a payload without hashing its `Unknown`s, and decodes for real
 * only the result it keeps. Pinned here: for every documented example of every vendor, and for
 * payloads no decoder recognises, it gives exactly the events of the plain rule — decode with
 * each decoder in turn, keep the first result holding an event other than `Unknown`, else the
 * first decoder's.
 */
import { loadSpec, specPath, type Vendor, vendors } from "@pombo/codegen/Spec"
import { deref, operationsOf } from "@pombo/codegen/SpecCheck"
import type { WebhookDecoder, WhatsAppEvent } from "@pombo/core"
import * as WebhookReceiver from "@pombo/core/WebhookReceiver"
import { MegaApiWebhook } from "@pombo/megaapi"
import { MetaWebhook } from "@pombo/meta"
import { ZApiWebhook } from "@pombo/zapi"
import { describe, expect, it } from "vitest"

const examplesOf = async (vendor: Vendor) => {
  const document = await loadSpec(specPath(vendor))
  return operationsOf(document)
    .filter((op) => op.kind === "webhook")
    .flatMap((op) =>
      Object.entries<unknown>(
        deref(document, op.operation.requestBody)?.content?.["application/json"]?.examples ?? {}
      ).map(([name, example]) => ({
        name: `${vendor} ${op.key}/${name}`,
        payload: deref(document, example).value as unknown
      }))
    )
}

/** The rule auto-detection follows, written the slow way: every decoder decodes for real. */
const plainRule = (
  decoders: ReadonlyArray<WebhookDecoder.WebhookDecoder>,
  payload: unknown,
  context: WebhookDecoder.Context
): ReadonlyArray<WhatsAppEvent.WhatsAppEvent> => {
  const results = decoders.map((decoder) => decoder.decode(payload, context))
  return results.find((events) => events.some((event) => event._tag !== "Unknown")) ?? results[0]!
}

const context = { receivedAt: new Date("2026-11-29T12:00:00Z"), instance: "instance-1" }
const orders: ReadonlyArray<ReadonlyArray<WebhookDecoder.WebhookDecoder>> = [
  [MegaApiWebhook.decoder, ZApiWebhook.decoder, MetaWebhook.decoder],
  [ZApiWebhook.decoder, MegaApiWebhook.decoder],
  [MetaWebhook.decoder, ZApiWebhook.decoder, MegaApiWebhook.decoder]
]

describe("auto-detection gives the events of the plain rule", () => {
  it("for every documented example of every vendor, in any decoder order", async () => {
    const examples = (await Promise.all(vendors.map(examplesOf))).flat()
    expect(examples.length).toBeGreaterThan(50)
    for (const decoders of orders) {
      for (const { name, payload } of examples) {
        const detected = WebhookReceiver.decodeWith(decoders, payload, context)
        expect([name, detected], name).toEqual([name, plainRule(decoders, payload, context)])
      }
    }
  })

  it("for payloads with broken discriminators, and non-webhooks: the same events, Unknowns with real ids", async () => {
    const examples = (await Promise.all(vendors.map(examplesOf))).flat()
    // Recognisable shapes with their discriminators broken, and what is not a webhook at all.
    const unrecognised: Array<unknown> = [
      {},
      [],
      null,
      42,
      "text",
      { messageType: "nope", key: {} },
      ...examples.map(({ payload }) => ({ ...(payload as object), type: "nope", messageType: "nope", object: "nope" }))
    ]
    for (const decoders of orders) {
      for (const payload of unrecognised.slice(0, 6)) {
        expect(WebhookReceiver.decodeWith(decoders, payload, context).map((event) => event._tag)).toEqual(["Unknown"])
      }
      for (const payload of unrecognised) {
        const detected = WebhookReceiver.decodeWith(decoders, payload, context)
        expect(detected).toEqual(plainRule(decoders, payload, context))
        // Every Unknown kept carries the hash of its payload, never the placeholder of a probe.
        const unknowns = detected.filter((event) => event._tag === "Unknown")
        expect(unknowns.every((event) => /:unknown:[0-9a-f]{32}$/.test(event.id))).toBe(true)
      }
    }
  })
})
