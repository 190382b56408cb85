/**
 * The webhook receiver's steps, written once for both of its entry points — an effect route
 * (`WebhookReceiver.make` / `layer`) and a plain Node request listener
 * (`WebhookReceiver.toNodeListener`). Each entry point only matches its routes and moves bytes;
 * every rule — the secret check, the content checks, the body bound, gzip, UTF-8 and JSON, the
 * signature, decoding, the sink, the in-flight bound, the shutdown, the fixed answers, what is
 * logged — lives here.
 */
import { hash, randomBytes, timingSafeEqual } from "node:crypto"
import { gunzip } from "node:zlib"
import { type Context, Deferred, Duration, Effect, Exit, Fiber, Option, Redacted } from "effect"
import { HttpServerResponse } from "effect/http"
import * as WebhookDecoderModule from "../WebhookDecoder.ts"
import type {
  Acceptance,
  BaseOptions,
  EventSink,
  SecretLocation,
  WebhookDecoder,
  WebhookSignature
} from "../WebhookReceiver.ts"
import { decodeWith } from "./decodeWith.ts"

/** The default body limit: 1 MiB, far above any real vendor payload (media come as URLs). */
export const defaultMaxBodyBytes = 1024 * 1024

/** The default bound on calls in flight: ~64 MiB of bodies at most, far above a vendor's rate. */
export const defaultMaxInFlight = 64

/** The default `Retry-After` of a 503. */
export const defaultRetryAfter: Duration.Duration = Duration.seconds(5)

/** The default wait for calls in flight when the receiver shuts down. */
export const defaultShutdownTimeout: Duration.Duration = Duration.seconds(10)

/** The longest secret accepted: far beyond any vendor's URL field, well inside Node's 16 KiB header limit. */
export const maxSecretLength = 4096

/** Request headers as both entry points see them: lower-case names. */
export type Headers = Readonly<Record<string, string | undefined>>

/**
 * One answer, in the two forms the entry points write: an effect response, and the status,
 * headers and bytes a Node listener writes — the second derived from the first, so both say the
 * same.
 */
export interface Answer {
  readonly response: HttpServerResponse.HttpServerResponse
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array
}

const noBytes = new Uint8Array(0)

/** The Node form of an effect response whose body is bytes or empty (every answer of the receiver). */
export const answerOf = (response: HttpServerResponse.HttpServerResponse): Answer => {
  const body = response.body._tag === "Uint8Array" ? response.body.body : noBytes
  const headers: Record<string, string> = { ...response.headers, "content-length": String(body.byteLength) }
  if (response.body._tag === "Uint8Array") headers["content-type"] = response.body.contentType
  return { response, status: response.status, headers, body }
}

/**
 * The answers of one receiver that never change, made once: a call that gets one shares it
 * (responses are immutable), so refusing or acknowledging a call allocates nothing.
 */
export interface Answers {
  readonly ok: Answer
  readonly unauthorized: Answer
  readonly unsupportedType: Answer
  readonly unsupportedEncoding: Answer
  readonly tooLarge: Answer
  readonly unreadable: Answer
  readonly notUtf8: Answer
  readonly malformedJson: Answer
  readonly malformedGzip: Answer
  readonly handlerFailed: Answer
  readonly busy: Answer
  readonly overloaded: Answer
  readonly shuttingDown: Answer
  readonly notFound: Answer
}

const makeAnswers = (retryAfter: string): Answers => {
  const text = (status: number, reason: string) => answerOf(HttpServerResponse.text(reason, { status }))
  const unavailable = (reason: string) =>
    answerOf(HttpServerResponse.text(reason, { status: 503, headers: { "retry-after": retryAfter } }))
  return {
    ok: answerOf(HttpServerResponse.empty({ status: 200 })),
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
    notFound: answerOf(HttpServerResponse.empty({ status: 404 }))
  }
}

