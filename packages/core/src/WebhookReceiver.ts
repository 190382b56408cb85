/**
 * The HTTP endpoint the vendors post their webhooks to. Neither Mega-API nor Z-API signs its
 * calls, so the receiver authenticates each one with a shared secret (in the URL or a header,
 * compared in constant time), bounds what it reads (gzip included), decodes with the configured
 * provider decoders and hands the events to the application — **before** answering: the vendor
 * gets 2xx only once every event of the call was handled (or accepted by a durable `sink`), and
 * 5xx otherwise, so it redelivers. Delivery is therefore at-least-once: make `onEvent` idempotent,
 * keyed on `event.id`.
 *
 * Mount `make` in your own `HttpRouter`, or let `layer` register the routes for you; serve them on
 * `createServer(serverOptions())` (from `node:http`) for timeouts that close slow or stalled
 * connections. Without effect's HTTP server, `toNodeListener` serves the same routes as a plain
 * Node request listener; both entry points run the same steps (`internal/receiverSteps.ts`).
 */
import {
  type Array as Arr,
  ByteSize,
  Cause,
  Clock,
  Context,
  Data,
  Duration,
  Effect,
  Exit,
  Option,
  type Redacted,
  type Scope,
  Tracer
} from "effect"
import {
  HttpIncomingMessage,
  HttpMiddleware,
  HttpRouter,
  HttpServerError,
  type HttpServerRequest,
  type HttpServerResponse,
  HttpServerRequest as Request
} from "effect/http"
import * as NodeListenerModule from "./internal/nodeListener.ts"
import {
  accessLine,
  handshakeAnswer,
  makeReceiver,
  makeRoute,
  planRoutes,
  type ReadBody,
  type Receiver,
  type Route,
  redactedPath,
  redactedRoute
} from "./internal/receiverSteps.ts"
import type * as WebhookDecoderModule from "./WebhookDecoder.ts"
import type { WhatsAppEvent } from "./WhatsAppEvent.ts"

/** A vendor's decoder (see `WebhookDecoder`). */
export type WebhookDecoder = WebhookDecoderModule.WebhookDecoder

/**
 * What a `DedupeStore` answers for an event id: `"fresh"` — handle it now (the id is reserved
 * until `commit` or `release`); `"duplicate"` — already handled within the window, drop it;
 * `"busy"` — another delivery of the same event is being handled right now (the vendor is asked
 * to retry later, which then finds it handled, or released and handles it).
 */
export type Claim = "fresh" | "duplicate" | "busy"

/**
 * Remembers which events were handled, so a vendor's redelivery is dropped, without ever
 * dropping an event whose handling failed. For each event the receiver calls `claim`; on
 * `"fresh"` it runs `onEvent`, then `commit`s the id (remembered for `ttl`) when the handler
 * succeeded or `release`s it when it failed or was interrupted (so the vendor's redelivery is
 * handled).
 *
 * The in-memory default (`memoryDedupeStore`) only knows its own process. With several processes
 * behind a load balancer, plug a shared store whose claim is atomic, e.g. Redis:
 * `claim` = `SET pombo:webhook:<id> pending NX PX <lease>` (`"fresh"` when set, else `"busy"` or
 * `"duplicate"` by the stored value), `commit` = `SET pombo:webhook:<id> handled PX <ttl>`,
 * `release` = `DEL pombo:webhook:<id>`; the lease bounds how long a crashed process blocks a
 * redelivery. A store that cannot answer should recover to `"busy"`: the vendor gets 503 and
 * retries, so nothing is lost. For events that must survive a crash once acknowledged, use a
 * durable `sink` instead (`@pombo/inbox`), whose unique key on the event id is the dedupe.
 */
export interface DedupeStore {
  readonly claim: (id: string, ttl: Duration.Duration) => Effect.Effect<Claim>
  readonly commit: (id: string, ttl: Duration.Duration) => Effect.Effect<void>
  readonly release: (id: string) => Effect.Effect<void>
}

/**
 * How a `sink` took the events of one call: `"accepted"` — the vendor gets 200; `"busy"` — 503
 * with `Retry-After`; `"failed"` — 500. Anything but `"accepted"` makes the vendor redeliver.
 */
export type Acceptance = "accepted" | "busy" | "failed"

