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
 * connections.
 */
import { hash, randomBytes, timingSafeEqual } from "node:crypto"
import { gunzip } from "node:zlib"
import {
  type Array as Arr,
  ByteSize,
  Cause,
  Clock,
  Context,
  Data,
  Deferred,
  Duration,
  Effect,
  Exit,
  Fiber,
  Option,
  Redacted,
  Scope,
  Tracer
} from "effect"
import {
  HttpIncomingMessage,
  HttpMiddleware,
  HttpRouter,
  HttpServerError,
  type HttpServerRequest,
  HttpServerResponse,
  HttpServerRequest as Request
} from "effect/http"
import * as WebhookDecoderModule from "./WebhookDecoder.ts"
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

/** The default body limit: 1 MiB, far above any real vendor payload (media come as URLs). */
export const defaultMaxBodyBytes = 1024 * 1024

/** The default redelivery window: vendors retry within minutes, not hours. */
export const defaultDedupeWindow: Duration.Duration = Duration.minutes(10)

/** The default bound on calls in flight: ~64 MiB of bodies at most, far above a vendor's rate. */
export const defaultMaxInFlight = 64

/** The default `Retry-After` of a 503. */
export const defaultRetryAfter: Duration.Duration = Duration.seconds(5)

/** The default wait for calls in flight when the receiver shuts down. */
export const defaultShutdownTimeout: Duration.Duration = Duration.seconds(10)

/** The longest secret accepted: far beyond any vendor's URL field, well inside Node's 16 KiB header limit. */
export const maxSecretLength = 4096

/**
 * An in-process `DedupeStore`: enough for one process, bounded so a flood of distinct ids cannot
 * exhaust memory (the oldest handled ids are forgotten first; ids being handled are kept),
 * expiring with the `Clock` (so `TestClock` drives it in tests).
 */
export const memoryDedupeStore = (options?: { readonly maxEntries?: number | undefined }): DedupeStore => {
  const maxEntries = Math.max(1, options?.maxEntries ?? 100_000)
  const pending = -1
  // id → expiry of a handled id, or `pending`. Insertion order ≈ expiry order (commit re-inserts),
  // so expired ids are swept from the front.
  const entries = new Map<string, number>()
  const sweep = (now: number) => {
    for (const [key, expiresAt] of entries) {
      if (expiresAt === pending) continue
      if (expiresAt > now) break
      entries.delete(key)
    }
  }
  const bound = () => {
    while (entries.size > maxEntries) {
      let oldest: string | undefined
      for (const [key, expiresAt] of entries) {
        if (expiresAt !== pending) {
          oldest = key
          break
        }
      }
      if (oldest === undefined) return
      entries.delete(oldest)
    }
  }
  return {
    claim: (id) =>
      Effect.map(Clock.currentTimeMillis, (now): Claim => {
        sweep(now)
        const expiresAt = entries.get(id)
        if (expiresAt === pending) return "busy"
        if (expiresAt !== undefined && expiresAt > now) return "duplicate"
        entries.delete(id)
        entries.set(id, pending)
        bound()
        return "fresh"
      }),
    commit: (id, ttl) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        entries.delete(id)
        entries.set(id, now + Duration.toMillis(ttl))
        bound()
      }),
    release: (id) =>
      Effect.sync(() => {
        if (entries.get(id) === pending) entries.delete(id)
      })
  }
}

/**
 * Runs the decoders over one payload the way the receiver does: the first decoder whose result
 * holds an event other than `Unknown` wins; otherwise the first non-empty result (its
 * `Unknown`s), so nothing is silently dropped.
 */
export const decodeWith = (
  decoders: ReadonlyArray<WebhookDecoder>,
  payload: unknown,
  context: WebhookDecoderModule.Context
): ReadonlyArray<WhatsAppEvent> => {
  let fallback: ReadonlyArray<WhatsAppEvent> = []
  for (const decoder of decoders) {
    const events = WebhookDecoderModule.make(decoder).decode(payload, context)
    if (events.some((event) => event._tag !== "Unknown")) return events
    if (fallback.length === 0) fallback = events
  }
  return fallback
}

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
 * The answers of one receiver that never change, made once: a call that gets one shares it
 * (responses are immutable), so refusing or acknowledging a call allocates nothing.
 */
