/**
 * `pombo/promise`: Pombo for applications not written with Effect. `createWhatsApp` gives every
 * `WhatsApp` operation as an async function that rejects with the same typed errors
 * (`error._tag`, `error.provider`, `error.operation`); `createWebhookHandler` mounts the webhook
 * receiver in any server — a web-standard `fetch` handler (Hono, Next.js route handlers, Bun,
 * Deno) and a Node `(req, res)` handler (Express, Fastify, `node:http`). Both hold resources:
 * close them with `close()` or `await using`.
 *
 * ```ts
 * await using whatsapp = await createWhatsApp() // WHATSAPP_PROVIDER and that vendor's variables
 * await whatsapp.sendText({ to: contact("(11) 98765-4321"), text: "Olá" })
 * ```
 */
import { ChatId, Operation, type RetryPolicy, WhatsApp, WhatsAppError, type WhatsAppEvent } from "@pombo/core"
import * as WebhookReceiver from "@pombo/core/WebhookReceiver"
import {
  Cause,
  Config,
  ConfigProvider,
  type Duration,
  Effect,
  Exit,
  Layer,
  ManagedRuntime,
  Option,
  Redacted,
  Result
} from "effect"
import { FetchHttpClient, type HttpClient, HttpRouter } from "effect/http"
import * as Pombo from "./Pombo.ts"

/** A token as the application holds it: kept `Redacted` from here to the wire either way. */
export type Secret = string | Redacted.Redacted<string>

/** What both vendors take besides their credentials. */
interface Common {
  /** The vendor's server (e.g. a mock's URL). Default: the vendor's public host. */
  readonly baseUrl?: string | undefined
  /** How long one whole exchange may take before it fails with `ProviderUnavailable`. Default 30 seconds. */
  readonly timeout?: Duration.Input | undefined
  /** When operations are retried. Default `RetryPolicy.defaults`. */
  readonly retry?: RetryPolicy.RetryPolicy | undefined
}

/** Mega-API's instance and token (see `MegaApiClient.Options`). */
export interface MegaApiConfig extends Common {
  readonly provider: "megaapi"
  readonly instanceKey: string
  readonly token: Secret
}

/** Z-API's instance and tokens (see `ZApiClient.Options`). */
export interface ZApiConfig extends Common {
  readonly provider: "zapi"
  readonly instanceId: string
  readonly token: Secret
  readonly clientToken?: Secret | undefined
}

/** The vendor and its options; omit it to read `WHATSAPP_PROVIDER` and that vendor's variables. */
export type WhatsAppConfig = MegaApiConfig | ZApiConfig

/**
 * An `AsyncDisposable` where the compiler knows `Symbol.asyncDispose` (lib `esnext.disposable`
 * or `@types/node`), nothing otherwise, so these declarations compile in every project.
 */
export type AsyncDisposableLike = SymbolConstructor extends { readonly asyncDispose: infer K extends symbol }
  ? { readonly [P in K]: () => Promise<void> }
  : unknown

/** Something holding connections or a server scope. */
export type Closeable = AsyncDisposableLike & {
  /** Releases what it holds; calls made afterwards reject. Safe to call twice. */
  readonly close: () => Promise<void>
}

/** One operation as an async function. */
export type AsyncCall<N extends Operation.Name> = (input: Operation.Input<N>) => Promise<Operation.Output<N>>

/** Every `WhatsApp` operation as an async function. */
export type AsyncOperations = { readonly [N in Operation.Name]: AsyncCall<N> }

/** What `createWhatsApp` gives: the operations, who provides them, and `close`. */
export type AsyncWhatsApp = AsyncOperations &
  Closeable & {
    readonly provider: string
    readonly capabilities: WhatsApp.Shape["capabilities"]
  }

/** The error an async call rejects with: the failure itself, so `instanceof` and `_tag` work. */
const settle = <A>(exit: Exit.Exit<A, unknown>): A => {
  if (Exit.isSuccess(exit)) return exit.value
  throw Cause.squash(exit.cause)
}

const redacted = (secret: Secret): Redacted.Redacted<string> =>
  Redacted.isRedacted(secret) ? secret : Redacted.make(secret)

/** Node itself, not a runtime imitating it (Bun and Deno set `process.versions.node` too). */
const onNode = (): boolean => {
  const runtime = globalThis as { readonly process?: { readonly release?: { readonly name?: unknown } } }
  return runtime.process?.release?.name === "node" && !("Bun" in globalThis) && !("Deno" in globalThis)
}

