/**
 * The runtime every generated client imports (`@pombo/core/HttpClientRuntime`): request building,
 * response decoding, the three client errors, the timeout, and the one place where a vendor's
 * error text is scrubbed of secrets. A generated module holds only what its spec determines
 * (schemas, endpoints, metadata) and calls `makeExecute`.
 *
 * Secrets: options marked secret are `Redacted` and unwrapped only while the request is built.
 * effect/http's own errors and client span hold the request (and so the URL, which may carry a
 * token): they never leave this module. Text a vendor answers with on failure is read only up to
 * a bound (the rest is never downloaded), then scrubbed once here (the configured secrets in every
 * form an echo gives them, URLs, `/token/…` path segments) before it reaches an error; success
 * bodies are decoded untouched.
 *
 * Time: `timeout` bounds the whole exchange — connecting, the answer's headers and its body — on
 * any `HttpClient` (fetch, undici, node:http), since the body is read inside it and interrupting
 * the read aborts the request.
 */
import { Clock, Duration, Effect, Predicate, Redacted, Schema, type SchemaAST, SchemaIssue, Stream } from "effect"
import {
  HttpClient,
  type HttpClientError,
  HttpClientRequest,
  type HttpClientResponse,
  HttpTraceContext
} from "effect/http"
import * as FastParse from "./internal/fastParse.ts"
import { withoutStackTrace } from "./internal/spans.ts"
import { exchangeTimeout } from "./internal/timeout.ts"

/**
 * The options every generated schema is meant to be decoded with: an object the spec closes
 * (`additionalProperties: false`) then rejects unknown keys, as in JSON Schema, which also keeps
 * `oneOf` branches exclusive. Effect's default would silently drop such keys instead.
 */
export const parseOptions = { onExcessProperty: "error" } as const

/** The server answered with a status the operation does not document as a success. */
export class ClientStatusError extends Schema.TaggedError<ClientStatusError>()("ClientStatusError", {
  operationId: Schema.String,
  status: Schema.Int,
  /** The body (every string in it scrubbed), decoded with the schema documented for the status when it fits. */
  body: Schema.Unknown,
  /** From a `Retry-After` header (seconds, or an HTTP date converted to seconds from now). */
  retryAfterSeconds: Schema.optionalKey(Schema.Finite)
}) {
  override get message(): string {
    return `${this.operationId} answered HTTP ${this.status}`
  }
}

/**
 * The request did not complete. `notSent` is true only when it provably never reached the server
 * (invalid URL or input, DNS failure, connection refused), so it is safe to retry any operation.
 */
export class ClientTransportError extends Schema.TaggedError<ClientTransportError>()("ClientTransportError", {
  operationId: Schema.String,
  /** The failure's kind and system error code, e.g. `TransportError (ECONNREFUSED)`; never a URL. */
  reason: Schema.String,
  notSent: Schema.Boolean
}) {
  override get message(): string {
    return `${this.operationId} failed: ${this.reason}`
  }
}

/** A success response whose body does not match the schema the spec documents. */
export class ClientDecodeError extends Schema.TaggedError<ClientDecodeError>()("ClientDecodeError", {
  operationId: Schema.String,
  status: Schema.Int,
  /** The schema issue, formatted and scrubbed. */
  issue: Schema.String
}) {
  override get message(): string {
    return `${this.operationId} answered HTTP ${this.status} with an unexpected body: ${this.issue}`
  }
}

/** Every way a generated client call can fail. */
export type ClientError = ClientStatusError | ClientTransportError | ClientDecodeError

/** A client option value: a bound parameter or a credential. */
export type OptionValue = string | Redacted.Redacted<string> | undefined

/** What every generated client's `make` takes besides the spec's bound parameters and credentials. */
export interface ClientOptions {
  /** Prepended to every path: `defaultBaseUrl`, or another server of the vendor. */
  readonly baseUrl: string
  /**
   * How long one whole exchange (request, answer, body) may take; past it the call fails with a
   * `ClientTransportError` whose `notSent` is false, since the request may have arrived.
   * Default `defaultTimeout`.
   */
  readonly timeout?: Duration.Input | undefined
}