interface Answers {
  readonly ok: HttpServerResponse.HttpServerResponse
  readonly unauthorized: HttpServerResponse.HttpServerResponse
  readonly unsupportedType: HttpServerResponse.HttpServerResponse
  readonly unsupportedEncoding: HttpServerResponse.HttpServerResponse
  readonly tooLarge: HttpServerResponse.HttpServerResponse
  readonly unreadable: HttpServerResponse.HttpServerResponse
  readonly notUtf8: HttpServerResponse.HttpServerResponse
  readonly malformedJson: HttpServerResponse.HttpServerResponse
  readonly malformedGzip: HttpServerResponse.HttpServerResponse
  readonly handlerFailed: HttpServerResponse.HttpServerResponse
  readonly busy: HttpServerResponse.HttpServerResponse
  readonly overloaded: HttpServerResponse.HttpServerResponse
  readonly shuttingDown: HttpServerResponse.HttpServerResponse
  readonly notFound: HttpServerResponse.HttpServerResponse
}

const makeAnswers = (retryAfter: string): Answers => {
  const text = (status: number, reason: string) => HttpServerResponse.text(reason, { status })
  const unavailable = (reason: string) =>
    HttpServerResponse.text(reason, { status: 503, headers: { "retry-after": retryAfter } })
  return {
    ok: HttpServerResponse.empty({ status: 200 }),
    unauthorized: text(401, "unauthorized"),
    unsupportedType: text(415, "unsupported content type: send application/json"),
    unsupportedEncoding: text(415, "unsupported content encoding"),
    tooLarge: text(413, "body too large"),
    unreadable: text(400, "unreadable body"),
    notUtf8: text(400, "body is not valid UTF-8"),
    malformedJson: text(400, "malformed JSON"),
    malformedGzip: text(400, "malformed gzip body"),
    handlerFailed: text(500, "event handler failed"),
    busy: unavailable("busy, retry later"),
    overloaded: unavailable("too many calls in flight"),
    shuttingDown: unavailable("shutting down"),
    notFound: HttpServerResponse.empty({ status: 404 })
  }
}

// Both sides are hashed with a per-receiver random prefix: equal-length digests for
// `timingSafeEqual`, whatever length the presented value has, and a hash's time depends only on
// its input's length. One-shot `hash`: half the time of an `Hmac` object per call.
const makeSecretCheck = (secret: Redacted.Redacted<string>) => {
  const prefix = randomBytes(32).toString("base64")
  const digest = (value: string) => hash("sha256", prefix + value, "buffer")
  const expected = digest(Redacted.value(secret))
  return (presented: string | undefined): boolean =>
    presented !== undefined && presented.length > 0 && timingSafeEqual(digest(presented), expected)
}

const urlSafe = /^[A-Za-z0-9._~-]+$/

const checkSecret = (secret: string, secretIn: SecretLocation): string | undefined => {
  if (secret.length === 0) return "the secret must not be empty"
  if (secret.length > maxSecretLength) {
    return `the secret has ${secret.length} characters; at most ${maxSecretLength} are accepted`
  }
  if (secretIn === "path" && !urlSafe.test(secret)) {
    return "a secret in the URL path may only hold A-Z a-z 0-9 - . _ ~ (e.g. `openssl rand -hex 64`), or pass it in a header"
  }
  return undefined
}

/**
 * The body, read whole by the server's own reader, which stops at `maxBytes` (Node's drains the
 * rest, so the connection survives; the web one cancels the stream). Checked again after, for a
 * server whose reader ignores the limit.
 */
const readBounded = (request: HttpServerRequest.HttpServerRequest, limit: ByteSize.ByteSize, maxBytes: number) =>
  Effect.matchEffect(Effect.provideService(request.arrayBuffer, HttpIncomingMessage.MaxBodySize, limit), {
    onFailure: (error) =>
      Effect.succeed<"tooLarge" | "unreadable">(
        error.reason._tag === "RequestParseError" && error.reason.reason === "BodyTooLarge" ? "tooLarge" : "unreadable"
      ),
    onSuccess: (buffer) => Effect.succeed(buffer.byteLength > maxBytes ? ("tooLarge" as const) : new Uint8Array(buffer))
  })

