/**
 * The hand-written half of every generated client: errors, request building, response decoding.
 * The generator copies the text after the `@pombo/codegen runtime: always` marker into every
 * generated module, and the part after `@pombo/codegen runtime: client` when the spec has
 * operations, replacing the `Vendor` prefix with the vendor's name (`ZApiStatusError`), so a
 * generated module needs nothing but `effect`. This file is type-checked and linted like any other
 * source, and `test/Client.test.ts` exercises it through the generated fixture client.
 */
import { Clock, Effect, Redacted, Schema, SchemaIssue } from "effect"
import {
  HttpClient,
  type HttpClientError,
  HttpClientRequest,
  type HttpClientResponse,
  HttpTraceContext
} from "effect/http"

// @pombo/codegen runtime: always

/**
 * The options every schema of this module is meant to be decoded with: an object the spec closes
 * (`additionalProperties: false`) then rejects unknown keys, as in JSON Schema, which also keeps
 * `oneOf` branches exclusive. Effect's default would silently drop such keys instead.
 */
export const parseOptions = { onExcessProperty: "error" } as const

/** The server answered with a status the operation does not document as a success. */
export class VendorStatusError extends Schema.TaggedError<VendorStatusError>()("VendorStatusError", {
  operationId: Schema.String,
  status: Schema.Int,
  /** The body, decoded with the schema the spec documents for this status when it fits. */
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
export class VendorTransportError extends Schema.TaggedError<VendorTransportError>()("VendorTransportError", {
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
export class VendorDecodeError extends Schema.TaggedError<VendorDecodeError>()("VendorDecodeError", {
  operationId: Schema.String,
  status: Schema.Int,
  /** The schema issue, formatted. */
  issue: Schema.String
}) {
  override get message(): string {
    return `${this.operationId} answered HTTP ${this.status} with an unexpected body: ${this.issue}`
  }
}

/** Every way a generated client call can fail. */
export type VendorError = VendorStatusError | VendorTransportError | VendorDecodeError

// @pombo/codegen runtime: client

/** A client option value: a bound parameter or a credential. */
type OptionValue = string | Redacted.Redacted<string> | undefined

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
const transportError = (operationId: string, error: HttpClientError.HttpClientError): VendorTransportError => {
  const kind = error.reason._tag
  const codes = causeCodes(error.reason.cause)
  const notSent = kind === "InvalidUrlError" || kind === "EncodeError" || codes.some((code) => notSentCodes.has(code))
  return new VendorTransportError({
    operationId,
    reason: codes.length > 0 ? `${kind} (${codes.join(", ")})` : kind,
    notSent
  })
}

/** Validates and encodes one side of the input; the failure names the fields, never their values. */
const encodeInput = (
  operationId: string,
  what: "params" | "payload",
  schema: Schema.ConstraintCodec<unknown, unknown>,
  value: unknown
): Effect.Effect<unknown, VendorTransportError> =>
  Schema.encodeUnknownEffect(schema)(value, { ...parseOptions, errors: "all" }).pipe(
    Effect.mapError((error) => {
      const paths = SchemaIssue.makeFormatterStandardSchemaV1()(error.issue).issues.map((issue) =>
        (issue.path ?? []).length === 0 ? "(root)" : (issue.path ?? []).map(String).join(".")
      )
      return new VendorTransportError({
        operationId,
        reason: `EncodeError: ${what} does not satisfy the spec at ${[...new Set(paths)].join(", ")}`,
        notSent: true
      })
    })
  )

const toText = (value: unknown): string => String(value)

/** Builds the request. Redacted options are unwrapped here, and only here. */
const buildRequest = (
  endpoint: Endpoint<unknown>,
  baseUrl: string,
  options: Readonly<Record<string, OptionValue>>,
  params: Readonly<Record<string, unknown>>,
  payload: { readonly value: unknown } | undefined
): HttpClientRequest.HttpClientRequest | string => {
  let path = endpoint.path
  let request = HttpClientRequest.make(endpoint.method)("")
  for (const parameter of endpoint.parameters) {
    const bound = parameter.bind === undefined ? undefined : options[parameter.bind]
    const value = parameter.bind === undefined ? params[parameter.name] : bound
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
  request = HttpClientRequest.setUrl(request, baseUrl.replace(/\/+$/, "") + path)
  const requirement =
    endpoint.security.find((credentials) => credentials.every((credential) => options[credential.option])) ??
    endpoint.security[0] ??
    []
  for (const credential of requirement) {
    const secret = options[credential.option]
    if (secret === undefined) continue
    const value = Redacted.isRedacted(secret) ? Redacted.value(secret) : secret
    if (credential.kind === "bearer") request = HttpClientRequest.bearerToken(request, value)
    else if (credential.kind === "header") request = HttpClientRequest.setHeader(request, credential.name, value)
    else request = HttpClientRequest.appendUrlParam(request, credential.name, value)
  }
  const accept = [...new Set(endpoint.success.flatMap((body) => (body.mediaType ? [body.mediaType] : [])))]
  if (accept.length > 0) request = HttpClientRequest.setHeader(request, "accept", accept.join(", "))
  return payload === undefined ? request : HttpClientRequest.bodyJsonUnsafe(request, payload.value)
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

/**
 * Replaces every configured secret in a response text by `<redacted>`: a vendor that echoes the
 * request URL (Z-API's holds the token) must not put a secret into an error, a decode issue or
 * the span that records them.
 */
const scrubber =
  (options: Readonly<Record<string, OptionValue>>) =>
  (text: string): string => {
    let scrubbed = text
    for (const value of Object.values(options)) {
      if (!Redacted.isRedacted(value)) continue
      const secret = Redacted.value(value)
      if (secret.length > 0) scrubbed = scrubbed.split(secret).join("<redacted>")
    }
    return scrubbed
  }

const readResponse = <A>(
  endpoint: Endpoint<A>,
  response: HttpClientResponse.HttpClientResponse,
  scrub: (text: string) => string
): Effect.Effect<A, VendorError> => {
  const status = response.status
  const operationId = endpoint.operationId
  const decodeError = (issue: string) => new VendorDecodeError({ operationId, status, issue })
  const readFailed = (error: HttpClientError.HttpClientError) => transportError(operationId, error)
  if (status < 200 || status >= 300) {
    return Effect.gen(function* () {
      const text = scrub(yield* Effect.mapError(response.text, readFailed))
      const documented = pick(endpoint.errors, status)
      const json = parseJson(text)
      let body: unknown = json === undefined ? text : json.value
      if (documented !== undefined && json !== undefined) {
        const decoded = yield* Effect.result(Schema.decodeUnknownEffect(documented.schema)(json.value, parseOptions))
        if (decoded._tag === "Success") body = decoded.success
      }
      const now = yield* Clock.currentTimeMillis
      const retryAfter = retryAfterSeconds(response.headers["retry-after"], now)
      return yield* new VendorStatusError({
        operationId,
        status,
        body,
        ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter })
      })
    })
  }
  const documented = pick(endpoint.success, status) ?? endpoint.success[0]
  if (documented === undefined) return Effect.fail(decodeError(`status ${status} is not documented`))
  const raw: Effect.Effect<unknown, VendorError> =
    documented.kind === "void"
      ? Effect.void
      : documented.kind === "bytes"
        ? Effect.map(Effect.mapError(response.arrayBuffer, readFailed), (buffer) => new Uint8Array(buffer))
        : documented.kind === "text"
          ? Effect.map(Effect.mapError(response.text, readFailed), scrub)
          : Effect.flatMap(Effect.mapError(response.text, readFailed), (received) => {
              const text = scrub(received)
              const json = parseJson(text)
              return json === undefined
                ? Effect.fail(decodeError(text === "" ? "the body is empty" : "the body is not JSON"))
                : Effect.succeed(json.value)
            })
  return Effect.flatMap(raw, (value) =>
    Effect.mapError(Schema.decodeUnknownEffect(documented.schema)(value, parseOptions), (error) =>
      decodeError(error.message)
    )
  )
}

/**
 * Makes the function every generated method calls (exported here only so this file type-checks
 * on its own; the generated copy keeps it private). `options` holds bound parameters and
 * credentials by option name; Redacted values stay wrapped until a request is built.
 */
export const makeExecute = (
  httpClient: HttpClient.HttpClient,
  baseUrl: string,
  options: Readonly<Record<string, OptionValue>>
) => {
  const scrub = scrubber(options)
  return <A>(endpoint: Endpoint<A>, input: Input = {}): Effect.Effect<A, VendorError> =>
    Effect.gen(function* () {
      const operationId = endpoint.operationId
      const params = endpoint.params
        ? ((yield* encodeInput(operationId, "params", endpoint.params, input.params ?? {})) as Record<string, unknown>)
        : {}
      const payload =
        endpoint.payload && input.payload !== undefined
          ? { value: yield* encodeInput(operationId, "payload", endpoint.payload, input.payload) }
          : undefined
      let request = buildRequest(endpoint, baseUrl, options, params, payload)
      if (typeof request === "string") {
        return yield* new VendorTransportError({ operationId, reason: `EncodeError: ${request}`, notSent: true })
      }
      if (yield* HttpClient.TracerPropagationEnabled) {
        const span = yield* Effect.option(Effect.currentSpan)
        if (span._tag === "Some")
          request = HttpClientRequest.setHeaders(request, HttpTraceContext.toHeaders(span.value))
      }
      const response = yield* httpClient.execute(request).pipe(
        // effect/http's own client span records the full URL; ours records the route template.
        Effect.provideService(HttpClient.TracerDisabledWhen, () => true),
        Effect.catch((error) =>
          error.reason._tag === "StatusCodeError"
            ? Effect.succeed(error.reason.response)
            : Effect.fail(transportError(operationId, error))
        )
      )
      return yield* readResponse(endpoint, response, scrub)
    }).pipe(
      Effect.withSpan(`Vendor.${endpoint.operationId}`, {
        kind: "client",
        attributes: { "http.request.method": endpoint.method, "http.route": endpoint.path }
      })
    )
}
