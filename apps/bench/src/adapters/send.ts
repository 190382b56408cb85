/**
 * Adapter: Pombo's sending side as the send figures use it — the generated client and the
 * `WhatsApp` service of each vendor, built from the public layers over effect's fetch client
 * (what `Pombo.layerConfig` uses), sending the same text to the same contact. The only module of
 * the send figures that imports Pombo.
 */
import { ChatId, WhatsApp } from "@pombo/core"
import { MegaApiClient, MegaApiWhatsApp } from "@pombo/megaapi"
import { MetaClient, MetaWhatsApp } from "@pombo/meta"
import { ZApiClient, ZApiWhatsApp } from "@pombo/zapi"
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
import type { Vendor } from "./spec.ts"

/** The vendor operation every send figure measures, per vendor; its documented answer is what the server replies. */
export const operationIds: Record<Vendor, string> = { megaapi: "sendText", zapi: "sendText", meta: "sendMessage" }

/** The text and the recipient of every measured send. */
export const message = { to: "5511987654321", text: "Seu pedido #1234 saiu para entrega" } as const

/** A vendor's two Pombo send paths, each one send per run. */
export interface Senders {
  /** The generated client's `sendText`, as `<Vendor>Client.client` exposes it. */
  readonly generated: Effect.Effect<unknown, unknown>
  /** `WhatsApp.sendText`, the path applications use. */
  readonly whatsapp: Effect.Effect<unknown, unknown>
  readonly close: () => Promise<void>
}

const token = Redacted.make("bench-token")

/** Builds the vendor's client and `WhatsApp` layers pointed at `baseUrl`. */
export const makeSenders = async (vendor: Vendor, baseUrl: string): Promise<Senders> => {
  if (vendor === "megaapi") {
    const client = MegaApiClient.layer({ instanceKey: "bench-instance", token, baseUrl })
    const runtime = ManagedRuntime.make(
      Layer.provideMerge(MegaApiWhatsApp.layer, client).pipe(Layer.provide(FetchHttpClient.layer))
    )
    const services = await runtime.runPromise(
      Effect.all({ client: Effect.service(MegaApiClient.MegaApiClient), whatsapp: Effect.service(WhatsApp.WhatsApp) })
    )
    const to = await Effect.runPromise(ChatId.contact(message.to))
    return {
      generated: services.client.client.sendText({
        payload: { messageData: { to: `${message.to}@s.whatsapp.net`, text: message.text } }
      }),
      whatsapp: services.whatsapp.sendText({ to, text: message.text }),
      close: runtime.dispose
    }
  }
  if (vendor === "meta") {
    const client = MetaClient.layer({ accessToken: token, phoneNumberId: "106540352242922", baseUrl })
    const runtime = ManagedRuntime.make(
      Layer.provideMerge(MetaWhatsApp.layer, client).pipe(Layer.provide(FetchHttpClient.layer))
    )
    const services = await runtime.runPromise(
      Effect.all({ client: Effect.service(MetaClient.MetaClient), whatsapp: Effect.service(WhatsApp.WhatsApp) })
    )
    const to = await Effect.runPromise(ChatId.contact(message.to))
    return {
      generated: services.client.client.sendMessage({
        payload: { messaging_product: "whatsapp", to: message.to, type: "text", text: { body: message.text } }
      }),
      whatsapp: services.whatsapp.sendText({ to, text: message.text }),
      close: runtime.dispose
    }
  }
  const client = ZApiClient.layer({ instanceId: "BENCH-INSTANCE", token, clientToken: token, baseUrl })
  const runtime = ManagedRuntime.make(
    Layer.provideMerge(ZApiWhatsApp.layer, client).pipe(Layer.provide(FetchHttpClient.layer))
  )
  const services = await runtime.runPromise(
    Effect.all({ client: Effect.service(ZApiClient.ZApiClient), whatsapp: Effect.service(WhatsApp.WhatsApp) })
  )
  const to = await Effect.runPromise(ChatId.contact(message.to))
  return {
    generated: services.client.client.sendText({ payload: { phone: message.to, message: message.text } }),
    whatsapp: services.whatsapp.sendText({ to, text: message.text }),
    close: runtime.dispose
  }
}
