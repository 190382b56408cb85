/**
 * Adapter: Pombo's sending side as the send figures use it — the generated client and the
 * `WhatsApp` service of each vendor, built from the public layers over a given effect HTTP client
 * (`FetchHttpClient.layer`, what portable code uses, or `NodeHttpClient.layerUndici`, what the Node
 * entry points use), sending the same text to the same contact. The only module of the send
 * figures that imports Pombo.
 */
import { ChatId, WhatsApp } from "@pombo/core"
import { MegaApiClient, MegaApiWhatsApp } from "@pombo/megaapi"
import { MetaClient, MetaWhatsApp } from "@pombo/meta"
import { ZApiClient, ZApiWhatsApp } from "@pombo/zapi"
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"
import type { HttpClient } from "effect/http"
import type { Vendor } from "./spec.ts"

/** The vendor operation every send figure measures, per vendor; its documented answer is what the server replies. */
export const operationIds: Record<Vendor, string> = { megaapi: "sendText", zapi: "sendText", meta: "sendMessage" }

/** The text and the recipient of every measured send. */
export const message = { to: "5511987654321", text: "Seu pedido #1234 saiu para entrega" } as const

/**
 * A vendor's two Pombo send paths, each one send per run. Each run calls the method afresh, as an
 * application does per message: what a call does before its effect runs (input validation) counts.
 */
export interface Senders {
  /** The generated client's `sendText`, as `<Vendor>Client.client` exposes it. */
  readonly generated: Effect.Effect<unknown, unknown>
  /** `WhatsApp.sendText`, the path applications use. */
  readonly whatsapp: Effect.Effect<unknown, unknown>
  readonly close: () => Promise<void>
}

const token = Redacted.make("bench-token")

/** An effect HTTP client layer Pombo is built on. */
export type HttpClientLayer = Layer.Layer<HttpClient.HttpClient>

const build = async <Id, S>(
  clientLayer: Layer.Layer<Id, never, HttpClient.HttpClient>,
  whatsappLayer: Layer.Layer<WhatsApp.WhatsApp, never, Id>,
  http: HttpClientLayer,
  client: Effect.Effect<S, never, Id>
) => {
  const runtime = ManagedRuntime.make(Layer.provideMerge(whatsappLayer, clientLayer).pipe(Layer.provide(http)))
  const services = await runtime.runPromise(Effect.all({ client, whatsapp: Effect.service(WhatsApp.WhatsApp) }))
  return { ...services, close: runtime.dispose }
}

/** Builds the vendor's client and `WhatsApp` layers pointed at `baseUrl`, over `http`. */
export const makeSenders = async (vendor: Vendor, baseUrl: string, http: HttpClientLayer): Promise<Senders> => {
  const to = await Effect.runPromise(ChatId.contact(message.to))
  if (vendor === "megaapi") {
    const { client, whatsapp, close } = await build(
      MegaApiClient.layer({ instanceKey: "bench-instance", token, baseUrl }),
      MegaApiWhatsApp.layer,
      http,
      Effect.service(MegaApiClient.MegaApiClient)
    )
    return {
      generated: Effect.suspend(() =>
        client.client.sendText({
          payload: { messageData: { to: `${message.to}@s.whatsapp.net`, text: message.text } }
        })
      ),
      whatsapp: Effect.suspend(() => whatsapp.sendText({ to, text: message.text })),
      close
    }
  }
  if (vendor === "meta") {
    const { client, whatsapp, close } = await build(
      MetaClient.layer({ accessToken: token, phoneNumberId: "106540352242922", baseUrl }),
      MetaWhatsApp.layer,
      http,
      Effect.service(MetaClient.MetaClient)
    )
    return {
      generated: Effect.suspend(() =>
        client.client.sendMessage({
          payload: { messaging_product: "whatsapp", to: message.to, type: "text", text: { body: message.text } }
        })
      ),
      whatsapp: Effect.suspend(() => whatsapp.sendText({ to, text: message.text })),
      close
    }
  }
  const { client, whatsapp, close } = await build(
    ZApiClient.layer({ instanceId: "BENCH-INSTANCE", token, clientToken: token, baseUrl }),
    ZApiWhatsApp.layer,
    http,
    Effect.service(ZApiClient.ZApiClient)
  )
  return {
    generated: Effect.suspend(() => client.client.sendText({ payload: { phone: message.to, message: message.text } })),
    whatsapp: Effect.suspend(() => whatsapp.sendText({ to, text: message.text })),
    close
  }
}