const gunzipBounded = (body: Uint8Array, maxBytes: number) =>
  Effect.callback<Uint8Array | "tooLarge" | "malformed">((resume) => {
    // `maxOutputLength` stops inflating past the limit: a gzip bomb costs at most `maxBytes`.
    gunzip(body, { maxOutputLength: maxBytes }, (error, result) => {
      if (error === null) resume(Effect.succeed(result))
      else if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") resume(Effect.succeed("tooLarge"))
      else resume(Effect.succeed("malformed"))
    })
  })

// `fatal`: invalid UTF-8 is refused, never replaced by U+FFFD and handed on as if it were sent.
const utf8 = new TextDecoder("utf-8", { fatal: true })

const jsonSubtype = /^application\/[a-z0-9.+-]+\+json$/

/** JSON or a `+json` type, in UTF-8; a missing Content-Type is read as JSON (vendors omit it). */
const isJsonContentType = (header: string | undefined): boolean => {
  if (header === undefined || header === "application/json") return true
  if (header.trim() === "") return true
  const [type = "", ...parameters] = header.toLowerCase().split(";")
  const mediaType = type.trim()
  if (mediaType !== "application/json" && !jsonSubtype.test(mediaType)) return false
  return parameters.every((parameter) => {
    const [name = "", value = ""] = parameter.split("=", 2).map((part) => part.trim())
    return name !== "charset" || ["utf-8", "utf8", '"utf-8"'].includes(value)
  })
}

/** Whether the body comes gzipped (`true`), as is (`false`), or in an encoding not read (`undefined`). */
const gzippedOf = (header: string | undefined): boolean | undefined => {
  if (header === undefined) return false
  const encoding = header.trim().toLowerCase()
  if (encoding === "identity" || encoding === "") return false
  return encoding === "gzip" || encoding === "x-gzip" ? true : undefined
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
  Effect.map(prepare(options), (shared) => guardUrl(shared, handlerOf(shared, options.decoders)))

/** What every route of one receiver shares: the secret check, the sink, the in-flight bound. */
interface Shared {
  readonly maxBytes: number
  readonly bodyLimit: ByteSize.ByteSize
  readonly instance: string | undefined
  readonly secretIn: SecretLocation
  readonly accessLog: boolean
  readonly answers: Answers
  readonly matches: (presented: string | undefined) => boolean
  /** Runs `effect` as one call in flight in the receiver's scope, or answers 503. */
  readonly admit: (
    effect: Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest>
  ) => WebhookHandler
  readonly sink: EventSink
}

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

const prepare = Effect.fnUntraced(function* <E, R>(options: Options<E, R>) {
  const secretIn = options.secretIn ?? "path"
  const refused = checkSecret(Redacted.value(options.secret), secretIn)
  if (refused !== undefined) return yield* Effect.die(new Error(`WebhookReceiver: ${refused}`))
  const maxBytes = options.maxBodyBytes ?? defaultMaxBodyBytes
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) {
    return yield* Effect.die(new Error("WebhookReceiver: maxBodyBytes must be a positive integer"))
  }
  const maxInFlight = options.maxInFlight ?? defaultMaxInFlight
  if (!Number.isSafeInteger(maxInFlight) || maxInFlight <= 0) {
    return yield* Effect.die(new Error("WebhookReceiver: maxInFlight must be a positive integer"))
  }
  const durationOf = (input: Duration.Input | undefined, fallback: Duration.Duration) =>
    input === undefined ? fallback : Option.getOrElse(Duration.fromInput(input), () => fallback)
  const retryAfter = Math.max(1, Math.ceil(Duration.toSeconds(durationOf(options.retryAfter, defaultRetryAfter))))
  const shutdownTimeout = durationOf(options.shutdownTimeout, defaultShutdownTimeout)
  const sink = options.sink ?? (yield* handleNow(options))
  const answers = makeAnswers(String(retryAfter))

  // Calls in flight run in `work`, a scope of their own, so the shutdown below can wait for them
  // before interrupting them, whatever the order the enclosing scope closes its finalizers in.
  const work = yield* Scope.make()
  let inFlight = 0
  let closing = false
  const drained = Deferred.makeUnsafe<void>()
  yield* Effect.addFinalizer(() =>
    Effect.gen(function* () {
      closing = true
      if (inFlight === 0) Deferred.doneUnsafe(drained, Exit.void)
      if (Option.isNone(yield* Effect.timeoutOption(Deferred.await(drained), shutdownTimeout))) {
        yield* Effect.logWarning("pombo webhook: calls still in flight at shutdown were interrupted").pipe(
          Effect.annotateLogs({ inFlight })
        )
      }
      yield* Scope.close(work, Exit.void)
    })
  )
  const settled = () => {
    inFlight -= 1
    if (closing && inFlight === 0) Deferred.doneUnsafe(drained, Exit.void)
  }
  const answered = (exit: Exit.Exit<HttpServerResponse.HttpServerResponse>) =>
    Exit.isSuccess(exit) ? exit.value : answers.shuttingDown

  // Counting and forking are one uninterruptible step, so no slot is ever taken without a fiber
  // to give it back; only the wait for the answer can be interrupted (the vendor hung up).
  const admit: Shared["admit"] = (effect) =>
    Effect.uninterruptibleMask((restore) => {
      if (closing) return Effect.succeed(answers.shuttingDown)
      if (inFlight >= maxInFlight) return Effect.succeed(answers.overloaded)
      inFlight += 1
      // The call runs in `work`, not in the request's fiber: a vendor that hangs up does not
      // interrupt a handler half-way, and the slot is held until the handler really ends —
      // counted down once its fiber has exited, so the shutdown never interrupts a finished call.
      // It starts at once, in this tick: no scheduler round-trip before the body is read.
      return Effect.flatMap(Effect.forkIn(effect, work, { startImmediately: true }), (fiber) => {
        fiber.addObserver(settled)
        return restore(Effect.map(Fiber.await(fiber), answered))
      })
    })

  const shared: Shared = {
    maxBytes,
    bodyLimit: ByteSize.bytes(maxBytes),
    instance: options.instance,
    secretIn,
    accessLog: options.accessLog ?? true,
    answers,
    matches: makeSecretCheck(options.secret),
    admit,
    sink
  }
  return shared
})

