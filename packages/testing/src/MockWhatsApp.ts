/**
 * A real provider layer pointed at an in-process Prism mock of its vendor: the same code path as
 * production (generated client, error mapping, retries), against the spec instead of the vendor.
 * Use it in your own test suites to contract-test your integration offline:
 *
 * ```ts
 * import { MockWhatsApp } from "@pombo/testing"
 * import { layer } from "@effect/vitest"
 *
 * layer(MockWhatsApp.layer("zapi"))("my notifications", (it) => {
 *   it.effect("sends the delivery notice", () =>
 *     Effect.gen(function* () {
 *       const receipt = yield* notifyDelivery(order) // your code, using WhatsApp
 *       expect(receipt.provider).toBe("zapi")
 *     }))
 * })
 * ```
 *
 * Prism checks every request against the spec — parameters, body, credentials — and answers the
 * documented examples, so a request your code makes that the vendor would refuse fails here too.
 */
import type { RetryPolicy, WhatsApp } from "@pombo/core"
import { MegaApiClient, MegaApiWhatsApp } from "@pombo/megaapi"
import { MetaClient, MetaWhatsApp } from "@pombo/meta"
import { specPath } from "@pombo/openapi"
import { ZApiClient, ZApiWhatsApp } from "@pombo/zapi"
import { type Duration, Effect, Layer, Redacted } from "effect"
import { FetchHttpClient, HttpClient } from "effect/http"
import * as MockServers from "./MockServers.ts"
import * as PrismServer from "./PrismServer.ts"

/** A vendor with a mock. */
export type Vendor = "megaapi" | "zapi" | "meta"

/** Where each vendor's spec is: in the installed `@pombo/openapi`. */
export const specPaths: Record<Vendor, string> = {
  megaapi: specPath("megaapi"),
  zapi: specPath("zapi"),
  meta: specPath("meta")
}

/** The placeholder credentials the mocks are called with (Prism checks presence, not value). */
export const credentials = MockServers.credentials

/** The `WhatsApp` layer of one vendor over `baseUrl`, still needing its `HttpClient`. */
const vendorLayer = (
  vendor: Vendor,
  baseUrl: string,
  retry: RetryPolicy.RetryPolicy,
  timeout: Duration.Input | undefined
): Layer.Layer<WhatsApp.WhatsApp, never, HttpClient.HttpClient> => {
  switch (vendor) {
    case "megaapi":
      return Layer.provideMerge(
        MegaApiWhatsApp.layer,
        MegaApiClient.layer({
          baseUrl,
          instanceKey: credentials.megaapi.instanceKey,
          token: Redacted.make(credentials.megaapi.token),
          retry,
          timeout
        })
      )
    case "zapi":
      return Layer.provideMerge(
        ZApiWhatsApp.layer,
        ZApiClient.layer({
          baseUrl,
          instanceId: credentials.zapi.instanceId,
          token: Redacted.make(credentials.zapi.token),
          clientToken: Redacted.make(credentials.zapi.clientToken),
          retry,
          timeout
        })
      )
    case "meta":
      // Prism serves the spec's paths at its root: the Graph version is part of the real base URL only.
      return Layer.provideMerge(
        MetaWhatsApp.layer,
        MetaClient.layer({
          baseUrl,
          accessToken: Redacted.make(credentials.meta.accessToken),
          phoneNumberId: credentials.meta.phoneNumberId,
          wabaId: credentials.meta.wabaId,
          verifyToken: Redacted.make("mock-verify-token"),
          retry,
          timeout
        })
      )
  }
}

/** Options for `layer`. */
export interface Options {
  /** Retry policy of the provider; default: no retries, so failures show at once. */
  readonly retry?: RetryPolicy.RetryPolicy
  /** Use an already running mock server instead of starting one. */
  readonly baseUrl?: string
}

const noRetries: RetryPolicy.RetryPolicy = {
  readRetries: 0,
  sendRetries: 0,
  baseDelay: "1 millis",
  maxDelay: "1 millis",
  maxRetryAfter: "0 millis"
}

/** The provider layer for `vendor`, pointed at `baseUrl`, over `httpClient` (default: the platform's `fetch`). */
export const providerLayer = (
  vendor: Vendor,
  baseUrl: string,
  options: {
    readonly retry?: RetryPolicy.RetryPolicy | undefined
    readonly timeout?: Duration.Input | undefined
    readonly httpClient?: HttpClient.HttpClient | undefined
  } = {}
): Layer.Layer<WhatsApp.WhatsApp> => {
  const { httpClient, timeout } = options
  const retry = options.retry ?? noRetries
  return vendorLayer(vendor, baseUrl, retry, timeout).pipe(
    Layer.provide(httpClient === undefined ? FetchHttpClient.layer : Layer.succeed(HttpClient.HttpClient, httpClient))
  )
}

/**
 * `WhatsApp` backed by `vendor`'s provider talking to a Prism mock of its spec, started for the
 * layer's lifetime on a free local port (or at `options.baseUrl`).
 */
export const layer = (vendor: Vendor, options: Options = {}): Layer.Layer<WhatsApp.WhatsApp> => {
  if (options.baseUrl !== undefined) return providerLayer(vendor, options.baseUrl, { retry: options.retry })
  return Layer.unwrap(
    Effect.map(
      Effect.acquireRelease(
        Effect.promise(() => PrismServer.start(specPaths[vendor])),
        (server) => Effect.promise(() => server.close())
      ),
      (server) => providerLayer(vendor, server.url, { retry: options.retry })
    )
  )
}

/** The `WhatsApp` service, for tests that build their own layer. */
export const whatsapp: Effect.Effect<WhatsApp.Shape, never, WhatsApp.WhatsApp> = Effect.gen(function* () {
  const { WhatsApp: Service } = yield* Effect.promise(() => import("@pombo/core"))
  return yield* Service.WhatsApp
})
