/**
 * A recording fake of Z-API for the provider's tests: an `HttpClient` that records every request
 * and answers from a script (canned responses taken from the spec's examples, transport failures
 * or silence), wired under `ZApiWhatsApp.layer` and `ZApiClient.layer`.
 */
import { RetryPolicy, WhatsApp } from "@pombo/core"
import { Effect, Layer, Redacted } from "effect"
import { HttpClient, HttpClientError, type HttpClientRequest, HttpClientResponse } from "effect/http"
import { ZApiClient, ZApiWhatsApp } from "../src/index.ts"

/** A token no rendering may ever show. */
export const token = "SECRET-TOKEN-123"
/** The account security token, sent as a header. */
export const clientToken = "CLIENT-SECRET-456"
export const instanceId = "INSTANCE-1"
export const baseUrl = "https://api.z-api.test"
/** The path prefix every instance operation has. */
export const prefix = `/instances/${instanceId}/token/${token}`

/** One request as the fake received it. */
export interface Recorded {
  readonly method: string
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  readonly headers: Readonly<Record<string, string>>
  /** The body's content type, when there is a body. */
  readonly contentType: string | undefined
  readonly body: unknown
}

/** How the fake answers one request. */
export type Reply = Response | "refused" | "reset" | "silence"

/** A JSON response. */
export const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } })

/** A response without a body (Z-API's 204s, 405s, 415s). */
export const empty = (status: number): Response => new Response(null, { status })

/** Backoff without waiting, so retries run under the test clock. */
export const immediateRetries: RetryPolicy.RetryPolicy = {
  ...RetryPolicy.defaults,
  baseDelay: "0 millis",
  maxDelay: "0 millis"
}

const transportFailure = (request: HttpClientRequest.HttpClientRequest, code: string) =>
  Effect.fail(
    new HttpClientError.HttpClientError({
      reason: new HttpClientError.TransportError({
        request,
        // Like undici's errors, the cause names the URL, token included.
        cause: new TypeError("fetch failed", { cause: Object.assign(new Error(`${code} ${request.url}`), { code }) })
      })
    })
  )

/**
 * A fake Z-API answering the n-th request with `script[n]` (the last entry repeats), or with
 * `script(recorded)` when a function.
 */
export const fake = (
  script: Reply | ReadonlyArray<Reply> | ((request: Recorded) => Reply),
  options: Partial<ZApiClient.Options> = {}
) => {
  const recorded: Array<Recorded> = []
  const httpClient = HttpClient.make((request, url) => {
    const text = request.body._tag === "Uint8Array" ? new TextDecoder().decode(request.body.body) : undefined
    const entry: Recorded = {
      method: request.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: request.headers,
      contentType: request.body._tag === "Empty" ? undefined : request.body.contentType,
      body: text === undefined ? undefined : JSON.parse(text)
    }
    recorded.push(entry)
    const reply =
      typeof script === "function"
        ? script(entry)
        : Array.isArray(script)
          ? (script[Math.min(recorded.length, script.length) - 1] as Reply)
          : (script as Reply)
    if (reply === "refused") return transportFailure(request, "ECONNREFUSED")
    if (reply === "reset") return transportFailure(request, "ECONNRESET")
    if (reply === "silence") return Effect.never
    return Effect.succeed(HttpClientResponse.fromWeb(request, reply.clone()))
  })
  const client = ZApiClient.layer({
    instanceId,
    token: Redacted.make(token),
    clientToken: Redacted.make(clientToken),
    baseUrl,
    retry: immediateRetries,
    ...options
  })
  const layer: Layer.Layer<WhatsApp.WhatsApp | ZApiClient.ZApiClient> = ZApiWhatsApp.layer.pipe(
    Layer.provideMerge(client),
    Layer.provide(Layer.succeed(HttpClient.HttpClient, httpClient))
  )
  return { recorded, layer }
}

/** Runs `f` with the `WhatsApp` service. */
export const withWhatsApp = <A, E, R>(f: (whatsapp: WhatsApp.Shape) => Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    return yield* f(yield* WhatsApp.WhatsApp)
  })