/** The route's secret segment, in path mode the route's wildcard (`/*`: a `:param` would cap its length). */
const routeSecret = (context: Context.Context<never>): string | undefined =>
  Context.getOrUndefined(context, HttpRouter.RouteContext)?.params["*"]

const providerOf = (decoders: ReadonlyArray<WebhookDecoder>) => decoders.map((decoder) => decoder.provider).join("|")

/**
 * The POST handler of one route: authenticate, check, admit, read, decode, hand over, answer.
 * A plain function per step and one fiber per call (the admitted one): the path every vendor call
 * takes allocates little beyond the body and its events.
 */
const handlerOf = (
  shared: Shared,
  decoders: ReadonlyArray<WebhookDecoder>,
  signature?: WebhookSignature
): WebhookHandler => {
  const { answers, maxBytes, bodyLimit, secretIn, instance, sink } = shared
  const provider = providerOf(decoders)
  const safeDecoders = decoders.map(WebhookDecoderModule.make)
  const header = secretIn === "path" ? undefined : secretIn.header.toLowerCase()

  // The parser's message would quote the body: only its size is logged.
  const refuse = (answer: HttpServerResponse.HttpServerResponse, body: Uint8Array) =>
    Effect.as(
      Effect.logWarning(
        `pombo webhook: ${answer === answers.notUtf8 ? "body is not valid UTF-8" : "malformed JSON"}`
      ).pipe(Effect.annotateLogs({ provider, bytes: body.byteLength })),
      answer
    )

  const accepted = (acceptance: Acceptance) =>
    acceptance === "accepted" ? answers.ok : acceptance === "busy" ? answers.busy : answers.handlerFailed

  const deliver = (request: HttpServerRequest.HttpServerRequest, body: Uint8Array) => {
    if (signature !== undefined && !signature.verify(request.headers, body)) return Effect.succeed(answers.unauthorized)
    let text: string
    try {
      text = utf8.decode(body)
    } catch {
      return refuse(answers.notUtf8, body)
    }
    let payload: unknown
    try {
      payload = JSON.parse(text)
    } catch {
      return refuse(answers.malformedJson, body)
    }
    return Effect.clockWith((clock) => {
      const receivedAt = new Date(clock.currentTimeMillisUnsafe())
      return Effect.map(sink.accept(decodeWith(safeDecoders, payload, { receivedAt, instance })), accepted)
    })
  }

  const inflated = (request: HttpServerRequest.HttpServerRequest) => (body: Uint8Array | "tooLarge" | "malformed") =>
    body === "tooLarge"
      ? Effect.succeed(answers.tooLarge)
      : body === "malformed"
        ? Effect.succeed(answers.malformedGzip)
        : deliver(request, body)

  const process = (request: HttpServerRequest.HttpServerRequest, gzipped: boolean) =>
    Effect.flatMap(readBounded(request, bodyLimit, maxBytes), (body) => {
      if (body === "tooLarge") return Effect.succeed(answers.tooLarge)
      if (body === "unreadable") return Effect.succeed(answers.unreadable)
      return gzipped ? Effect.flatMap(gunzipBounded(body, maxBytes), inflated(request)) : deliver(request, body)
    })

  return Effect.withFiber((fiber) => {
    const request = Context.getUnsafe(fiber.context, Request.HttpServerRequest)
    const headers = request.headers
    // A signed route is authenticated once its body is read (the signature covers it).
    if (
      signature === undefined &&
      !shared.matches(header === undefined ? routeSecret(fiber.context) : headers[header])
    ) {
      return Effect.succeed(answers.unauthorized)
    }
    if (!isJsonContentType(headers["content-type"])) return Effect.succeed(answers.unsupportedType)
    const gzipped = gzippedOf(headers["content-encoding"])
    if (gzipped === undefined) return Effect.succeed(answers.unsupportedEncoding)
    const declared = headers["content-length"]
    if (declared !== undefined && Number(declared) > maxBytes) return Effect.succeed(answers.tooLarge)
    return shared.admit(process(request, gzipped))
  })
}