/**
 * What the `WhatsApp` service sends with: on Node, `pombo/node`'s `httpClient` (undici's `request`,
 * about half the CPU per request of `fetch`), loaded only there; elsewhere the platform's `fetch`.
 */
const httpClient: Layer.Layer<HttpClient.HttpClient> = Layer.unwrap(
  Effect.promise(async () => (onNode() ? (await import("./node.ts")).httpClient : FetchHttpClient.layer))
)

/**
 * The provider layer for an explicit config, or `Pombo.layerConfig`'s choice from the environment.
 * Like `Pombo.layerConfig`, it loads the configured vendor's package only, when it is built.
 */
const layerOf = (config: WhatsAppConfig | undefined): Layer.Layer<WhatsApp.WhatsApp, Config.ConfigError> => {
  // A fresh read of `process.env` per call (the default provider keeps its first snapshot).
  if (config === undefined) {
    return Pombo.layerConfigWithoutHttpClient.pipe(
      Layer.provide(httpClient),
      Layer.provide(ConfigProvider.layer(ConfigProvider.fromEnv()))
    )
  }
  const { baseUrl, timeout, retry } = config
  const client: Layer.Layer<WhatsApp.WhatsApp, never, HttpClient.HttpClient> = Layer.unwrap(
    config.provider === "megaapi"
      ? Effect.promise(() => import("@pombo/megaapi")).pipe(
          Effect.map(({ MegaApiClient, MegaApiWhatsApp }) =>
            Layer.provide(
              MegaApiWhatsApp.layer,
              MegaApiClient.layer({
                instanceKey: config.instanceKey,
                token: redacted(config.token),
                baseUrl,
                timeout,
                retry
              })
            )
          )
        )
      : Effect.promise(() => import("@pombo/zapi")).pipe(
          Effect.map(({ ZApiClient, ZApiWhatsApp }) =>
            Layer.provide(
              ZApiWhatsApp.layer,
              ZApiClient.layer({
                instanceId: config.instanceId,
                token: redacted(config.token),
                clientToken: config.clientToken === undefined ? undefined : redacted(config.clientToken),
                baseUrl,
                timeout,
                retry
              })
            )
          )
        )
  )
  return client.pipe(Layer.provide(httpClient))
}

const closedError = (what: string) => new Error(`pombo: ${what} was called after close()`)

/**
 * The `WhatsApp` service as async functions. Rejects with a `ConfigError` naming the variable
 * when the environment lacks one; each call rejects with its `WhatsAppError` (`InvalidRequest`
 * before anything is sent, `Unauthorized`, `RateLimited`…).
 */
export const createWhatsApp = async (config?: WhatsAppConfig): Promise<AsyncWhatsApp> => {
  const runtime = ManagedRuntime.make(layerOf(config))
  const service = settle(await runtime.runPromiseExit(Effect.service(WhatsApp.WhatsApp)).catch(dispose(runtime)))
  let closed = false
  const call = <N extends Operation.Name>(name: N): AsyncCall<N> => {
    const operation = service[name] as WhatsApp.Call<N>
    return async (input) => {
      if (closed) throw closedError(name)
      return settle(await runtime.runPromiseExit(operation(input)))
    }
  }
  const close = async () => {
    closed = true
    await runtime.dispose()
  }
  return Object.assign(Operation.record<AsyncOperations>(call), {
    provider: service.provider,
    capabilities: service.capabilities,
    close,
    [Symbol.asyncDispose]: close
  }) as AsyncWhatsApp
}

const dispose =
  (runtime: ManagedRuntime.ManagedRuntime<never, unknown>) =>
  async (error: unknown): Promise<never> => {
    await runtime.dispose()
    throw error
  }

