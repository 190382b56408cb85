/**
 * The Mega-API client service: the generated client for every Mega-API operation, bound to one
 * instance and its token, with a per-request timeout. `MegaApiWhatsApp` builds the `WhatsApp`
 * service on it; reach for it directly for vendor operations `WhatsApp` does not cover.
 *
 * ```ts
 * const messages = Effect.gen(function* () {
 *   const { client } = yield* MegaApiClient
 *   return yield* client.instanceMessages({ params: { chat_id: "5511999999999" } })
 * })
 * ```
 */
import { Content, RetryPolicy } from "@pombo/core"
import { Config, Context, Duration, Effect, Layer, Option, type Redacted, Schema } from "effect"
import { HttpClient, HttpClientError } from "effect/http"
import * as Generated from "./generated/MegaApi.ts"

/** What it takes to reach one Mega-API instance. */
export interface Options {
  /** The instance key from the Mega-API panel (it is part of every URL; not a secret). */
  readonly instanceKey: string
  /** The instance token, sent as `Authorization: Bearer`. */
  readonly token: Redacted.Redacted<string>
  /** The instance's server, e.g. `Generated.baseUrl({ host: "api2.megaapi.com.br" })`. Default `Generated.defaultBaseUrl`. */
  readonly baseUrl?: string | undefined
  /** How long one request may take before it fails with `ProviderUnavailable`. Default 30 seconds. */
  readonly timeout?: Duration.Input | undefined
  /** When `WhatsApp` operations are retried. Default `RetryPolicy.defaults`. */
  readonly retry?: RetryPolicy.RetryPolicy | undefined
}

/** `Options` with every default filled in. */
export interface Settings {
  readonly instanceKey: string
  readonly token: Redacted.Redacted<string>
  readonly baseUrl: string
  readonly timeout: Duration.Duration
  readonly retry: RetryPolicy.RetryPolicy
}

/** The service: the generated client and the settings it was built with. */
export interface Service {
  /** Every Mega-API operation, typed, with the instance key and token already bound. */
  readonly client: Generated.MegaApiClient
  readonly options: Settings
}

/** The Mega-API client service. */
export class MegaApiClient extends Context.Service<MegaApiClient, Service>()("@pombo/megaapi/MegaApiClient") {}

/** The default per-request timeout. */
export const defaultTimeout: Duration.Duration = Duration.seconds(30)

/**
 * Fails a request that outlives `timeout` as effect/http's own transport error, so the generated
 * client reports it like any other lost request: `notSent` false, since it may have arrived.
 */
const withTimeout = (client: HttpClient.HttpClient, timeout: Duration.Duration): HttpClient.HttpClient =>
  HttpClient.transform(client, (response, request) =>
    Effect.timeoutOrElse(response, {
      duration: timeout,
      orElse: () =>
        Effect.fail(
          new HttpClientError.HttpClientError({
            reason: new HttpClientError.TransportError({
              request,
              cause: { code: "ETIMEDOUT" },
              description: "timed out"
            })
          })
        )
    })
  )

/** Builds the client over the application's `HttpClient`. */
export const make = Effect.fnUntraced(function* (options: Options) {
  const settings: Settings = {
    instanceKey: options.instanceKey,
    token: options.token,
    baseUrl: options.baseUrl ?? Generated.defaultBaseUrl,
    timeout: Duration.fromInputUnsafe(options.timeout ?? defaultTimeout),
    retry: options.retry ?? RetryPolicy.defaults
  }
  const httpClient = withTimeout(yield* HttpClient.HttpClient, settings.timeout)
  const client = Generated.make(httpClient, {
    baseUrl: settings.baseUrl,
    instanceKey: settings.instanceKey,
    bearerToken: settings.token
  })
  return MegaApiClient.of({ client, options: settings })
})

/** The client as a layer. */
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
const baseUrlConfig: Config.Config<string> = Config.option(Config.schema(Content.HttpUrl, "MEGAAPI_BASE_URL")).pipe(
  Config.flatMap(
    Option.match({
      onSome: (url) => Config.succeed(url),
      onNone: () => Config.schema(hostname, "MEGAAPI_HOST").pipe(Config.map((host) => Generated.baseUrl({ host })))
    })
  )
)

/**
 * The options from the environment: `MEGAAPI_INSTANCE_KEY`, `MEGAAPI_TOKEN`, and `MEGAAPI_HOST`
 * or `MEGAAPI_BASE_URL`.
 */
export const optionsConfig: Config.Config<Options> = Config.all({
  instanceKey: Config.NonEmptyString("MEGAAPI_INSTANCE_KEY"),
  token: Config.Redacted("MEGAAPI_TOKEN"),
  baseUrl: baseUrlConfig
})

/** The client configured from the environment (see `optionsConfig`). */
export const layerConfig: Layer.Layer<MegaApiClient, Config.ConfigError, HttpClient.HttpClient> = Layer.effect(
  MegaApiClient,
  Effect.flatMap(optionsConfig, make)
)