/** A vendor's `GET` verification of the URL: the answer it expects, or 403. */
const answerHandshake = (handshake: (query: URLSearchParams) => string | undefined) =>
  Effect.gen(function* () {
    const request = yield* Request.HttpServerRequest
    const query = new URL(request.url, "http://receiver.invalid").searchParams
    const answer = handshake(query)
    return answer === undefined
      ? HttpServerResponse.text("forbidden", { status: 403 })
      : HttpServerResponse.text(answer, { status: 200 })
  })

/** The route as logged and traced: its secret segment (`*` or `:param`) as `<redacted>`. */
const redactedRoute = (path: string) => path.replace(/\/(\*|:[^/]+)(?=\/|$)/g, "/<redacted>")

/**
 * Keeps the URL of a path-mode request — which holds the secret — out of the access log and the
 * server span. The span is created (and its URL attributes written at its end) by the server,
 * outside any route, so the receiver rewrites the writes it makes: `url.full` and `url.path` get
 * the redacted route, and a 5xx span error names the redacted route instead of the URL. `route`
 * is the path the handler is mounted at, when known (`layer`); `make`'s handler finds it per call.
 */
const guardUrl = (shared: Shared, handler: WebhookHandler, route?: string): WebhookHandler => {
  if (shared.secretIn !== "path") return handler
  const known = route === undefined ? undefined : redactedRoute(route)
  const quiet = HttpMiddleware.withLoggerDisabled(handler)
  return Effect.withFiber((fiber) => {
    const path =
      known ??
      redactedRoute(Context.getOrUndefined(fiber.context, HttpRouter.RouteContext)?.route.path ?? "/<redacted>")
    redactServerSpan(fiber.context, path)
    if (!shared.accessLog) return quiet
    const request = Context.getUnsafe(fiber.context, Request.HttpServerRequest)
    return Effect.tap(quiet, (response) =>
      Effect.log("Sent HTTP response").pipe(
        Effect.annotateLogs({ "http.method": request.method, "http.route": path, "http.status": response.status })
      )
    )
  })
}