/**
 * Where the decoded events of one webhook call go before the vendor gets its answer. By default
 * the receiver builds one from `onEvent` (dedupe, then run the handler now). A durable inbox
 * replaces it: `accept` writes the events to its store and answers `"accepted"` once they are
 * stored, and the inbox's own worker runs the handler later. `accept` runs in the receiver's
 * scope, counts against `maxInFlight`, and is interrupted at shutdown after `shutdownTimeout`.
 */
export interface EventSink {
  readonly accept: (events: ReadonlyArray<WhatsAppEvent>) => Effect.Effect<Acceptance>
}

/**
 * Where the vendor puts the shared secret: `"path"` (default), the last segment of the URL
 * (`/webhooks/zapi/<secret>`; the route ends in `/*`), or a request header, for vendors or
 * proxies that can add one.
 */
export type SecretLocation = "path" | { readonly header: string }

/**
 * A vendor that signs its webhooks instead of calling a secret URL (Meta's `X-Hub-Signature-256`):
 * its route is `POST {basePath}/{provider}` with no secret segment, and every call must carry a
 * valid signature over the body bytes as the vendor sent them (after any `Content-Encoding` is
 * undone, never re-serialised JSON). `handshake`, when given, answers the vendor's `GET`
 * verification of the URL on the same route.
 */
export interface WebhookSignature {
  /** Whether `body` (the exact bytes received) carries a valid signature in `headers`; constant time. */
  readonly verify: (headers: Readonly<Record<string, string | undefined>>, body: Uint8Array) => boolean
  /** The text to answer a `GET` verification with (its query parameters given), or `undefined` to refuse it (403). */
  readonly handshake?: ((query: URLSearchParams) => string | undefined) | undefined
}

/** What every receiver takes, whatever it does with the events. */
export interface BaseOptions {
  /**
   * Providers that sign their calls, by provider name (`{ meta: MetaWebhook.signature(...) }`).
   * Their routes check the signature instead of the shared secret; the others keep the secret.
   */
  readonly signatures?: Readonly<Record<string, WebhookSignature>> | undefined
  /**
   * The providers' decoders. With one, every payload goes to it; with several, each is tried in
   * order and the first that recognises the payload (yields an event other than `Unknown`) wins.
   */
  readonly decoders: Arr.NonEmptyReadonlyArray<WebhookDecoder>
  /**
   * The shared secret configured in the vendor's webhook URL or header. In path mode it may hold
   * only URL-safe characters (`A-Z a-z 0-9 - . _ ~`, e.g. `openssl rand -hex 64`); any secret
   * longer than 4096 characters is refused when the receiver is built.
   */
  readonly secret: Redacted.Redacted<string>
  /** Default `"path"`. */
  readonly secretIn?: SecretLocation | undefined
  /**
   * The vendor instance this receiver serves (Z-API instance id, Mega-API instance key), handed
   * to the decoders as `Context.instance`: events of payloads that do not name their instance
   * (some Mega-API payloads omit `instance_key`) carry it, and it keeps event ids of two
   * instances apart. Serve one receiver per instance to use it. Default: none.
   */
  readonly instance?: string | undefined
  /** Largest body accepted, before and after gzip decompression. Default 1 MiB. */
  readonly maxBodyBytes?: number | undefined
  /**
   * Calls being read, decoded or handled at once (authenticated calls only). Above it the vendor
   * gets 503 with `Retry-After` instead of a queue growing without limit. Default 64.
   */
  readonly maxInFlight?: number | undefined
  /** The `Retry-After` sent with every 503 (overload, shutdown, busy). Default 5 seconds. */
  readonly retryAfter?: Duration.Input | undefined
  /**
   * When the receiver's scope closes it stops accepting calls (503) and waits this long for the
   * calls in flight; handlers still running then are interrupted (their events were not
   * acknowledged, so the vendor redelivers them). Default 10 seconds.
   */
  readonly shutdownTimeout?: Duration.Input | undefined
  /**
   * In path mode the server's access log and trace span would show the URL, secret included: the
   * receiver silences that log line and logs its own naming the route (`/webhooks/zapi/*`), and
   * writes `url.full` / `url.path` of the server span with the secret segment as `<redacted>`.
   * Set `false` to drop the receiver's own log line too. Default `true`.
   */
  readonly accessLog?: boolean | undefined
}