/** What `createWebhookHandler` takes. */
export interface WebhookOptions {
  /**
   * The shared secret in the URL you give the vendor (`…/webhooks/zapi/<secret>`); URL-safe
   * characters only (`openssl rand -hex 32`). Default: `POMBO_WEBHOOK_SECRET`. Not used for Meta,
   * which signs its calls instead (`appSecret`).
   */
  readonly secret?: Secret | undefined
  /**
   * Meta only: the app secret its calls are signed with; each `POST {basePath}/meta` must carry a
   * valid `X-Hub-Signature-256` over its body, else 401. Default: `META_APP_SECRET`.
   */
  readonly appSecret?: Secret | undefined
  /**
   * Meta only: the verify token entered with the callback URL, answering Meta's `GET` check
   * (`hub.challenge`) on the same route. Default: `META_VERIFY_TOKEN`; without one that check is
   * refused (403).
   */
  readonly verifyToken?: Secret | undefined
  /** Whose payloads to decode. Default: `WHATSAPP_PROVIDER`. */
  readonly provider?: Pombo.Provider | undefined
  /**
   * Called for each event before the vendor gets its answer: resolve to acknowledge, reject to
   * make the vendor redeliver. Delivery is at-least-once: key your work on `event.id`.
   */
  readonly onEvent: (event: WhatsAppEvent.WhatsAppEvent) => void | Promise<void>
  /** Where the routes live: `{basePath}/{provider}/<secret>`. Default `/webhooks`. */
  readonly basePath?: `/${string}` | undefined
  /** Largest body accepted. Default 1 MiB. */
  readonly maxBodyBytes?: number | undefined
  /** Log one line per call (its route with the secret redacted, and status). Default `true`. */
  readonly accessLog?: boolean | undefined
}

/**
 * A Node `IncomingMessage` as the handler reads it (Express's and Fastify's `req.raw` are one):
 * declared structurally so this module needs no Node types.
 */
export interface NodeRequest extends AsyncIterable<Uint8Array | string> {
  readonly method?: string | undefined
  readonly url?: string | undefined
  /** Express keeps the path before a mount point here. */
  readonly originalUrl?: string | undefined
  readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
}

/** A Node `ServerResponse` as the handler writes it. */
export interface NodeResponse {
  statusCode: number
  setHeader(name: string, value: string | ReadonlyArray<string>): unknown
  end(body?: Uint8Array): unknown
}

/** The receiver mounted in a server: the same routes, authentication, bounds and decoding. */
export type WebhookHandler = Closeable & {
  /** The web-standard handler: Hono (`c.req.raw`), Next.js route handlers, Bun, Deno. */
  readonly fetch: (request: Request) => Promise<Response>
  /** The Node handler: Express, Fastify (`request.raw`, `reply.raw`), `node:http`. Mount it before any body parser. */
  readonly node: (request: NodeRequest, response: NodeResponse) => Promise<void>
}

/** Each vendor's webhook decoder, loaded with its package when the handler first serves. */
const decoders: Record<Pombo.Provider, () => Promise<WebhookReceiver.WebhookDecoder>> = {
  megaapi: () => import("@pombo/megaapi").then((vendor) => vendor.MegaApiWebhook.decoder),
  zapi: () => import("@pombo/zapi").then((vendor) => vendor.ZApiWebhook.decoder),
  meta: () => import("@pombo/meta").then((vendor) => vendor.MetaWebhook.decoder)
}

/** `POMBO_WEBHOOK_SECRET`: the shared secret of the webhook URL. */
export const webhookSecret: Config.Config<Redacted.Redacted<string>> = Config.Redacted("POMBO_WEBHOOK_SECRET")

/**
 * `META_APP_SECRET`: the app secret Meta signs its webhook calls with. Declared here as well as in
 * `MetaClient.config`, so that the handler reads it without loading Meta's package up front.
 */
export const metaAppSecret: Config.Config<Redacted.Redacted<string>> = Config.Redacted("META_APP_SECRET")

/** `META_VERIFY_TOKEN`: the verify token entered with the callback URL in Meta's app dashboard. */
export const metaVerifyToken: Config.Config<Redacted.Redacted<string>> = Config.Redacted("META_VERIFY_TOKEN")

/** How a route authenticates its calls: the shared secret in its URL, or (Meta) the signature's keys. */
interface Authentication {
  readonly secret: Redacted.Redacted<string>
  readonly meta?:
    | { readonly appSecret: Redacted.Redacted<string>; readonly verifyToken: Redacted.Redacted<string> | undefined }
    | undefined
}

/** The shared secret, from the options or `POMBO_WEBHOOK_SECRET`. */
const sharedSecret = (options: WebhookOptions): Effect.Effect<Authentication, Config.ConfigError> =>
  Effect.map(options.secret === undefined ? webhookSecret : Effect.succeed(redacted(options.secret)), (secret) => ({
    secret
  }))

/**
 * The keys of Meta's signature check and handshake, from the options or `META_APP_SECRET` /
 * `META_VERIFY_TOKEN`. Meta's route has no secret segment: the shared secret is a random one no
 * route uses.
 */