const decodedSegment = (segment: string) => {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

/**
 * A global middleware for the rest of the application's routes: a request outside `basePath` whose
 * path holds the secret as a segment (a vendor pointed at a mistyped URL) is logged and traced
 * with that segment as `<redacted>`, like the receiver's own routes. Costs one hash per path
 * segment of such requests.
 */
const guardElsewhere =
  (shared: Shared, basePath: string) =>
  <E, R>(app: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>) =>
    Effect.withFiber((fiber) => {
      const request = Context.getUnsafe(fiber.context, Request.HttpServerRequest)
      const url = request.url
      if (url.startsWith(basePath) && (url.length === basePath.length || "/?#".includes(url[basePath.length]!))) {
        return app
      }
      const path = url.replace(/[?#].*$/s, "")
      let found = false
      const redacted = path
        .split("/")
        .map((segment) => {
          if (segment === "" || !shared.matches(decodedSegment(segment))) return segment
          found = true
          return "<redacted>"
        })
        .join("/")
      if (!found) return app
      redactServerSpan(fiber.context, redacted)
      return HttpMiddleware.withLoggerDisabled(app).pipe(
        Effect.onExit((exit) => {
          if (!shared.accessLog) return Effect.void
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
          return Effect.log("Sent HTTP response").pipe(
            Effect.annotateLogs({ "http.method": request.method, "http.url": redacted, "http.status": status })
          )
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
 * Registers the receiver in the application's `HttpRouter`: one route per provider
 * (`POST {basePath}/{provider}/*`, the secret as last segment, or `POST {basePath}/{provider}`
 * when it comes in a header) and, with several decoders, one more at `{basePath}/*` (or
 * `{basePath}`) that auto-detects the vendor. In path mode every other request under `basePath`
 * (another method, an unknown path) gets 404 with the same care for the URL, and so does any
 * request elsewhere in the application whose path holds the secret (a mistyped vendor URL). All routes share
 * one dedupe store, one in-flight bound and one shutdown. Serve it with
 * `HttpRouter.serve(layer(options))` on `createServer(serverOptions())`.
 */
export const layer = <E = never, R = never>(options: LayerOptions<E, R>) =>
  HttpRouter.use(
    Effect.fnUntraced(function* (router) {
      const shared = yield* prepare(options)
      const basePath = (options.basePath ?? "/webhooks").replace(/\/+$/, "")
      const at = (path: string): HttpRouter.PathInput => (path === "" ? "/" : `/${path.replace(/^\/+/, "")}`)
      const pathMode = shared.secretIn === "path"
      const suffix = pathMode ? "/*" : ""
      const signatures = options.signatures ?? {}
      const signed = (decoder: WebhookDecoder) => Object.hasOwn(signatures, decoder.provider)
      for (const decoder of options.decoders) {
        const route = `${basePath}/${encodeURIComponent(decoder.provider)}`
        const signature = signed(decoder) ? signatures[decoder.provider] : undefined
        if (signature !== undefined) {
          // No secret in a signed route's URL: the server's access log may show it, if wanted.
          const logged = (handler: WebhookHandler) =>
            shared.accessLog ? handler : HttpMiddleware.withLoggerDisabled(handler)
          yield* router.add("POST", at(route), logged(handlerOf(shared, [decoder], signature)))
          const handshake = signature.handshake
          if (handshake !== undefined) yield* router.add("GET", at(route), logged(answerHandshake(handshake)))
          continue
        }
        const path = at(`${route}${suffix}`)
        yield* router.add("POST", path, guardUrl(shared, handlerOf(shared, [decoder]), path))
      }
      // Auto-detection serves the shared-secret vendors only: a signed call has its own route.
      const unsigned = options.decoders.filter((decoder) => !signed(decoder))
      const detect = unsigned.length > 1 ? handlerOf(shared, unsigned) : undefined
      if (!pathMode) {
        if (detect !== undefined) yield* router.add("POST", at(basePath), detect)
        return
      }
      // Everything else under `basePath`: the auto-detecting POST, or a quiet 404 — never the
      // server's default 404, which logs and traces the URL with the secret in it.
      const notFound = Effect.succeed(shared.answers.notFound)
      const rest = Effect.withFiber((fiber) => {
        const request = Context.getUnsafe(fiber.context, Request.HttpServerRequest)
        const segment = routeSecret(fiber.context)
        const single = segment !== undefined && segment !== "" && !segment.includes("/")
        return detect !== undefined && request.method === "POST" && single ? detect : notFound
      })
      const restPath = at(`${basePath}/*`)
      yield* router.add("*", restPath, guardUrl(shared, rest, restPath))
      yield* router.addGlobalMiddleware(guardElsewhere(shared, basePath === "" ? "/" : basePath))
    })
  )
