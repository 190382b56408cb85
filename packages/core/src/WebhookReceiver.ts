/**
 * The HTTP endpoint the vendors post their webhooks to. Neither Mega-API nor Z-API signs its
 * calls, so the receiver authenticates each one with a shared secret (in the URL or a header,
 * compared in constant time), bounds what it reads (gzip included), drops redeliveries, decodes
 * with the configured provider decoders and hands the events to the application — after
 * answering, so a slow application never makes the vendor time out and retry.
 *
 * Mount `make` in your own `HttpRouter`, or let `layer` register the routes for you.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto"
import { gunzip } from "node:zlib"
import { type Array as Arr, Clock, Duration, Effect, Option, Redacted, type Scope, Stream } from "effect"
import { HttpMiddleware, HttpRouter, HttpServerRequest, HttpServerResponse } from "effect/http"
import * as WebhookDecoderModule from "./WebhookDecoder.ts"
import type { WhatsAppEvent } from "./WhatsAppEvent.ts"

/** A vendor's decoder (see `WebhookDecoder`). */
export type WebhookDecoder = WebhookDecoderModule.WebhookDecoder

/**
 * Remembers which events were already handled, so a vendor's redelivery is dropped. `claim`
 * answers `true` the first time it sees `id` within `ttl` (handle the event), `false` afterwards.
 * The receiver claims `"<provider>:<event id>"` just before handing an event to `onEvent`.
 *
 * The in-memory default (`memoryDedupeStore`) only knows its own process. With several
 * processes behind a load balancer, plug a shared store whose claim is atomic, e.g. Redis:
 * `claim: (id, ttl) => redis.set("pombo:webhook:" + id, "1", { NX: true, PX: Duration.toMillis(ttl) })
 * .then((r) => r === "OK")` wrapped in `Effect.promise`. If the store can fail, decide there:
 * recover to `true` (an event may be handled twice) or `false` (it may be lost).
 */
export interface DedupeStore {
  readonly claim: (id: string, ttl: Duration.Duration) => Effect.Effect<boolean>
}

/**
 * Where the vendor puts the shared secret: a path segment captured by the route (default
 * `{ pathParam: "secret" }`) or a request header, for vendors or proxies that can add one.
 */
export type SecretLocation = { readonly pathParam: string } | { readonly header: string }

/** Everything the receiver needs; only `decoders`, `secret` and `onEvent` have no default. */
export interface Options<E = never, R = never> {
  /**
   * The providers' decoders. With one, every payload goes to it; with several, each is tried in
   * order and the first that recognises the payload (yields an event other than `Unknown`) wins.
   */
  readonly decoders: Arr.NonEmptyReadonlyArray<WebhookDecoder>
  /** The shared secret configured in the vendor's webhook URL or header. */
  readonly secret: Redacted.Redacted<string>
  /** Default `{ pathParam: "secret" }`. */
  readonly secretIn?: SecretLocation | undefined
  /**
   * The application's handler, run after the vendor got its answer; its failures are logged,
   * never returned to the vendor (which would only retry).
   */
  readonly onEvent: (event: WhatsAppEvent) => Effect.Effect<void, E, R>
  /** Largest body accepted, before and after gzip decompression. Default 1 MiB. */
  readonly maxBodyBytes?: number | undefined
  /** How long a seen event id is remembered. Default 10 minutes. */
  readonly dedupeWindow?: Duration.Input | undefined
  /** Default: a bounded in-memory store private to this receiver (`memoryDedupeStore()`). */
  readonly dedupeStore?: DedupeStore | undefined
  /**
   * With the secret in the path, the server's access log would print it, so the receiver
   * silences that line and logs its own naming the route pattern (`/webhooks/zapi/:secret`)
   * instead. Set `false` when your server runs without an access log. Default `true`.
   */
  readonly accessLog?: boolean | undefined
}

/** `Options` plus where `layer` mounts its routes. */
export interface LayerOptions<E = never, R = never> extends Options<E, R> {
  /** Default `/webhooks`. */
  readonly basePath?: `/${string}` | undefined
}

/** The default body limit: 1 MiB, far above any real vendor payload (media come as URLs). */
export const defaultMaxBodyBytes = 1024 * 1024

/** The default redelivery window: vendors retry within minutes, not hours. */
export const defaultDedupeWindow: Duration.Duration = Duration.minutes(10)

/**
 * An in-process `DedupeStore`: enough for one process, bounded so a flood of distinct ids cannot
 * exhaust memory (the oldest ids are forgotten first), expiring with the `Clock` (so `TestClock`
 * drives it in tests).
 */