/** The default mode: the receiver runs `onEvent` itself before answering. */
export interface HandlerOptions<E = never, R = never> extends BaseOptions {
  /**
   * The application's handler. The vendor gets 2xx only after it succeeded for every event of
   * the call; if it fails (or is interrupted at shutdown) the vendor gets 5xx and redelivers.
   * Delivery is at-least-once — a redelivery can follow a handler that succeeded but whose 2xx
   * was lost, or a later event of the same call that failed — so make it idempotent, keyed on
   * `event.id` (stable across redeliveries).
   */
  readonly onEvent: (event: WhatsAppEvent) => Effect.Effect<void, E, R>
  /** How long a handled event id is remembered. Default 10 minutes. */
  readonly dedupeWindow?: Duration.Input | undefined
  /** Default: a bounded in-memory store private to this receiver (`memoryDedupeStore()`). */
  readonly dedupeStore?: DedupeStore | undefined
  readonly sink?: undefined
}

/** The store mode: the events go to a `sink` (e.g. a durable inbox) instead of a handler. */
export interface SinkOptions extends BaseOptions {
  readonly sink: EventSink
  readonly onEvent?: undefined
  readonly dedupeWindow?: undefined
  readonly dedupeStore?: undefined
}

/** Everything the receiver needs; only `decoders`, `secret` and `onEvent` (or `sink`) have no default. */
export type Options<E = never, R = never> = HandlerOptions<E, R> | SinkOptions

/** `Options` plus where `layer` mounts its routes. */
export type LayerOptions<E = never, R = never> = Options<E, R> & {
  /** Default `/webhooks`. */
  readonly basePath?: `/${string}` | undefined
}

export {
  defaultMaxBodyBytes,
  defaultMaxInFlight,
  defaultRetryAfter,
  defaultShutdownTimeout,
  maxSecretLength
} from "./internal/receiverSteps.ts"

/** The default redelivery window: vendors retry within minutes, not hours. */
export const defaultDedupeWindow: Duration.Duration = Duration.minutes(10)

/**
 * An in-process `DedupeStore`: enough for one process, bounded so a flood of distinct ids cannot
 * exhaust memory (the oldest handled ids are forgotten first; ids being handled are kept),
 * expiring with the `Clock` (so `TestClock` drives it in tests).
 */
export const memoryDedupeStore = (options?: { readonly maxEntries?: number | undefined }): DedupeStore => {
  const maxEntries = Math.max(1, options?.maxEntries ?? 100_000)
  const pending = -1
  // id → expiry of a handled id, or `pending`.
  const entries = new Map<string, number>()
  // The handled ids in the order they were committed (≈ expiry order), with the expiry each was
  // committed with: a record whose id was claimed or committed again since is stale, and skipped.
  // A queue, not the map's own order: iterating a map from its front after deleting there walks
  // every deleted slot until the map is rehashed — tens of µs per call once the window is full.
  let ids: Array<string> = []
  let expiries: Array<number> = []
  let head = 0
  const dropHead = () => {
    head += 1
    if (head >= 1024 && head * 2 >= ids.length) {
      ids = ids.slice(head)
      expiries = expiries.slice(head)
      head = 0
    }
  }
  const sweep = (now: number) => {
    while (head < ids.length && expiries[head]! <= now) {
      const id = ids[head]!
      if (entries.get(id) === expiries[head]) entries.delete(id)
      dropHead()
    }
  }
  const bound = () => {
    while (entries.size > maxEntries && head < ids.length) {
      const id = ids[head]!
      if (entries.get(id) === expiries[head]) entries.delete(id)
      dropHead()
    }
  }
  return {
    claim: (id) =>
      Effect.map(Clock.currentTimeMillis, (now): Claim => {
        sweep(now)
        const expiresAt = entries.get(id)
        if (expiresAt === pending) return "busy"
        if (expiresAt !== undefined && expiresAt > now) return "duplicate"
        entries.set(id, pending)
        bound()
        return "fresh"
      }),
    commit: (id, ttl) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        const expiresAt = now + Duration.toMillis(ttl)
        entries.set(id, expiresAt)
        ids.push(id)
        expiries.push(expiresAt)
        bound()
      }),
    release: (id) =>
      Effect.sync(() => {
        if (entries.get(id) === pending) entries.delete(id)
      })
  }
}

export { decodeWith } from "./internal/decodeWith.ts"