/** Thirty seconds: both vendors answer a send once it is queued, so a slower answer means trouble. */
export const defaultTimeout: Duration.Duration = Duration.seconds(30)

/** Where a parameter goes and, when bound, which client option supplies it. */
interface Parameter {
  readonly name: string
  readonly in: "path" | "query" | "header"
  readonly bind?: string
}

/** How one credential of a security requirement is sent; `option` is the client option holding it. */
type Credential =
  | { readonly option: string; readonly kind: "bearer" }
  | { readonly option: string; readonly kind: "header" | "query"; readonly name: string }

/** How the body of a success response is read (`kind`) and decoded. */
interface DocumentedSuccess<A> {
  readonly status: string
  readonly kind: "json" | "text" | "bytes" | "void"
  readonly mediaType?: string
  readonly schema: Schema.ConstraintCodec<A, unknown>
}

/** A documented error body, by status (`"404"`, `"4XX"` or `"default"`). */
interface DocumentedError {
  readonly status: string
  readonly schema: Schema.ConstraintCodec<unknown, unknown>
}

/** What the client needs to know about one operation, read from the spec. */
export interface Endpoint<A> {
  readonly operationId: string
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS"
  /** The path template from the spec; also the span's `http.route`. */
  readonly path: string
  readonly parameters: ReadonlyArray<Parameter>
  readonly params?: Schema.ConstraintCodec<unknown, unknown>
  readonly payload?: Schema.ConstraintCodec<unknown, unknown>
  /**
   * Present when the body is `multipart/form-data` (else it is JSON): each `binaryFields` entry is
   * a file part and must be a `Blob` (its `type` is the part's content type); every other field is
   * a text part.
   */
  readonly multipart?: { readonly binaryFields: ReadonlyArray<string> }
  /** Alternative security requirements, each a list of credentials sent together. */
  readonly security: ReadonlyArray<ReadonlyArray<Credential>>
  readonly success: ReadonlyArray<DocumentedSuccess<A>>
  readonly errors: ReadonlyArray<DocumentedError>
}

/** One call's input, as the generated methods receive it. */
interface Input {
  readonly params?: object
  readonly payload?: unknown
}

/** Network error codes that prove no byte of the request reached the server. */
const notSentCodes = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_NONAME",
  "EAI_FAIL",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT"
])

/** The `code`s along an error's cause chain (including an AggregateError's members). */
const causeCodes = (cause: unknown): Array<string> => {
  const codes = new Set<string>()
  const visit = (value: unknown, depth: number): void => {
    if (depth > 6 || typeof value !== "object" || value === null) return
    const code = (value as { readonly code?: unknown }).code
    if (typeof code === "string" && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) codes.add(code)
    visit((value as { readonly cause?: unknown }).cause, depth + 1)
    const errors = (value as { readonly errors?: unknown }).errors
    if (Array.isArray(errors)) for (const error of errors) visit(error, depth + 1)
  }
  visit(cause, 0)
  return [...codes].sort()
}

/**
 * Turns effect/http's error into ours. Its message and fields hold the request (and so the URL,
 * which may contain a token): only its kind and the system error codes are kept.
 */
const transportError = (operationId: string, error: HttpClientError.HttpClientError): ClientTransportError => {
  const kind = error.reason._tag
  const codes = causeCodes(error.reason.cause)
  const notSent = kind === "InvalidUrlError" || kind === "EncodeError" || codes.some((code) => notSentCodes.has(code))
  return new ClientTransportError({
    operationId,
    reason: codes.length > 0 ? `${kind} (${codes.join(", ")})` : kind,
    notSent
  })
}

/** Reports every issue of rejected input at once, so the error names all the fields. */
const encodeOptions = { ...parseOptions, errors: "all" } as const

/**
 * One encoder (decoder) per schema, made on first use: a request encodes its payload and decodes
 * its answer with the same schemas every time.
 */
type Codec = Schema.ConstraintCodec<unknown, unknown>
type Parse<A> = (input: unknown, options: SchemaAST.ParseOptions) => Effect.Effect<A, Schema.SchemaError>

