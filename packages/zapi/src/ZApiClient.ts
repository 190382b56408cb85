/**
 * The Z-API client service: the generated client for every Z-API operation, bound to one instance
 * and its credentials, plus the options it was built with. `ZApiWhatsApp` builds the `WhatsApp`
 * service on it; applications reach any Z-API operation `WhatsApp` does not cover through
 * `client` (the escape hatch), with the same credentials and timeout.
 *
 * Z-API puts the instance token in the URL path (`/instances/{id}/token/{token}/…`): the token is
 * held as `Redacted` and unwrapped only by the client runtime when it builds a request.
 */
import { RetryPolicy } from "@pombo/core"
import * as HttpClientRuntime from "@pombo/core/HttpClientRuntime"
import { Config, Context, Duration, Effect, Layer, Option, type Redacted } from "effect"
import { HttpClient } from "effect/http"
import * as Generated from "./generated/ZApi.ts"

/** What a Z-API client needs: the instance, its credentials, and how patient to be. */
export interface Options {
  /** The instance id shown in the Z-API panel. */
  readonly instanceId: string
  /** The instance token (part of every URL: keep it secret). */
  readonly token: Redacted.Redacted<string>
  /** The account security token, sent as the `Client-Token` header once enabled in the panel. */
  readonly clientToken?: Redacted.Redacted<string> | undefined
  /** The integrator (partner) token, needed only by the partner API operations of `client`. */
  readonly partnerBearer?: Redacted.Redacted<string> | undefined
  /** Z-API's server. Default `Generated.defaultBaseUrl` (`https://api.z-api.io`). */
  readonly baseUrl?: string | undefined
  /** How long one whole exchange may take before it fails with `ProviderUnavailable`. Default 30 seconds. */
  readonly timeout?: Duration.Input | undefined
  /** When `WhatsApp` operations are retried. Default `RetryPolicy.defaults`. */
  readonly retry?: RetryPolicy.RetryPolicy | undefined
}

/** The options a client was built with, defaults filled in. */
export interface ResolvedOptions {
  readonly instanceId: string
  readonly token: Redacted.Redacted<string>
  readonly clientToken: Redacted.Redacted<string> | undefined
  readonly partnerBearer: Redacted.Redacted<string> | undefined
  readonly baseUrl: string
  readonly timeout: Duration.Duration
  readonly retry: RetryPolicy.RetryPolicy
}

/** The service: the generated client and the options it was built with. */
export interface Service {
  /** Every Z-API operation, typed; each exchange is bounded by `options.timeout`. */
  readonly client: Generated.ZApiClient
  /** The options the client was built with. */
  readonly options: ResolvedOptions
}

/** The Z-API client service. */
export class ZApiClient extends Context.Service<ZApiClient, Service>()("@pombo/zapi/ZApiClient") {}

/** Builds the client service over the `HttpClient` in context. */
export const make = Effect.fnUntraced(function* (options: Options) {
  const resolved: ResolvedOptions = {
    instanceId: options.instanceId,
    token: options.token,
    clientToken: options.clientToken,
    partnerBearer: options.partnerBearer,
    baseUrl: options.baseUrl ?? Generated.defaultBaseUrl,
    timeout: Duration.fromInputUnsafe(options.timeout ?? HttpClientRuntime.defaultTimeout),
    retry: options.retry ?? RetryPolicy.defaults
  }
  const client = Generated.make(yield* HttpClient.HttpClient, {
    baseUrl: resolved.baseUrl,
    timeout: resolved.timeout,
    instanceId: resolved.instanceId,
    token: resolved.token,
    clientToken: resolved.clientToken,
    partnerBearer: resolved.partnerBearer
  })
  return ZApiClient.of({ client, options: resolved })
})

/** The client service from explicit options. */
export const layer = (options: Options): Layer.Layer<ZApiClient, never, HttpClient.HttpClient> =>
  Layer.effect(ZApiClient, make(options))

/**
 * The options from the environment: `ZAPI_INSTANCE_ID`, `ZAPI_TOKEN` (required),
 * `ZAPI_CLIENT_TOKEN` and `ZAPI_BASE_URL` (optional). A missing or bad variable fails with a
 * `ConfigError` naming it.
 */
export const config: Config.Config<Options> = Config.all({
  instanceId: Config.NonEmptyString("ZAPI_INSTANCE_ID"),
  token: Config.Redacted("ZAPI_TOKEN"),
  clientToken: Config.option(Config.Redacted("ZAPI_CLIENT_TOKEN")),
  baseUrl: Config.option(Config.URL("ZAPI_BASE_URL"))
}).pipe(
  Config.map(
    ({ instanceId, token, clientToken, baseUrl }): Options => ({
      instanceId,
      token,
      clientToken: Option.getOrUndefined(clientToken),
      baseUrl: Option.getOrUndefined(Option.map(baseUrl, (url) => url.href))
    })
  )
)

/** The client service configured from the environment (see `config`). */
export const layerConfig: Layer.Layer<ZApiClient, Config.ConfigError, HttpClient.HttpClient> = Layer.effect(
  ZApiClient,
  Effect.flatMap(config, make)
)