/** Timeouts of the HTTP server the receiver is served on (see `serverOptions`). */
export interface ServerOptions {
  /** Time a client has to send the request headers. Default 10 seconds. */
  readonly headersTimeout?: Duration.Input | undefined
  /**
   * Time a client has to send the whole request, headers and body (not the time the handler
   * takes). Default 30 seconds; at least `headersTimeout`.
   */
  readonly requestTimeout?: Duration.Input | undefined
  /** How long an idle keep-alive connection stays open between requests. Default 5 seconds. */
  readonly keepAliveTimeout?: Duration.Input | undefined
}

const millisOf = (input: Duration.Input | undefined, fallback: Duration.Duration) =>
  Duration.toMillis(input === undefined ? fallback : Duration.fromInputUnsafe(input))

/** `node:http` server options, in milliseconds, as `serverOptions` computes them. */
export interface NodeServerOptions {
  readonly headersTimeout: number
  readonly requestTimeout: number
  readonly keepAliveTimeout: number
  readonly connectionsCheckingInterval: number
}

/**
 * Options for a `node:http` server whose timeouts close slow or stalled connections (a
 * "slow-loris" client dribbling its headers or body holds a socket for at most `requestTimeout`,
 * plus up to one second). Node's own defaults allow 300 s per request and check only every 30 s.
 * Serve the receiver on it: `NodeHttpServer.layer(() => createServer(WebhookReceiver.serverOptions()),
 * { port: 3000 })`, with `createServer` from `node:http`. Plain data, so this module needs no
 * Node types. Throws a `RangeError` for a timeout that is not positive or a header timeout longer
 * than the request timeout.
 */
export const serverOptions = (options: ServerOptions = {}): NodeServerOptions => {
  const headersTimeout = millisOf(options.headersTimeout, Duration.seconds(10))
  const requestTimeout = millisOf(options.requestTimeout, Duration.seconds(30))
  const keepAliveTimeout = millisOf(options.keepAliveTimeout, Duration.seconds(5))
  for (const [name, value] of Object.entries({ headersTimeout, requestTimeout, keepAliveTimeout })) {
    if (!Number.isFinite(value) || value <= 0) {
      throw new RangeError(`WebhookReceiver.serverOptions: ${name} must be a positive, finite duration`)
    }
  }
  if (headersTimeout > requestTimeout) {
    throw new RangeError("WebhookReceiver.serverOptions: headersTimeout must not exceed requestTimeout")
  }
  return {
    headersTimeout,
    requestTimeout,
    keepAliveTimeout,
    // Node checks the two request timeouts on this interval (30 s by default).
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeout / 2)))
  }
}

/**
 * What `make` gives: the handler to mount on a POST route. It always answers (200, 400, 401,
 * 413, 415, 500 or 503), never fails, so it cannot leak a request detail through the server's
 * error log.
 */
export type WebhookHandler = Effect.Effect<
  HttpServerResponse.HttpServerResponse,
  never,
  HttpServerRequest.HttpServerRequest
>

/** Runs `onEvent` on each fresh event, in order, stopping at the first that is not accepted. */
const handleNow = Effect.fnUntraced(function* <E, R>(options: HandlerOptions<E, R>) {
  const store = options.dedupeStore ?? memoryDedupeStore()
  const window = Duration.fromInput(options.dedupeWindow ?? defaultDedupeWindow).pipe(
    Option.getOrElse(() => defaultDedupeWindow)
  )
  const context = yield* Effect.context<R>()
  const accepted = Effect.succeed<Acceptance>("accepted")
  const busy = Effect.succeed<Acceptance>("busy")

  const deliver = (event: WhatsAppEvent): Effect.Effect<Acceptance> => {
    const id = `${event.provider}:${event.id}`
    const annotate = Effect.annotateLogs({ provider: event.provider, eventId: event.id, event: event._tag })
    const handled = Effect.as(store.commit(id, window), "accepted" as const)
    // Uninterruptible between the claim and its commit or release: a claim is never left behind.
    return Effect.uninterruptibleMask((restore) =>
      Effect.flatMap(store.claim(id, window), (claim): Effect.Effect<Acceptance> => {
        if (claim === "duplicate")
          return Effect.as(annotate(Effect.logDebug("pombo webhook: redelivery dropped")), "accepted")
        if (claim === "busy") return busy
        return Effect.matchCauseEffect(restore(Effect.provideContext(options.onEvent(event), context)), {
          onSuccess: () => handled,
          onFailure: (cause) =>
            Effect.andThen(
              store.release(id),
              Cause.hasInterruptsOnly(cause)
                ? busy
                : Effect.as(annotate(Effect.logError("pombo webhook: event handler failed", cause)), "failed" as const)
            )
        })
      })
    )
  }

  const from = (events: ReadonlyArray<WhatsAppEvent>, index: number): Effect.Effect<Acceptance> => {
    const event = events[index]
    if (event === undefined) return accepted
    return Effect.flatMap(deliver(event), (acceptance) =>
      acceptance === "accepted" ? from(events, index + 1) : Effect.succeed(acceptance)
    )
  }
  const sink: EventSink = { accept: (events) => from(events, 0) }
  return sink
})

