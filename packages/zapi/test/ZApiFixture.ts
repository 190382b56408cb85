/**
 * Z-API wiring for the tests: the provider over `@pombo/testing`'s recording fake `HttpClient`,
 * with test credentials.
 */
import { RetryPolicy, WhatsApp } from "@pombo/core"
import { RecordingHttpClient } from "@pombo/testing"
import { Effect, Layer, Redacted } from "effect"
import { ZApiClient, ZApiWhatsApp } from "../src/index.ts"

/** A token no rendering may ever show. */
export const token = "SECRET-TOKEN-123"
/** The account security token, sent as a header. */
export const clientToken = "CLIENT-SECRET-456"
export const instanceId = "INSTANCE-1"
export const baseUrl = "https://api.z-api.test"
/** The path prefix every instance operation has. */
export const prefix = `/instances/${instanceId}/token/${token}`

/** Backoff without waiting, so retries run under the test clock. */
export const immediateRetries: RetryPolicy.RetryPolicy = {
  ...RetryPolicy.defaults,
  baseDelay: "0 millis",
  maxDelay: "0 millis"
}

/** Z-API over a recording fake answering from `script`; `recorded` fills as requests arrive. */
export const fake = (script: RecordingHttpClient.Script, options: Partial<ZApiClient.Options> = {}) => {
  const http = RecordingHttpClient.make(script)
  const client = ZApiClient.layer({
    instanceId,
    token: Redacted.make(token),
    clientToken: Redacted.make(clientToken),
    baseUrl,
    retry: immediateRetries,
    ...options
  })
  const layer: Layer.Layer<WhatsApp.WhatsApp | ZApiClient.ZApiClient> = ZApiWhatsApp.layer.pipe(
    Layer.provideMerge(client),
    Layer.provide(http.layer)
  )
  return { recorded: http.requests, layer }
}

/** Runs `f` with the `WhatsApp` service. */
export const withWhatsApp = <A, E, R>(f: (whatsapp: WhatsApp.Shape) => Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    return yield* f(yield* WhatsApp.WhatsApp)
  })