/** `make` run once per key, its result kept as long as the key lives. */
const memoized = <K extends object, V>(make: (key: K) => V): ((key: K) => V) => {
  const cache = new WeakMap<K, V>()
  return (key) => {
    const hit = cache.get(key)
    if (hit !== undefined) return hit
    const value = make(key)
    cache.set(key, value)
    return value
  }
}

/**
 * The compiled reader of a schema (see `internal/fastParse`), or `null` where it declines. Every
 * input is encoded and every answer decoded with it first; Schema reads what it rejects, so
 * failures keep Schema's messages.
 */
const readerOf = memoized((schema: Codec): FastParse.Reader | null => FastParse.compile(schema.ast) ?? null)

/** `value` read by the schema's compiled reader, or `FastParse.failed` (rejected, or no reader). */
const readFast = (schema: Codec, value: unknown): unknown => {
  const read = readerOf(schema)
  return read === null ? FastParse.failed : read(value)
}

const encoderOf = memoized((schema: Codec) => Schema.encodeUnknownEffect(schema) as Parse<unknown>)
const decoderOfAny = memoized((schema: Codec) => Schema.decodeUnknownEffect(schema) as Parse<unknown>)
const decoderOf = <A>(schema: Schema.ConstraintCodec<A, unknown>): Parse<A> => decoderOfAny(schema) as Parse<A>

/**
 * Validates and encodes one side of the input, then continues with `next`: with the compiled
 * reader when it accepts, else with Schema, whose failure names the fields, never their values.
 */
const encodeInput = <B, E>(
  operationId: string,
  what: "params" | "payload",
  schema: Schema.ConstraintCodec<unknown, unknown>,
  value: unknown,
  next: (encoded: unknown) => Effect.Effect<B, E>
): Effect.Effect<B, E | ClientTransportError> => {
  const fast = readFast(schema, value)
  if (fast !== FastParse.failed) return next(fast)
  return encoderOf(schema)(value, encodeOptions).pipe(
    Effect.mapError((error) => {
      const paths = SchemaIssue.makeFormatterStandardSchemaV1()(error.issue).issues.map((issue) =>
        (issue.path ?? []).length === 0 ? "(root)" : (issue.path ?? []).map(String).join(".")
      )
      return new ClientTransportError({
        operationId,
        reason: `EncodeError: ${what} does not satisfy the spec at ${[...new Set(paths)].join(", ")}`,
        notSent: true
      })
    }),
    Effect.flatMap(next)
  )
}

const toText = (value: unknown): string => String(value)

/**
 * What of an endpoint's request is the same on every call of one client: the path with its bound
 * parameters filled in, and a request carrying the bound headers, the credentials sent as headers
 * and `accept`. Query parameters and query credentials are appended per call, in spec order.
 */
interface Template {
  readonly request: HttpClientRequest.HttpClientRequest
  readonly path: string
  /** The parameters each call supplies, and bound query parameters. */
  readonly perCall: ReadonlyArray<Parameter>
  readonly queryCredentials: ReadonlyArray<readonly [name: string, value: string]>
  /** Why no request can be built (a bound path parameter has no value). */
  readonly missing?: string
  /** The call's span: its route is the path template, never the URL. */
  readonly span: { readonly kind: "client"; readonly attributes: Readonly<Record<string, string>> }
  /** The endpoint's multipart file parts, when its body is `multipart/form-data`. */
  readonly multipart: Endpoint<unknown>["multipart"]
}

const unwrap = (value: OptionValue & {}): string => (Redacted.isRedacted(value) ? Redacted.value(value) : value)