/** The receiver of `options`: its sink (`sink`, or `onEvent` run now), bound and shutdown in the current scope. */
const prepare = <E, R>(options: Options<E, R>) =>
  Effect.flatMap(options.sink === undefined ? handleNow(options) : Effect.succeed(options.sink), (sink) =>
    makeReceiver(options, sink)
  )

/**
 * The body, read whole by the server's own reader, which stops at `maxBytes` (Node's drains the
 * rest, so the connection survives; the web one cancels the stream). `receive` checks it again
 * after, for a server whose reader ignores the limit.
 */
const readBounded = (request: HttpServerRequest.HttpServerRequest, limit: ByteSize.ByteSize) =>
  Effect.matchEffect(Effect.provideService(request.arrayBuffer, HttpIncomingMessage.MaxBodySize, limit), {
    onFailure: (error) =>
      Effect.succeed<ReadBody>(
        error.reason._tag === "RequestParseError" && error.reason.reason === "BodyTooLarge" ? "tooLarge" : "unreadable"
      ),
    onSuccess: (buffer) => Effect.succeed<ReadBody>(new Uint8Array(buffer))
  })

/** The route's secret segment, in path mode the route's wildcard (`/*`: a `:param` would cap its length). */
const routeSecret = (context: Context.Context<never>): string | undefined =>
  Context.getOrUndefined(context, HttpRouter.RouteContext)?.params["*"]

/**
 * The POST handler of one route: the route's checks, then — admitted — the body read and the
 * route's steps in a fiber of the receiver, whose answer the request waits for (a vendor that
 * hangs up interrupts only the wait).
 */
const handlerOf = (receiver: Receiver, route: Route): WebhookHandler => {
  const bodyLimit = ByteSize.bytes(receiver.maxBytes)
  return Effect.withFiber((fiber) => {
    const request = Context.getUnsafe(fiber.context, Request.HttpServerRequest)
    const headers = request.headers
    const gzipped = route.check(headers, routeSecret(fiber.context))
    if (typeof gzipped !== "boolean") return Effect.succeed(gzipped.response)
    const refused = receiver.enter()
    if (refused !== undefined) return Effect.succeed(refused.response)
    const call = Effect.flatMap(readBounded(request, bodyLimit), (body) => route.receive(body, gzipped, headers))
    return Effect.callback<HttpServerResponse.HttpServerResponse>((resume) => {
      receiver.run(call, fiber.context, (answer) => resume(Effect.succeed(answer.response)))
    })
  })
}

/** A vendor's `GET` verification of the URL: the answer it expects, or 403. */
const answerHandshake = (handshake: (query: URLSearchParams) => string | undefined) =>
  Effect.map(Request.HttpServerRequest, (request) => handshakeAnswer(handshake, request.url).response)

/**
 * Keeps the URL of a path-mode request — which holds the secret — out of the access log and the
 * server span. The span is created (and its URL attributes written at its end) by the server,
 * outside any route, so the receiver rewrites the writes it makes: `url.full` and `url.path` get
 * the redacted route, and a 5xx span error names the redacted route instead of the URL. `route`
 * is the path the handler is mounted at, when known (`layer`); `make`'s handler finds it per call.
 */
const guardUrl = (receiver: Receiver, handler: WebhookHandler, route?: string): WebhookHandler => {
  if (receiver.secretIn !== "path") return handler
  const known = route === undefined ? undefined : redactedRoute(route)
  const quiet = HttpMiddleware.withLoggerDisabled(handler)
  return Effect.withFiber((fiber) => {
    const path =
      known ??
      redactedRoute(Context.getOrUndefined(fiber.context, HttpRouter.RouteContext)?.route.path ?? "/<redacted>")
    redactServerSpan(fiber.context, path)
    if (!receiver.accessLog) return quiet
    const request = Context.getUnsafe(fiber.context, Request.HttpServerRequest)
    return Effect.tap(quiet, (response) => accessLine(request.method, { "http.route": path }, response.status))
  })
}

