/**
 * The Mega-API client service: the generated client for every Mega-API operation, bound to one
 * instance and its token, plus the options it was built with. `MegaApiWhatsApp` builds the `WhatsApp`
 * service on it; reach for it directly for vendor operations `WhatsApp` does not cover.
 *
 * ```ts
 * const messages = Effect.gen(function* () {
 *   const { client } = yield* MegaApiClient
 *   return yield* client.instanceMessages({ params: { chat_id: "5511999999999" } })
 * })
 * ```
 */
import { OperationInput, RetryPolicy } from "@pombo/core"
import * as HttpClientRuntime from "@pombo/core/HttpClientRuntime"
import { Config, Context, Duration, Effect, Layer, Option, type Redacted, Schema } from "effect"
import { HttpClient } from "effect/http"
import * as Generated from "./generated/MegaApi.ts"

/** What a Mega-API client needs: the instance, its token, and how patient to be. */
export interface Options {
  /** The instance key from the Mega-API panel (it is part of every URL; not a secret). */
  readonly instanceKey: string
  /** The instance token, sent as `Authorization: Bearer`. */
  readonly token: Redacted.Redacted<string>
  /** The instance's server, e.g. `Generated.baseUrl({ host: "api2.megaapi.com.br" })`. Default `Generated.defaultBaseUrl`. */
  readonly baseUrl?: string | undefined
  /** How long one whole exchange may take before it fails with `ProviderUnavailable`. Default 30 seconds. */
  readonly timeout?: Duration.Input | undefined
  /** When `WhatsApp` operations are retried. Default `RetryPolicy.defaults`. */
  readonly retry?: RetryPolicy.RetryPolicy | undefined
}

/** The options a client was built with, defaults filled in. */
export interface ResolvedOptions {
  readonly instanceKey: string
  readonly token: Redacted.Redacted<string>
  readonly baseUrl: string
  readonly timeout: Duration.Duration
  readonly retry: RetryPolicy.RetryPolicy
}

/** The service: the generated client and the options it was built with. */
export interface Service {
  /** Every Mega-API operation, typed, with the instance key and token bound; each exchange is bounded by `options.timeout`. */
  readonly client: Generated.MegaApiClient
  /** The options the client was built with. */
  readonly options: ResolvedOptions
}

/** The Mega-API client service. */
export class MegaApiClient extends Context.Service<MegaApiClient, Service>()("@pombo/megaapi/MegaApiClient") {}

/** Builds the client service over the `HttpClient` in context. */
export const make = Effect.fnUntraced(function* (options: Options) {
  const resolved: ResolvedOptions = {
    instanceKey: options.instanceKey,
    token: options.token,
    baseUrl: options.baseUrl ?? Generated.defaultBaseUrl,
    timeout: Duration.fromInputUnsafe(options.timeout ?? HttpClientRuntime.defaultTimeout),
    retry: options.retry ?? RetryPolicy.defaults
  }
  const client = Generated.make(yield* HttpClient.HttpClient, {
    baseUrl: resolved.baseUrl,
    timeout: resolved.timeout,
    instanceKey: resolved.instanceKey,
    bearerToken: resolved.token
  })
  return MegaApiClient.of({ client, options: resolved })
})

/** The client service from explicit options. */
export const layer = (options: Options): Layer.Layer<MegaApiClient, never, HttpClient.HttpClient> =>
  Layer.effect(MegaApiClient, make(options))

const hostname = Schema.String.check(
  Schema.makeFilter(
    (value: string) => /^[a-z0-9.-]+(:\d+)?$/i.test(value) || "must be a host name such as api2.megaapi.com.br"
  )
)

/**
 * The base URL from `MEGAAPI_BASE_URL` (a full URL, e.g. a mock server) or else `MEGAAPI_HOST`
 * (the host shown in the Mega-API panel); with neither, the error names `MEGAAPI_HOST`.
 */
const baseUrlConfig: Config.Config<string> = Config.option(
  Config.schema(OperationInput.HttpUrl, "MEGAAPI_BASE_URL")
).pipe(
  Config.flatMap(
    Option.match({
      onSome: (url) => Config.succeed(url),
      onNone: () => Config.schema(hostname, "MEGAAPI_HOST").pipe(Config.map((host) => Generated.baseUrl({ host })))
    })
  )
)

/**
 * The options from the environment: `MEGAAPI_INSTANCE_KEY`, `MEGAAPI_TOKEN` (required), and
 * `MEGAAPI_HOST` or `MEGAAPI_BASE_URL`. A missing or bad variable fails with a `ConfigError`
 * naming it.
 */
export const config: Config.Config<Options> = Config.all({
  instanceKey: Config.NonEmptyString("MEGAAPI_INSTANCE_KEY"),
  token: Config.Redacted("MEGAAPI_TOKEN"),
  baseUrl: baseUrlConfig
})

/** The client service configured from the environment (see `config`). */
export const layerConfig: Layer.Layer<MegaApiClient, Config.ConfigError, HttpClient.HttpClient> = Layer.effect(
  MegaApiClient,
  Effect.flatMap(config, make)
)