export const memoryDedupeStore = (options?: { readonly maxEntries?: number | undefined }): DedupeStore => {
  const maxEntries = Math.max(1, options?.maxEntries ?? 100_000)
  // Insertion order ≈ expiry order, so expired ids are swept from the front.
  const expiries = new Map<string, number>()
  return {
    claim: (id, ttl) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        for (const [key, expiresAt] of expiries) {
          if (expiresAt > now) break
          expiries.delete(key)
        }
        const expiresAt = expiries.get(id)
        if (expiresAt !== undefined && expiresAt > now) return false
        expiries.delete(id)
        expiries.set(id, now + Duration.toMillis(ttl))
        while (expiries.size > maxEntries) {
          const oldest = expiries.keys().next()
          if (oldest.done === true) break
          expiries.delete(oldest.value)
        }
        return true
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
  context: { receivedAt: Date }
): ReadonlyArray<WhatsAppEvent> => {
  let fallback: ReadonlyArray<WhatsAppEvent> = []
  for (const decoder of decoders) {
    const events = WebhookDecoderModule.make(decoder).decode(payload, context)
    if (events.some((event) => event._tag !== "Unknown")) return events
    if (fallback.length === 0) fallback = events
  }
  return fallback
}

type Rejection = { readonly _tag: "Rejection"; readonly status: number; readonly reason: string }

const reject = (status: number, reason: string): Effect.Effect<never, Rejection> =>
  Effect.fail({ _tag: "Rejection", status, reason })

// Both sides go through an HMAC under a per-receiver random key: equal-length digests for
// `timingSafeEqual`, whatever length the presented value has.
const makeSecretCheck = (secret: Redacted.Redacted<string>) => {
  const key = randomBytes(32)
  const digest = (value: string) => createHmac("sha256", key).update(value, "utf8").digest()
  const expected = digest(Redacted.value(secret))
  return (presented: string | undefined): boolean =>
    presented !== undefined && presented.length > 0 && timingSafeEqual(digest(presented), expected)
}

const readBounded = (request: HttpServerRequest.HttpServerRequest, maxBytes: number) =>
  Effect.gen(function* () {
    const chunks: Array<Uint8Array> = []
    let size = 0
    yield* Stream.runForEach(request.stream, (chunk) => {
      size += chunk.byteLength
      if (size > maxBytes) return reject(413, "body too large")
      chunks.push(chunk)
      return Effect.void
    }).pipe(Effect.catchTag("HttpServerError", () => reject(400, "unreadable body")))
    return Buffer.concat(chunks, size)
  })

const gunzipBounded = (body: Buffer, maxBytes: number) =>
  Effect.callback<Buffer, Rejection>((resume) => {
    // `maxOutputLength` stops inflating past the limit: a gzip bomb costs at most `maxBytes`.
    gunzip(body, { maxOutputLength: maxBytes }, (error, result) => {
      if (error === null) resume(Effect.succeed(result))
      else if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") resume(reject(413, "body too large"))
      else resume(reject(400, "malformed gzip body"))
    })
  })

const utf8 = new TextDecoder()

/**
 * What `make` gives: the handler to mount on a POST route. It always answers (401, 400, 413,
 * 415 or 200), never fails, so it cannot leak a request detail through the server's error log.
 */
export type WebhookHandler = Effect.Effect<
  HttpServerResponse.HttpServerResponse,
  never,
  HttpServerRequest.HttpServerRequest
>

/**
 * Builds the webhook handler for one mount point: mount it with
 * `router.add("POST", "/webhooks/zapi/:secret", handler)`. It needs a `Scope` that outlives the
 * requests (a layer's, or your app's): the application's handler runs in fibers forked into it,
 * interrupted when it closes.
 */
export const make = <E = never, R = never>(
  options: Options<E, R>
): Effect.Effect<WebhookHandler, never, Scope.Scope | R> => Effect.map(prepare(options), handlerOf)

interface Prepared {
  readonly decoders: ReadonlyArray<WebhookDecoder>
  readonly provider: string
  readonly maxBytes: number
  readonly secretIn: SecretLocation
  readonly accessLog: boolean
  readonly matches: (presented: string | undefined) => boolean
  readonly dispatch: (events: ReadonlyArray<WhatsAppEvent>) => Effect.Effect<void>
}

const prepare = Effect.fnUntraced(function* <E, R>(options: Options<E, R>) {
  if (Redacted.value(options.secret).length === 0) {
    return yield* Effect.die(new Error("WebhookReceiver: the secret must not be empty"))
  }
  const maxBytes = options.maxBodyBytes ?? defaultMaxBodyBytes
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) {
    return yield* Effect.die(new Error("WebhookReceiver: maxBodyBytes must be a positive integer"))
  }
  const window = Duration.fromInput(options.dedupeWindow ?? defaultDedupeWindow).pipe(
    Option.getOrElse(() => defaultDedupeWindow)
  )
  const store = options.dedupeStore ?? memoryDedupeStore()
  const scope = yield* Effect.scope
  const context = yield* Effect.context<R>()

  const deliver = (event: WhatsAppEvent) =>
    store.claim(`${event.provider}:${event.id}`, window).pipe(
      Effect.flatMap((fresh) =>
        fresh
          ? options.onEvent(event)
          : Effect.logDebug("pombo webhook: redelivery dropped").pipe(
              Effect.annotateLogs({ provider: event.provider, eventId: event.id })
            )
      ),
      Effect.catchCause((cause) =>
        Effect.logError("pombo webhook: event handler failed", cause).pipe(
          Effect.annotateLogs({ provider: event.provider, eventId: event.id, event: event._tag })
        )
      )
    )

  // Forked into the outer scope, not awaited: the vendor's answer never waits for the handler.
  const dispatch = (events: ReadonlyArray<WhatsAppEvent>) =>
    Effect.asVoid(
      Effect.forkIn(
        Effect.yieldNow.pipe(
          Effect.andThen(Effect.forEach(events, deliver, { discard: true })),
          Effect.provideContext(context)
        ),
        scope
      )
    )

  const prepared: Prepared = {
    decoders: options.decoders.map(WebhookDecoderModule.make),
    provider: options.decoders.map((decoder) => decoder.provider).join("|"),
    maxBytes,
    secretIn: options.secretIn ?? { pathParam: "secret" },
    accessLog: options.accessLog ?? true,
    matches: makeSecretCheck(options.secret),
    dispatch
  }
  return prepared
})