/** Builds an endpoint's template. Redacted options are unwrapped here and in `buildRequest`, and only there. */
const makeTemplate = (endpoint: Endpoint<unknown>, options: Readonly<Record<string, OptionValue>>): Template => {
  let path = endpoint.path
  let request = HttpClientRequest.make(endpoint.method)("")
  const perCall: Array<Parameter> = []
  let missing: string | undefined
  for (const parameter of endpoint.parameters) {
    if (parameter.bind === undefined || parameter.in === "query") {
      perCall.push(parameter)
      continue
    }
    const value = options[parameter.bind]
    if (value === undefined) {
      if (parameter.in === "path") missing ??= `missing path parameter ${parameter.name}`
      continue
    }
    if (parameter.in === "path") path = path.replace(`{${parameter.name}}`, encodeURIComponent(unwrap(value)))
    else request = HttpClientRequest.setHeader(request, parameter.name, unwrap(value))
  }
  const requirement =
    endpoint.security.find((credentials) => credentials.every((credential) => options[credential.option])) ??
    endpoint.security[0] ??
    []
  const queryCredentials: Array<readonly [string, string]> = []
  for (const credential of requirement) {
    const secret = options[credential.option]
    if (secret === undefined) continue
    const value = unwrap(secret)
    if (credential.kind === "bearer") request = HttpClientRequest.bearerToken(request, value)
    else if (credential.kind === "header") request = HttpClientRequest.setHeader(request, credential.name, value)
    else queryCredentials.push([credential.name, value])
  }
  const accept = [...new Set(endpoint.success.flatMap((body) => (body.mediaType ? [body.mediaType] : [])))]
  if (accept.length > 0) request = HttpClientRequest.setHeader(request, "accept", accept.join(", "))
  const span = {
    kind: "client",
    attributes: { "http.request.method": endpoint.method, "http.route": endpoint.path }
  } as const
  return {
    request,
    path,
    perCall,
    queryCredentials,
    span,
    multipart: endpoint.multipart,
    ...(missing === undefined ? {} : { missing })
  }
}

/** Builds one call's request on the endpoint's template. */
const buildRequest = (
  template: Template,
  baseUrl: string,
  options: Readonly<Record<string, OptionValue>>,
  params: Readonly<Record<string, unknown>>,
  payload: { readonly value: unknown } | undefined
): HttpClientRequest.HttpClientRequest | string => {
  if (template.missing !== undefined) return template.missing
  let path = template.path
  let request = template.request
  for (const parameter of template.perCall) {
    const value = parameter.bind === undefined ? params[parameter.name] : options[parameter.bind]
    if (value === undefined) {
      if (parameter.in === "path") return `missing path parameter ${parameter.name}`
      continue
    }
    const text = Redacted.isRedacted(value) ? Redacted.value(value) : value
    if (parameter.in === "path") {
      path = path.replace(`{${parameter.name}}`, encodeURIComponent(toText(text)))
    } else if (parameter.in === "query") {
      for (const item of Array.isArray(text) ? text : [text]) {
        request = HttpClientRequest.appendUrlParam(request, parameter.name, toText(item))
      }
    } else {
      request = HttpClientRequest.setHeader(request, parameter.name, toText(text))
    }
  }
  request = HttpClientRequest.setUrl(request, baseUrl + path)
  for (const [name, value] of template.queryCredentials)
    request = HttpClientRequest.appendUrlParam(request, name, value)
  if (payload === undefined) return request
  if (template.multipart === undefined) return HttpClientRequest.bodyJsonUnsafe(request, payload.value)
  const { binaryFields } = template.multipart
  const form = new FormData()
  for (const [name, value] of Object.entries(payload.value as Readonly<Record<string, unknown>>)) {
    if (value === undefined) continue
    if (binaryFields.includes(name)) {
      if (!(value instanceof Blob)) return `payload field ${name} must be a Blob (a file part)`
      form.append(name, value, value instanceof File ? value.name : name)
    } else {
      form.append(name, typeof value === "string" ? value : JSON.stringify(value))
    }
  }
  return HttpClientRequest.bodyFormData(request, form)
}

/**
 * A multipart payload's file parts, set apart from the fields the spec's schema validates (a
 * `Blob` is not JSON); a JSON payload is all fields.
 */
const splitFiles = (
  endpoint: Endpoint<unknown>,
  payload: unknown
): readonly [unknown, Readonly<Record<string, unknown>> | undefined] => {
  if (endpoint.multipart === undefined || typeof payload !== "object" || payload === null) return [payload, undefined]
  const fields: Record<string, unknown> = {}
  const files: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(payload)) {
    if (endpoint.multipart.binaryFields.includes(name)) files[name] = value
    else fields[name] = value
  }
  return [fields, files]
}