/** A vendor's `GET` verification of the URL (`url` the request's, query included): the answer it expects, or 403. */
export const handshakeAnswer = (handshake: (query: URLSearchParams) => string | undefined, url: string): Answer => {
  const answer = handshake(new URL(url, "http://receiver.invalid").searchParams)
  return answerOf(
    answer === undefined
      ? HttpServerResponse.text("forbidden", { status: 403 })
      : HttpServerResponse.text(answer, { status: 200 })
  )
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

/** A path segment as routers match it: percent-decoded, or as is when it does not decode. */
export const decodedSegment = (segment: string): string => {
  if (!segment.includes("%")) return segment
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

/** A route as logged and traced: its secret segment (`*` or `:param`) as `<redacted>`. */
export const redactedRoute = (path: string): string => path.replace(/\/(\*|:[^/]+)(?=\/|$)/g, "/<redacted>")

/**
 * `url`'s path with every segment that is the secret as `<redacted>` (a vendor pointed at a
 * mistyped URL), or `undefined` when none is. Costs one hash per segment.
 */
export const redactedPath = (receiver: Receiver, url: string): string | undefined => {
  const path = url.replace(/[?#].*$/s, "")
  let found = false
  const redacted = path
    .split("/")
    .map((segment) => {
      if (segment === "" || !receiver.matches(decodedSegment(segment))) return segment
      found = true
      return "<redacted>"
    })
    .join("/")
  return found ? redacted : undefined
}

/** The receiver's own access log line, naming the route (or path) with its secret redacted. */
export const accessLine = (
  method: string,
  where: { readonly "http.route": string } | { readonly "http.url": string },
  status: number
): Effect.Effect<void> =>
  Effect.log("Sent HTTP response").pipe(Effect.annotateLogs({ "http.method": method, ...where, "http.status": status }))

const gunzipBounded = (body: Uint8Array, maxBytes: number) =>
  Effect.callback<Uint8Array | "tooLarge" | "malformed">((resume) => {
    // `maxOutputLength` stops inflating past the limit: a gzip bomb costs at most `maxBytes`.
    gunzip(body, { maxOutputLength: maxBytes }, (error, result) => {
      if (error === null) resume(Effect.succeed(result))
      else if ((error as { readonly code?: unknown }).code === "ERR_BUFFER_TOO_LARGE")
        resume(Effect.succeed("tooLarge"))
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

/** The body as an entry point read it: its bytes, or why there are none. */
export type ReadBody = Uint8Array | "tooLarge" | "unreadable"

/**
 * One receiver: what all its routes share — the secret check, the sink, the in-flight bound and
 * the shutdown.
 */
export interface Receiver {
  readonly maxBytes: number
  readonly instance: string | undefined
  readonly secretIn: SecretLocation
  readonly accessLog: boolean
  readonly answers: Answers
  readonly matches: (presented: string | undefined) => boolean
  readonly sink: EventSink
  /** Takes a slot for one call, or answers why not (503: shutting down, or `maxInFlight` calls in flight). */
  readonly enter: () => Answer | undefined
  /** Gives back the slot of a call that ends without `run` (its client went away while sending). */
  readonly leave: () => void
  /**
   * Runs an admitted call's steps in a fiber of the receiver (not the request's: a vendor that
   * hangs up does not interrupt a handler half-way), then gives back its slot and calls `done`
   * with its answer (503 when the shutdown interrupted it, or came before it started).
   */
  readonly run: (effect: Effect.Effect<Answer>, context: Context.Context<never>, done: (answer: Answer) => void) => void
}

/** Builds a receiver in the current scope; closing the scope shuts it down (see `shutdownTimeout`). */
export const makeReceiver = Effect.fnUntraced(function* (options: BaseOptions, sink: EventSink) {
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
  const answers = makeAnswers(String(retryAfter))

  // The calls' fibers are the receiver's own, so the shutdown below can wait for them before
  // interrupting them, whatever the order the enclosing scope closes its finalizers in.
  const running = new Set<Fiber.Fiber<Answer>>()
  let inFlight = 0
  let closing = false
  let stopped = false
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
      stopped = true
      yield* Fiber.interruptAll(running)
    })
  )
  const leave = () => {
    inFlight -= 1
    if (closing && inFlight === 0) Deferred.doneUnsafe(drained, Exit.void)
  }
  const enter = (): Answer | undefined => {
    if (closing) return answers.shuttingDown
    if (inFlight >= maxInFlight) return answers.overloaded
    inFlight += 1
    return undefined
  }
  const run: Receiver["run"] = (effect, context, done) => {
    if (stopped) {
      leave()
      return done(answers.shuttingDown)
    }
    // Starts at once, in this tick: no scheduler round-trip before the body is read.
    const fiber = Effect.runForkWith(context)(effect)
    running.add(fiber)
    // Counted down once its fiber has exited, so the shutdown never interrupts a finished call.
    fiber.addObserver((exit) => {
      running.delete(fiber)
      leave()
      done(Exit.isSuccess(exit) ? exit.value : answers.shuttingDown)
    })
  }
  const receiver: Receiver = {
    maxBytes,
    instance: options.instance,
    secretIn,
    accessLog: options.accessLog ?? true,
    answers,
    matches: makeSecretCheck(options.secret),
    sink,
    enter,
    leave,
    run
  }
  return receiver
})

/** The steps of one route: what it checks before reading the body, and what it does with the body. */
export interface Route {
  /** The decoders' providers, as logged (`megaapi|zapi` for the auto-detecting route). */
  readonly provider: string
  /**
   * Before the body is read: a refusal (401, 415, 413), or whether the body comes gzipped.
   * `pathSecret` is the route's secret segment in path mode.
   */
  readonly check: (headers: Headers, pathSecret: string | undefined) => Answer | boolean
  /** Once the body is read, in the call's fiber: undo gzip, verify, parse, decode, hand over, answer. */
  readonly receive: (body: ReadBody, gzipped: boolean, headers: Headers) => Effect.Effect<Answer>
}

/** The steps of a route decoding with `decoders` (with several, auto-detecting), checking `signature` if given. */
export const makeRoute = (
  receiver: Receiver,
  decoders: ReadonlyArray<WebhookDecoder>,
  signature?: WebhookSignature
): Route => {
  const { answers, maxBytes, secretIn, instance, sink } = receiver
  const provider = decoders.map((decoder) => decoder.provider).join("|")
  const safeDecoders = decoders.map(WebhookDecoderModule.make)
  const header = secretIn === "path" ? undefined : secretIn.header.toLowerCase()

  const check: Route["check"] = (headers, pathSecret) => {
    // A signed route is authenticated once its body is read (the signature covers it).
    if (signature === undefined && !receiver.matches(header === undefined ? pathSecret : headers[header])) {
      return answers.unauthorized
    }
    if (!isJsonContentType(headers["content-type"])) return answers.unsupportedType
    const gzipped = gzippedOf(headers["content-encoding"])
    if (gzipped === undefined) return answers.unsupportedEncoding
    const declared = headers["content-length"]
    if (declared !== undefined && Number(declared) > maxBytes) return answers.tooLarge
    return gzipped
  }

  // The parser's message would quote the body: only its size is logged.
  const refuse = (answer: Answer, body: Uint8Array) =>
    Effect.as(
      Effect.logWarning(
        `pombo webhook: ${answer === answers.notUtf8 ? "body is not valid UTF-8" : "malformed JSON"}`
      ).pipe(Effect.annotateLogs({ provider, bytes: body.byteLength })),
      answer
    )

  const accepted = (acceptance: Acceptance) =>
    acceptance === "accepted" ? answers.ok : acceptance === "busy" ? answers.busy : answers.handlerFailed

  const deliver = (body: Uint8Array, headers: Headers): Effect.Effect<Answer> => {
    if (signature !== undefined && !signature.verify(headers, body)) return Effect.succeed(answers.unauthorized)
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

  const receive: Route["receive"] = (body, gzipped, headers) => {
    if (body === "tooLarge") return Effect.succeed(answers.tooLarge)
    if (body === "unreadable") return Effect.succeed(answers.unreadable)
    if (body.byteLength > maxBytes) return Effect.succeed(answers.tooLarge)
    if (!gzipped) return deliver(body, headers)
    return Effect.flatMap(gunzipBounded(body, maxBytes), (inflated) =>
      inflated === "tooLarge"
        ? Effect.succeed(answers.tooLarge)
        : inflated === "malformed"
          ? Effect.succeed(answers.malformedGzip)
          : deliver(inflated, headers)
    )
  }

  return { provider, check, receive }
}

/** A per-provider route: `{basePath}/{provider}` (+ `/<secret>` in path mode, unless signed). */
export interface ProviderRoute {
  /** The route's path as registered: `/webhooks/zapi/*`, `/webhooks/zapi` (header mode), `/webhooks/meta` (signed). */
  readonly path: string
  /** The route's path as logged and traced: the secret segment as `<redacted>`. */
  readonly logged: string
  readonly route: Route
  /** Meta-like vendors: the route is authenticated by this signature, not the secret. */
  readonly signature: WebhookSignature | undefined
}

/**
 * Which routes a receiver serves, for both entry points: one per provider and, with several
 * unsigned decoders, an auto-detecting one at `{basePath}/<secret>` (path mode) or `{basePath}`
 * (header mode). Auto-detection serves the shared-secret vendors only: a signed call has its
 * own route.
 */
export interface RoutePlan {
  /** `basePath` without its trailing slash (`""` for the root). */
  readonly basePath: string
  readonly pathMode: boolean
  readonly providers: ReadonlyArray<ProviderRoute>
  readonly detect: Route | undefined
}

/** The routes of `decoders` under `basePath` (default `/webhooks`). */
export const planRoutes = (
  receiver: Receiver,
  options: {
    readonly decoders: ReadonlyArray<WebhookDecoder>
    readonly signatures?: Readonly<Record<string, WebhookSignature>> | undefined
    readonly basePath?: string | undefined
  }
): RoutePlan => {
  const basePath = (options.basePath ?? "/webhooks").replace(/\/+$/, "")
  const at = (path: string) => (path === "" ? "/" : `/${path.replace(/^\/+/, "")}`)
  const pathMode = receiver.secretIn === "path"
  const signatures = options.signatures ?? {}
  const signatureOf = (decoder: WebhookDecoder) =>
    Object.hasOwn(signatures, decoder.provider) ? signatures[decoder.provider] : undefined
  const providers = options.decoders.map((decoder): ProviderRoute => {
    const signature = signatureOf(decoder)
    // No secret in a signed route's URL.
    const path = at(`${basePath}/${encodeURIComponent(decoder.provider)}${pathMode && !signature ? "/*" : ""}`)
    return { path, logged: redactedRoute(path), route: makeRoute(receiver, [decoder], signature), signature }
  })
  const unsigned = options.decoders.filter((decoder) => signatureOf(decoder) === undefined)
  const detect = unsigned.length > 1 ? makeRoute(receiver, unsigned) : undefined
  return { basePath, pathMode, providers, detect }
}
