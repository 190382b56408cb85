/**
 * The Meta client service: the generated client for every Cloud API operation Pombo describes,
 * bound to one business phone number and its access token, plus the options it was built with.
 * `MetaWhatsApp` builds the `WhatsApp` service on it; applications reach any operation `WhatsApp`
 * does not cover (templates list, media, webhook subscriptions) through `client`, with the same
 * token and timeout.
 *
 * The Graph version is part of the base URL (`https://graph.facebook.com/<version>`), chosen once
 * per client. The app secret and verify token are not used by the client: they authenticate
 * Meta's webhooks (`MetaWebhook`) and are kept here so one configuration serves both.
 */
import { RetryPolicy } from "@pombo/core"
import * as HttpClientRuntime from "@pombo/core/HttpClientRuntime"
import { Config, Context, Duration, Effect, Layer, Option, type Redacted, Schema } from "effect"
import { HttpClient } from "effect/http"
import * as Generated from "./generated/Meta.ts"

/** What a Meta client needs: the business number, its credentials, and how patient to be. */
export interface Options {
  /** A system-user access token with `whatsapp_business_messaging` (and `_management` for the account). */
  readonly accessToken: Redacted.Redacted<string>
  /** The business phone number's id (not the number itself), from the app's WhatsApp setup page. */
  readonly phoneNumberId: string
  /** The WhatsApp Business Account id, needed only by `getWebhook` / `setWebhook` and account calls. */
  readonly wabaId?: string | undefined
  /** The app secret that signs webhooks (`X-Hub-Signature-256`); see `MetaWebhook`. */
  readonly appSecret?: Redacted.Redacted<string> | undefined
  /** The token Meta echoes in the webhook verification handshake; see `MetaWebhook`. */
  readonly verifyToken?: Redacted.Redacted<string> | undefined
  /** The Graph API version, `v<major>.<minor>`. Default the spec's (`v23.0`). */
  readonly apiVersion?: string | undefined
  /** Graph's server, version included. Default `https://graph.facebook.com/<apiVersion>`. */
  readonly baseUrl?: string | undefined
  /** How long one whole exchange may take before it fails with `ProviderUnavailable`. Default 30 seconds. */
  readonly timeout?: Duration.Input | undefined
  /** When `WhatsApp` operations are retried. Default `RetryPolicy.defaults`. */
  readonly retry?: RetryPolicy.RetryPolicy | undefined
}

/** The options a client was built with, defaults filled in. */
export interface ResolvedOptions {
  readonly accessToken: Redacted.Redacted<string>
  readonly phoneNumberId: string
  readonly wabaId: string | undefined
  readonly appSecret: Redacted.Redacted<string> | undefined
  readonly verifyToken: Redacted.Redacted<string> | undefined
  readonly baseUrl: string
  readonly timeout: Duration.Duration
  readonly retry: RetryPolicy.RetryPolicy
}

/** The service: the generated client and the options it was built with. */
export interface Service {
  /** Every Cloud API operation of the spec, typed; each exchange is bounded by `options.timeout`. */
  readonly client: Generated.MetaClient
  /** The options the client was built with. */
  readonly options: ResolvedOptions
}

/** The Meta client service. */
export class MetaClient extends Context.Service<MetaClient, Service>()("@pombo/meta/MetaClient") {}

/** Builds the client service over the `HttpClient` in context. */
export const make = Effect.fnUntraced(function* (options: Options) {
  const resolved: ResolvedOptions = {
    accessToken: options.accessToken,
    phoneNumberId: options.phoneNumberId,
    wabaId: options.wabaId,
    appSecret: options.appSecret,
    verifyToken: options.verifyToken,
    baseUrl:
      options.baseUrl ??
      (options.apiVersion === undefined
        ? Generated.defaultBaseUrl
        : Generated.baseUrl({ version: options.apiVersion })),
    timeout: Duration.fromInputUnsafe(options.timeout ?? HttpClientRuntime.defaultTimeout),
    retry: options.retry ?? RetryPolicy.defaults
  }
  const client = Generated.make(yield* HttpClient.HttpClient, {
    baseUrl: resolved.baseUrl,
    timeout: resolved.timeout,
    phoneNumberId: resolved.phoneNumberId,
    accessToken: resolved.accessToken
  })
  return MetaClient.of({ client, options: resolved })
})

/** The client service from explicit options. */
export const layer = (options: Options): Layer.Layer<MetaClient, never, HttpClient.HttpClient> =>
  Layer.effect(MetaClient, make(options))

/** Graph's version form (`v23.0`), checked at start-up rather than on the first call. */
const apiVersion = Config.schema(
  Schema.String.check(Schema.isPattern(/^v\d+\.\d+$/, { message: "must look like v23.0" })),
  "META_API_VERSION"
)

/**
 * The options from the environment: `META_ACCESS_TOKEN`, `META_PHONE_NUMBER_ID` (required),
 * `META_APP_SECRET`, `META_VERIFY_TOKEN`, `META_API_VERSION` (`v23.0` form), `META_WABA_ID` and
 * `META_BASE_URL` (optional). A missing or bad variable fails with a `ConfigError` naming it.
 */
export const config: Config.Config<Options> = Config.all({
  accessToken: Config.Redacted("META_ACCESS_TOKEN"),
  phoneNumberId: Config.NonEmptyString("META_PHONE_NUMBER_ID"),
  wabaId: Config.option(Config.NonEmptyString("META_WABA_ID")),
  appSecret: Config.option(Config.Redacted("META_APP_SECRET")),
  verifyToken: Config.option(Config.Redacted("META_VERIFY_TOKEN")),
  apiVersion: Config.option(apiVersion),
  baseUrl: Config.option(Config.URL("META_BASE_URL"))
}).pipe(
  Config.map(
    (values): Options => ({
      accessToken: values.accessToken,
      phoneNumberId: values.phoneNumberId,
      wabaId: Option.getOrUndefined(values.wabaId),
      appSecret: Option.getOrUndefined(values.appSecret),
      verifyToken: Option.getOrUndefined(values.verifyToken),
      apiVersion: Option.getOrUndefined(values.apiVersion),
      baseUrl: Option.getOrUndefined(Option.map(values.baseUrl, (url) => url.href))
    })
  )
)

/** The client service configured from the environment (see `config`). */
export const layerConfig: Layer.Layer<MetaClient, Config.ConfigError, HttpClient.HttpClient> = Layer.effect(
  MetaClient,
  Effect.flatMap(config, make)
)
