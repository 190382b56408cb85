/**
 * The vendor chosen by configuration: `WHATSAPP_PROVIDER=megaapi`, `zapi` or `meta`, plus that vendor's
 * variables (see the README). Swapping vendors is an environment change; the application's code
 * only ever sees `WhatsApp`.
 *
 * Only the configured vendor's package is loaded, when the layer is built: a vendor's generated
 * client is most of its start-up cost, so a process never pays for a vendor it does not use.
 */
import type { WhatsApp } from "@pombo/core"
import { Config, Effect, Layer } from "effect"
import { FetchHttpClient, type HttpClient } from "effect/http"

/** The vendors Pombo can talk to. */
export const providers = ["megaapi", "zapi", "meta"] as const

/** A vendor Pombo can talk to. */
export type Provider = (typeof providers)[number]

/** `WHATSAPP_PROVIDER`: which vendor to use. */
export const provider: Config.Config<Provider> = Config.Literals(providers, "WHATSAPP_PROVIDER")

type ProviderLayer = Layer.Layer<WhatsApp.WhatsApp, Config.ConfigError, HttpClient.HttpClient>

/** Each vendor's configured layer, loaded on demand. */
const layers: Record<Provider, () => Promise<ProviderLayer>> = {
  megaapi: () => import("@pombo/megaapi").then((vendor) => vendor.MegaApiWhatsApp.layerConfig),
  zapi: () => import("@pombo/zapi").then((vendor) => vendor.ZApiWhatsApp.layerConfig),
  meta: () => import("@pombo/meta").then((vendor) => vendor.MetaWhatsApp.layerConfig)
}

/**
 * `WhatsApp` for the vendor named by `WHATSAPP_PROVIDER`, configured from that vendor's variables.
 * Bring your own `HttpClient` (e.g. `FetchHttpClient.layer` or `NodeHttpClient.layerUndici`).
 * A missing or invalid variable fails with a `ConfigError` naming it.
 */
export const layerConfigWithoutHttpClient: ProviderLayer = Layer.unwrap(
  Effect.flatMap(provider, (name) => Effect.promise(layers[name]))
)

/** `layerConfigWithoutHttpClient` over the platform's `fetch`. */
export const layerConfig: Layer.Layer<WhatsApp.WhatsApp, Config.ConfigError> = layerConfigWithoutHttpClient.pipe(
  Layer.provide(FetchHttpClient.layer)
)
