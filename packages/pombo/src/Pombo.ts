/**
 * The vendor chosen by configuration: `WHATSAPP_PROVIDER=megaapi`, `zapi` or `meta`, plus that vendor's
 * variables (see the README). Swapping vendors is an environment change; the application's code
 * only ever sees `WhatsApp`.
 */
import type { WhatsApp } from "@pombo/core"
import { MegaApiWhatsApp } from "@pombo/megaapi"
import { MetaWhatsApp } from "@pombo/meta"
import { ZApiWhatsApp } from "@pombo/zapi"
import { Config, Effect, Layer } from "effect"
import { FetchHttpClient, type HttpClient } from "effect/http"

/** The vendors Pombo can talk to. */
export const providers = ["megaapi", "zapi", "meta"] as const

/** A vendor Pombo can talk to. */
export type Provider = (typeof providers)[number]

/** `WHATSAPP_PROVIDER`: which vendor to use. */
export const provider: Config.Config<Provider> = Config.Literals(providers, "WHATSAPP_PROVIDER")

/** The configured provider's layers, keyed by provider. */
const layers = {
  megaapi: MegaApiWhatsApp.layerConfig,
  zapi: ZApiWhatsApp.layerConfig,
  meta: MetaWhatsApp.layerConfig
} satisfies Record<Provider, unknown>

/**
 * `WhatsApp` for the vendor named by `WHATSAPP_PROVIDER`, configured from that vendor's variables.
 * Bring your own `HttpClient` (e.g. `FetchHttpClient.layer` or `NodeHttpClient.layerUndici`).
 * A missing or invalid variable fails with a `ConfigError` naming it.
 */
export const layerConfigWithoutHttpClient: Layer.Layer<WhatsApp.WhatsApp, Config.ConfigError, HttpClient.HttpClient> =
  Layer.unwrap(
    Effect.map(
      provider,
      (name): Layer.Layer<WhatsApp.WhatsApp, Config.ConfigError, HttpClient.HttpClient> => layers[name]
    )
  )

/** `layerConfigWithoutHttpClient` over the platform's `fetch`. */
export const layerConfig: Layer.Layer<WhatsApp.WhatsApp, Config.ConfigError> = layerConfigWithoutHttpClient.pipe(
  Layer.provide(FetchHttpClient.layer)
)