/**
 * A global middleware for the rest of the application's routes: a request outside `basePath` whose
 * path holds the secret as a segment (a vendor pointed at a mistyped URL) is logged and traced
 * with that segment as `<redacted>`, like the receiver's own routes. Costs one hash per path
 * segment of such requests.
 */
const guardElsewhere =
  (receiver: Receiver, basePath: string) =>
  <E, R>(app: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>) =>
    Effect.withFiber((fiber) => {
      const request = Context.getUnsafe(fiber.context, Request.HttpServerRequest)
      const url = request.url
      if (url.startsWith(basePath) && (url.length === basePath.length || "/?#".includes(url[basePath.length]!))) {
        return app
      }
      const redacted = redactedPath(receiver, url)
      if (redacted === undefined) return app
      redactServerSpan(fiber.context, redacted)
      return HttpMiddleware.withLoggerDisabled(app).pipe(
        Effect.onExit((exit) => {
          if (!receiver.accessLog) return Effect.void
          const status = Exit.isSuccess(exit)
            ? exit.value.status
            : Cause.hasInterruptsOnly(exit.cause)
              ? 499
              : exit.cause.reasons.some(
                    (reason) =>
                      reason._tag === "Fail" &&
                      HttpServerError.isHttpServerError(reason.error) &&
                      reason.error.reason._tag === "RouteNotFound"
                  )
                ? 404
                : 500
          return accessLine(request.method, { "http.url": redacted }, status)
        })
      )
    })

/** A server span's 5xx error, naming the route with its secret segment redacted. */
class RedactedResponseError extends Data.TaggedError("ResponseError")<{
  readonly method: string
  readonly route: string
  readonly status: number
}> {
  override get message() {
    return `ResponseError (${this.status} ${this.method} ${this.route})`
  }
}

const serverSpanOf = (span: Tracer.AnySpan | undefined): Tracer.Span | undefined => {
  let current = span
  while (current !== undefined && current._tag === "Span") {
    if (current.kind === "server") return current
    current = Option.getOrUndefined(current.parent)
  }
  return undefined
}

/** Rewrites what the server span of the call in `context` will record of its URL (see `guardUrl`). */
const redactServerSpan = (context: Context.Context<never>, path: string): void => {
  const span = serverSpanOf(Context.getOrUndefined(context, Tracer.ParentSpan))
  if (span === undefined) return
  const attribute = span.attribute
  span.attribute = function (key, value) {
    if (key === "url.path") return attribute.call(this, key, path)
    if (key === "url.full" && typeof value === "string") {
      const url = new URL(value)
      return attribute.call(this, key, `${url.origin}${path}${url.search}`)
    }
    return attribute.call(this, key, value)
  }
  const end = span.end
  span.end = function (endTime, exit) {
    // A 5xx ends the span with an error holding the request, whose URL and rendering hold the
    // secret: it is replaced by one naming the redacted route.
    const redacted = Exit.isFailure(exit)
      ? Exit.failCause(
          Cause.map(exit.cause, (error) =>
            HttpServerError.isHttpServerError(error) && error.reason._tag === "ResponseError"
              ? new RedactedResponseError({
                  method: error.reason.request.method,
                  route: path,
                  status: error.reason.response.status
                })
              : error
          )
        )
      : exit
    return end.call(this, endTime, redacted)
  }
}

/**
 * Builds the webhook handler for one mount point: mount it with
 * `router.add("POST", "/webhooks/zapi/*", handler)` (path mode; the wildcard takes a secret of
 * any length, where a `:param` is capped by the router) or at any path in header mode. It needs a
 * `Scope` that outlives the requests (a layer's, or your app's): the handlers run in fibers of
 * that scope, and closing it shuts the receiver down gracefully (see `shutdownTimeout`).
 */
export const make = <E = never, R = never>(
  options: Options<E, R>
): Effect.Effect<WebhookHandler, never, Scope.Scope | R> =>
  Effect.map(prepare(options), (receiver) =>
    guardUrl(receiver, handlerOf(receiver, makeRoute(receiver, options.decoders)))
  )