/** Picks the documented body for a status: exact, then range (`4XX`), then `default`. */
const pick = <B extends { readonly status: string }>(bodies: ReadonlyArray<B>, status: number): B | undefined =>
  bodies.find((body) => body.status === String(status)) ??
  bodies.find((body) => body.status.toUpperCase() === `${String(status)[0]}XX`) ??
  bodies.find((body) => body.status === "default")

const parseJson = (text: string): { readonly value: unknown } | undefined => {
  try {
    return { value: JSON.parse(text) }
  } catch {
    return undefined
  }
}

/** `Retry-After` in seconds: either delay-seconds or an HTTP date. */
const retryAfterSeconds = (header: string | undefined, now: number): number | undefined => {
  if (header === undefined) return undefined
  const trimmed = header.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed)
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000))
}

/** Longest vendor error text read for an error; the rest is cut before any scanning. */
export const maxErrorText = 16_384

const urlPattern = /\b[a-z][a-z0-9+.-]{0,30}:\/\/[^\s"'<>]*/gi
const tokenPathPattern = /(\/instances\/[^/\s"'?#<>]+)?\/token\/[^/\s"'?#<>]+/gi

/**
 * Every form a secret can take in a vendor's echo of the request: as sent, URL-encoded (path,
 * query and form style), JSON-escaped (with and without `\/`) and HTML-escaped. Longest first,
 * so a form is replaced before a shorter one inside it.
 */
const secretForms = (secret: string): Array<string> => {
  const json = JSON.stringify(secret).slice(1, -1)
  const twice = JSON.stringify(json).slice(1, -1)
  const html = secret.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
  const named = secret
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;")
  const forms = [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    json,
    json.replace(/\//g, "\\/"),
    twice,
    html,
    named
  ]
  return [...new Set(forms)].sort((a, b) => b.length - a.length)
}

/** A scrubber of vendor error text; `cut` scrubs a text that was truncated (see `makeScrubber`). */
export interface Scrubber {
  (text: string): string
  /** Scrubs a text cut at `maxErrorText`, dropping a tail that starts a secret the cut split. */
  readonly cut: (text: string) => string
}

/**
 * Makes the one scrubber of vendor error text. Every text it sees is bounded first (by
 * `maxErrorText`, before any scanning), and each step is linear in it: each configured secret, in
 * every form an echo can give it (see `secretForms`), becomes `<redacted>`, then URLs `<url>` and
 * `/instances/…/token/…` path segments `<redacted>`. Success bodies are never scrubbed: secrets
 * are kept out of them by never being rendered, so a short token cannot corrupt an answer.
 */
export const makeScrubber = (options: Readonly<Record<string, unknown>>): Scrubber => {
  const secrets = Object.values(options).flatMap((value) => {
    if (!Redacted.isRedacted(value)) return []
    const secret = String(Redacted.value(value))
    return secret.length === 0 ? [] : secretForms(secret)
  })
  const scrub = (text: string): string => {
    // The configured secrets first: the patterns below could cut one short and leave its rest.
    let clean = text.length > maxErrorText ? text.slice(0, maxErrorText) : text
    for (const secret of secrets) if (clean.includes(secret)) clean = clean.split(secret).join("<redacted>")
    return clean
      .replace(urlPattern, "<url>")
      .replace(tokenPathPattern, (_, instance) =>
        instance === undefined ? "/token/<redacted>" : "/instances/<redacted>/token/<redacted>"
      )
  }
  const cut = (text: string): string => {
    let clean = scrub(text)
    for (const secret of secrets) {
      // The earliest place, among the last `secret.length - 1` characters, from which the rest of
      // the text starts the secret; tails shorter than 4 characters are left (they reveal nothing).
      for (let at = clean.indexOf(secret[0]!, Math.max(0, clean.length - secret.length + 1)); at >= 0; ) {
        if (clean.length - at < 4) break
        if (secret.startsWith(clean.slice(at))) {
          clean = clean.slice(0, at)
          break
        }
        at = clean.indexOf(secret[0]!, at + 1)
      }
    }
    return clean
  }
  return Object.assign(scrub, { cut })
}

/** Every string of a decoded JSON error body, scrubbed (bounded depth; the text itself was bounded). */
const scrubJson = (value: unknown, scrub: (text: string) => string, depth = 0): unknown => {
  if (typeof value === "string") return scrub(value)
  if (depth > 32 || !Predicate.isObject(value)) return value
  if (Array.isArray(value)) return value.map((item) => scrubJson(item, scrub, depth + 1))
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [scrub(key), scrubJson(item, scrub, depth + 1)]))
}

/**
 * An error body, read only up to `maxErrorText` bytes: the rest is never downloaded (the
 * connection is dropped), so a vendor answering a huge error page costs nothing.
 */
const readBounded = (
  response: HttpClientResponse.HttpClientResponse
): Effect.Effect<{ readonly text: string; readonly truncated: boolean }, HttpClientError.HttpClientError> =>
  Effect.suspend(() => {
    const decoder = new TextDecoder()
    let text = ""
    let bytes = 0
    return Stream.runForEachWhile(response.stream, (chunk) =>
      Effect.sync(() => {
        const room = maxErrorText + 1 - bytes
        const piece = chunk.length > room ? chunk.subarray(0, room) : chunk
        bytes += piece.length
        text += decoder.decode(piece, { stream: true })
        return bytes <= maxErrorText
      })
    ).pipe(
      // A response without a body (`new Response(null)`) has no stream at all: its text is empty.
      Effect.catchIf(
        (error) => error.reason._tag === "EmptyBodyError",
        () => Effect.void
      ),
      Effect.map(() => {
        text += decoder.decode()
        const truncated = bytes > maxErrorText || text.length > maxErrorText
        return { text: truncated ? text.slice(0, maxErrorText) : text, truncated }
      })
    )
  })

const readResponse = <A>(
  endpoint: Endpoint<A>,
  response: HttpClientResponse.HttpClientResponse,
  scrub: Scrubber
): Effect.Effect<A, ClientError> => {
  const status = response.status
  const operationId = endpoint.operationId
  const decodeError = (issue: string) => new ClientDecodeError({ operationId, status, issue: scrub(issue) })
  const readFailed = (error: HttpClientError.HttpClientError) => transportError(operationId, error)
  if (status < 200 || status >= 300) {
    return Effect.gen(function* () {
      const { text, truncated } = yield* Effect.mapError(readBounded(response), readFailed)
      const json = truncated ? undefined : parseJson(text)
      let body: unknown = json !== undefined ? scrubJson(json.value, scrub) : truncated ? scrub.cut(text) : scrub(text)
      const documented = pick(endpoint.errors, status)
      if (documented !== undefined && json !== undefined) {
        const decoded = yield* Effect.result(Schema.decodeUnknownEffect(documented.schema)(body, parseOptions))
        if (decoded._tag === "Success") body = decoded.success
      }
      const now = yield* Clock.currentTimeMillis
      const retryAfter = retryAfterSeconds(response.headers["retry-after"], now)
      return yield* new ClientStatusError({
        operationId,
        status,
        body,
        ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter })
      })
    })
  }
  const documented = pick(endpoint.success, status) ?? endpoint.success[0]
  if (documented === undefined) return Effect.fail(decodeError(`status ${status} is not documented`))
  const decode = (value: unknown): Effect.Effect<A, ClientError> => {
    const fast = readFast(documented.schema, value)
    if (fast !== FastParse.failed) return Effect.succeed(fast as A)
    return Effect.mapError(decoderOf(documented.schema)(value, parseOptions), (error) => decodeError(error.message))
  }
  const failRead = (error: HttpClientError.HttpClientError) => Effect.fail(readFailed(error))
  switch (documented.kind) {
    case "void":
      return decode(undefined)
    case "bytes":
      return Effect.matchEffect(response.arrayBuffer, {
        onFailure: failRead,
        onSuccess: (buffer) => decode(new Uint8Array(buffer))
      })
    case "text":
      return Effect.matchEffect(response.text, { onFailure: failRead, onSuccess: decode })
    case "json":
      // One step from the body's text to the decoded answer: the send path's common case.
      return Effect.matchEffect(response.text, {
        onFailure: failRead,
        onSuccess: (text) => {
          const json = parseJson(text)
          return json === undefined
            ? Effect.fail(decodeError(text === "" ? "the body is empty" : "the body is not JSON"))
            : decode(json.value)
        }
      })
  }
}