const presentedSecret = (secretIn: SecretLocation, request: HttpServerRequest.HttpServerRequest) =>
  "header" in secretIn
    ? Effect.succeed(request.headers[secretIn.header.toLowerCase()])
    : Effect.map(Effect.serviceOption(HttpRouter.RouteContext), (route) =>
        Option.isSome(route) ? route.value.params[secretIn.pathParam] : undefined
      )

const parseJson = (body: Buffer, provider: string) =>
  Effect.try({
    try: (): unknown => JSON.parse(utf8.decode(body)),
    // The parser's message quotes the body: log only its size.
    catch: () => ({ _tag: "Rejection", status: 400, reason: "malformed JSON" }) as const
  }).pipe(
    Effect.tapError(() =>
      Effect.logWarning("pombo webhook: malformed JSON body").pipe(
        Effect.annotateLogs({ provider, bytes: body.byteLength })
      )
    )
  )

const handlerOf = (prepared: Prepared): WebhookHandler => {
  const { maxBytes, provider } = prepared
  const receive = Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    if (!prepared.matches(yield* presentedSecret(prepared.secretIn, request))) {
      return yield* reject(401, "unauthorized")
    }

    const encoding = (request.headers["content-encoding"] ?? "identity").trim().toLowerCase()
    const gzipped = encoding === "gzip" || encoding === "x-gzip"
    if (!gzipped && encoding !== "identity" && encoding !== "") {
      return yield* reject(415, "unsupported content encoding")
    }

    const declared = Number(request.headers["content-length"] ?? "0")
    if (declared > maxBytes) return yield* reject(413, "body too large")
    const raw = yield* readBounded(request, maxBytes)
    const body = gzipped ? yield* gunzipBounded(raw, maxBytes) : raw
    const payload = yield* parseJson(body, provider)

    const receivedAt = new Date(yield* Clock.currentTimeMillis)
    yield* prepared.dispatch(decodeWith(prepared.decoders, payload, { receivedAt }))
    return HttpServerResponse.empty({ status: 200 })
  }).pipe(
    Effect.catch((rejection) => Effect.succeed(HttpServerResponse.text(rejection.reason, { status: rejection.status })))
  )

  if ("header" in prepared.secretIn) return receive
  // The server's access log would print the path, secret included: log the route pattern instead.
  const quiet = HttpMiddleware.withLoggerDisabled(receive)
  if (!prepared.accessLog) return quiet
  return quiet.pipe(
    Effect.tap((response) =>
      Effect.flatMap(Effect.serviceOption(HttpRouter.RouteContext), (route) =>
        Effect.log("Sent HTTP response").pipe(
          Effect.annotateLogs({
            "http.method": "POST",
            "http.route": Option.isSome(route) ? route.value.route.path : "<unrouted>",
            "http.status": response.status
          })
        )
      )
    )
  )
}

/**
 * Registers the receiver in the application's `HttpRouter`, one route per provider
 * (`POST {basePath}/{provider}/:secret`, or `POST {basePath}/{provider}` when the secret comes in a
 * header) and, with several decoders, one more at `{basePath}` that auto-detects the vendor.
 * All routes share one dedupe store. Serve it with `HttpRouter.serve(layer(options))`.
 */
export const layer = <E = never, R = never>(options: LayerOptions<E, R>) =>
  HttpRouter.use(
    Effect.fnUntraced(function* (router) {
      const shared = { ...options, dedupeStore: options.dedupeStore ?? memoryDedupeStore() }
      const basePath = (options.basePath ?? "/webhooks").replace(/\/+$/, "")
      const secretIn = options.secretIn ?? { pathParam: "secret" }
      const suffix = "pathParam" in secretIn ? `/:${secretIn.pathParam}` : ""
      const at = (path: string): HttpRouter.PathInput => (path === "" ? "/" : `/${path.replace(/^\/+/, "")}`)
      for (const decoder of options.decoders) {
        const handler = yield* make({ ...shared, decoders: [decoder] })
        yield* router.add("POST", at(`${basePath}/${encodeURIComponent(decoder.provider)}${suffix}`), handler)
      }
      if (options.decoders.length > 1) {
        yield* router.add("POST", at(`${basePath}${suffix}`), yield* make(shared))
      }
    })
  )