/**
 * Registers the receiver in the application's `HttpRouter`: one route per provider
 * (`POST {basePath}/{provider}/*`, the secret as last segment, or `POST {basePath}/{provider}`
 * when it comes in a header) and, with several decoders, one more at `{basePath}/*` (or
 * `{basePath}`) that auto-detects the vendor. In path mode every other request under `basePath`
 * (another method, an unknown path) gets 404 with the same care for the URL, and so does any
 * request elsewhere in the application whose path holds the secret (a mistyped vendor URL). All routes share
 * one dedupe store, one in-flight bound and one shutdown. Serve it with
 * `HttpRouter.serve(layer(options))` on `createServer(serverOptions())`; without effect's HTTP
 * server, `toNodeListener` serves the same routes.
 */
export const layer = <E = never, R = never>(options: LayerOptions<E, R>) =>
  HttpRouter.use(
    Effect.fnUntraced(function* (router) {
      const receiver = yield* prepare(options)
      const { basePath, pathMode, providers, detect } = planRoutes(receiver, options)
      for (const { path, route, signature } of providers) {
        if (signature !== undefined) {
          // No secret in a signed route's URL: the server's access log may show it, if wanted.
          const logged = (handler: WebhookHandler) =>
            receiver.accessLog ? handler : HttpMiddleware.withLoggerDisabled(handler)
          yield* router.add("POST", path as HttpRouter.PathInput, logged(handlerOf(receiver, route)))
          const handshake = signature.handshake
          if (handshake !== undefined) {
            yield* router.add("GET", path as HttpRouter.PathInput, logged(answerHandshake(handshake)))
          }
          continue
        }
        yield* router.add("POST", path as HttpRouter.PathInput, guardUrl(receiver, handlerOf(receiver, route), path))
      }
      const detectHandler = detect === undefined ? undefined : handlerOf(receiver, detect)
      if (!pathMode) {
        if (detectHandler !== undefined)
          yield* router.add("POST", basePath === "" ? "/" : (basePath as HttpRouter.PathInput), detectHandler)
        return
      }
      // Everything else under `basePath`: the auto-detecting POST, or a quiet 404 — never the
      // server's default 404, which logs and traces the URL with the secret in it.
      const notFound = Effect.succeed(receiver.answers.notFound.response)
      const rest = Effect.withFiber((fiber) => {
        const request = Context.getUnsafe(fiber.context, Request.HttpServerRequest)
        const segment = routeSecret(fiber.context)
        const single = segment !== undefined && segment !== "" && !segment.includes("/")
        return detectHandler !== undefined && request.method === "POST" && single ? detectHandler : notFound
      })
      const restPath = `${basePath}/*` as HttpRouter.PathInput
      yield* router.add("*", restPath, guardUrl(receiver, rest, restPath))
      yield* router.addGlobalMiddleware(guardElsewhere(receiver, basePath === "" ? "/" : basePath))
    })
  )

/** What `toNodeListener` reads of a Node `IncomingMessage` (Express's and Fastify's `.raw` included). */
export type NodeRequest = NodeListenerModule.NodeRequest

/** What `toNodeListener` writes of a Node `ServerResponse`. */
export type NodeResponse = NodeListenerModule.NodeResponse

/** A Node request listener: `createServer(listener)`, or a route's handler in Express or Fastify. */
export type NodeListener = NodeListenerModule.NodeListener

/**
 * The receiver as a plain Node request listener, without effect's HTTP server: the same routes as
 * `layer` (`{basePath}/{provider}/<secret>`, the auto-detecting route, Meta's signed route and
 * its `GET` handshake, a quiet 404 for the rest) and the same steps, checks and answers, at a
 * fraction of the CPU per call. Serve it with `createServer(serverOptions(), listener)` from
 * `node:http`, or mount it in Express (`app.post("/webhooks/*path", listener)`, before any body
 * parser) or Fastify (`reply.hijack(); listener(request.raw, reply.raw)`). Each admitted call
 * runs in a server span naming the route; with `accessLog`, one log line per request names the
 * route, never the URL. Needs a `Scope` that outlives the requests: closing it shuts the
 * receiver down as `layer`'s does (503 to new calls, `shutdownTimeout` for those in flight).
 */
export const toNodeListener = <E = never, R = never>(
  options: LayerOptions<E, R>
): Effect.Effect<NodeListener, never, Scope.Scope | R> =>
  Effect.flatMap(prepare(options), (receiver) =>
    Effect.map(Effect.context<never>(), (context) =>
      NodeListenerModule.nodeListener(receiver, planRoutes(receiver, options), context)
    )
  )