const metaSignature = (options: WebhookOptions): Effect.Effect<Authentication, Config.ConfigError> =>
  Effect.map(
    Effect.all({
      appSecret: options.appSecret === undefined ? metaAppSecret : Effect.succeed(redacted(options.appSecret)),
      verifyToken:
        options.verifyToken === undefined
          ? Effect.map(Config.option(metaVerifyToken), Option.getOrUndefined)
          : Effect.succeed(redacted(options.verifyToken))
    }),
    (meta) => ({
      secret: Redacted.make(
        Array.from(crypto.getRandomValues(new Uint8Array(24)), (byte) => byte.toString(16).padStart(2, "0")).join("")
      ),
      meta
    })
  )

/**
 * The webhook receiver (`WebhookReceiver`) as handlers for any server. Throws a `ConfigError`
 * at once when the secret or provider comes from an unset variable; its routes answer 401 to a
 * wrong secret (Meta: a missing or wrong signature), 200 once `onEvent` resolved for every event
 * of the call, 5xx if it rejected.
 */
export const createWebhookHandler = (options: WebhookOptions): WebhookHandler => {
  const resolved = Effect.runSync(
    Effect.gen(function* () {
      const provider = options.provider ?? (yield* Pombo.provider)
      const authentication = yield* (provider === "meta" ? metaSignature : sharedSecret)(options)
      return { provider, ...authentication }
    }).pipe(Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnv()))
  )
  const { provider, secret, meta } = resolved
  const web = HttpRouter.toWebHandler(
    Layer.unwrap(
      Effect.promise(async () => {
        const decoder = await decoders[provider]()
        const signatures =
          meta === undefined ? undefined : { meta: (await import("@pombo/meta")).MetaWebhook.signature(meta) }
        return WebhookReceiver.layer({
          decoders: [decoder],
          secret,
          signatures,
          basePath: options.basePath,
          maxBodyBytes: options.maxBodyBytes,
          accessLog: options.accessLog,
          onEvent: (event) => Effect.tryPromise(async () => options.onEvent(event))
        })
      })
    ),
    { disableLogger: true }
  )
  let closed = false
  const fetch = async (request: Request): Promise<Response> => {
    if (closed) return new Response("shutting down", { status: 503 })
    return web.handler(request)
  }
  const node = async (request: NodeRequest, response: NodeResponse): Promise<void> => {
    const answer = await fetch(toRequest(request))
    response.statusCode = answer.status
    answer.headers.forEach((value, name) => {
      response.setHeader(name, value)
    })
    response.end(new Uint8Array(await answer.arrayBuffer()))
  }
  const close = async () => {
    closed = true
    await web.dispose()
  }
  return { fetch, node, close, [Symbol.asyncDispose]: close } as WebhookHandler
}

const encoder = new TextEncoder()

/** A web `Request` over a Node request, its body streamed (the receiver bounds what it reads). */
const toRequest = (request: NodeRequest): Request => {
  const headers = new Headers()
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === "string") headers.set(name, value)
    else if (value !== undefined) for (const item of value) headers.append(name, item)
  }
  const method = request.method ?? "GET"
  const url = new URL(request.originalUrl ?? request.url ?? "/", `http://${headers.get("host") ?? "localhost"}`)
  if (method === "GET" || method === "HEAD") return new Request(url, { method, headers })
  const iterator = request[Symbol.asyncIterator]()
  const body = new ReadableStream<Uint8Array>({
    pull: async (controller) => {
      const next = await iterator.next()
      if (next.done) controller.close()
      else controller.enqueue(typeof next.value === "string" ? encoder.encode(next.value) : next.value)
    },
    cancel: async () => {
      await iterator.return?.()
    }
  })
  return new Request(url, { method, headers, body, duplex: "half" } as RequestInit)
}

const orThrow = <A, E>(result: Result.Result<A, E>): A => {
  if (Result.isSuccess(result)) return result.success
  throw result.failure
}

/** A contact from a phone number written any common way; throws `InvalidChatId` (see `ChatId.parsePhone`). */
export const contact = (phone: string, options?: ChatId.PhoneOptions): ChatId.Contact =>
  new ChatId.Contact({ phone: orThrow(ChatId.parsePhone(phone, options)) })

/** Any chat id form the vendors use (phone, JID, group, broadcast); throws `InvalidChatId` (see `ChatId.parse`). */
export const chat = (input: string, options?: ChatId.PhoneOptions): ChatId.ChatId =>
  orThrow(ChatId.parseResult(input, options))

/** The error classes a call rejects with (`error instanceof WhatsAppError.RateLimited`). */
export { WhatsAppError }