/** What `makeExecute` needs to know about the vendor and the client it serves. */
export interface ExecuteOptions extends ClientOptions {
  /** The span prefix: `ZApi` gives spans `ZApi.<operationId>`. */
  readonly name: string
  /** Bound parameters and credentials by option name; Redacted values stay wrapped until a request is built. */
  readonly values: Readonly<Record<string, OptionValue>>
}

/**
 * Makes the function every generated method calls: validates the input against the spec, sends
 * one request bounded by the timeout, and decodes the documented answer.
 */
export const makeExecute = (httpClient: HttpClient.HttpClient, options: ExecuteOptions) => {
  const scrub = makeScrubber(options.values)
  const timeout = Duration.fromInputUnsafe(options.timeout ?? defaultTimeout)
  const { values } = options
  const baseUrl = options.baseUrl.replace(/\/+$/, "")
  const templateOf = memoized((endpoint: Endpoint<unknown>) => makeTemplate(endpoint, values))
  const timedOut = memoized(
    (endpoint: Endpoint<unknown>) => () =>
      Effect.fail(
        new ClientTransportError({
          operationId: endpoint.operationId,
          reason: `Timeout (no answer within ${Duration.format(timeout)})`,
          notSent: false
        })
      )
  )
  // effect/http's own client span records the full URL; ours (`template.span`) records the route template.
  const untraced = () => true
  /** Sends one built request and reads the answer. */
  const exchange = <A>(
    endpoint: Endpoint<A>,
    params: Readonly<Record<string, unknown>>,
    payload: { readonly value: unknown } | undefined
  ): Effect.Effect<A, ClientError> =>
    Effect.withFiber((fiber) => {
      const operationId = endpoint.operationId
      let request = buildRequest(templateOf(endpoint), baseUrl, values, params, payload)
      if (typeof request === "string") {
        return Effect.fail(new ClientTransportError({ operationId, reason: `EncodeError: ${request}`, notSent: true }))
      }
      const span = fiber.cache.span
      if (span?._tag === "Span" && fiber.getRef(HttpClient.TracerPropagationEnabled)) {
        request = HttpClientRequest.setHeaders(request, HttpTraceContext.toHeaders(span))
      }
      return httpClient.execute(request).pipe(
        Effect.provideService(HttpClient.TracerDisabledWhen, untraced),
        Effect.matchEffect({
          onFailure: (error) =>
            error.reason._tag === "StatusCodeError"
              ? readResponse(endpoint, error.reason.response, scrub)
              : Effect.fail(transportError(operationId, error)),
          onSuccess: (response) => readResponse(endpoint, response, scrub)
        })
      )
    })
  return <A>(endpoint: Endpoint<A>, input: Input = {}): Effect.Effect<A, ClientError> => {
    const operationId = endpoint.operationId
    const template = templateOf(endpoint)
    const withPayload = (params: unknown): Effect.Effect<A, ClientError> => {
      const [fields, files] = splitFiles(endpoint, input.payload)
      if (endpoint.payload === undefined || fields === undefined) {
        return exchange(endpoint, params as Record<string, unknown>, undefined)
      }
      return encodeInput(operationId, "payload", endpoint.payload, fields, (encoded) =>
        exchange(endpoint, params as Record<string, unknown>, {
          value: files === undefined ? encoded : { ...(encoded as object), ...files }
        })
      )
    }
    const call = Effect.suspend(() =>
      endpoint.params
        ? encodeInput(operationId, "params", endpoint.params, input.params ?? {}, withPayload)
        : withPayload({})
    )
    return exchangeTimeout(call, timeout, timedOut(endpoint)).pipe(
      Effect.withSpan(`${options.name}.${operationId}`, template.span, withoutStackTrace)
    )
  }
}
