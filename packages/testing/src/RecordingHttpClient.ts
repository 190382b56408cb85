/**
 * A recording fake `HttpClient`, shared by every provider's tests and by the conformance suite:
 * it keeps every request it gets and answers from a script (canned responses, transport failures,
 * silence), or passes requests on to a real client (a Prism mock) while recording them.
 *
 * ```ts
 * const http = RecordingHttpClient.make([RecordingHttpClient.json({ error: "busy" }, 503), RecordingHttpClient.json(ok)])
 * // provide http.layer under a provider layer, run, then read http.requests
 * ```
 */
import { Effect, Layer } from "effect"
import { HttpClient, HttpClientError, type HttpClientRequest, HttpClientResponse } from "effect/http"

/** One request as the client received it. */
export interface Recorded {
  readonly method: string
  /** The URL's path (percent-encoded, as sent). */
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  readonly headers: Readonly<Record<string, string>>
  /** The body's content type, when there is a body. */
  readonly contentType: string | undefined
  /** The body parsed as JSON (or its text when it is not JSON); undefined without a body. */
  readonly body: unknown
  /** Everything above as one text, for "does the request carry X" checks. */
  readonly text: string
}

/**
 * How the fake answers one request: a web `Response`, a JSON answer, a transport failure that
 * provably never reached the server (`refused`), one that may have (`reset`), or no answer at all
 * (`hang`, for timeouts).
 */
export type Answer =
  | Response
  | { readonly status: number; readonly body?: unknown; readonly headers?: Readonly<Record<string, string>> }
  | "refused"
  | "reset"
  | "hang"

/** The answers: one for every request, the n-th for the n-th request (the last repeats), or computed. */
export type Script = Answer | ReadonlyArray<Answer> | ((request: Recorded, index: number) => Answer)

/** A recording client: the client, a layer providing it, and what it has received so far. */
export interface Recording {
  readonly httpClient: HttpClient.HttpClient
  readonly layer: Layer.Layer<HttpClient.HttpClient>
  readonly requests: ReadonlyArray<Recorded>
}

/** A JSON response. */
export const json = (body: unknown, status = 200, headers: Readonly<Record<string, string>> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } })

/** A response without a body. */
export const empty = (status: number): Response => new Response(null, { status })

const decoder = new TextDecoder()

const record = (request: HttpClientRequest.HttpClientRequest, url: URL): Recorded => {
  const raw = request.body._tag === "Uint8Array" ? decoder.decode(request.body.body) : undefined
  let body: unknown = raw
  if (raw !== undefined) {
    try {
      body = JSON.parse(raw)
    } catch {
      body = raw
    }
  }
  const query = Object.fromEntries(url.searchParams)
  const headers = { ...request.headers }
  return {
    method: request.method,
    path: url.pathname,
    query,
    headers,
    contentType: request.body._tag === "Empty" ? undefined : request.body.contentType,
    body,
    text: `${request.method} ${decodeURIComponent(url.pathname)} ${JSON.stringify(query)} ${raw ?? ""}`
  }
}

const transportFailure = (request: HttpClientRequest.HttpClientRequest, code: string) =>
  Effect.fail(
    new HttpClientError.HttpClientError({
      reason: new HttpClientError.TransportError({
        request,
        // Like undici's errors, the cause names the URL, token included: the runtime must drop it.
        cause: new TypeError("fetch failed", { cause: Object.assign(new Error(`${code} ${request.url}`), { code }) })
      })
    })
  )

const respond = (request: HttpClientRequest.HttpClientRequest, answer: Answer) => {
  if (answer === "refused") return transportFailure(request, "ECONNREFUSED")
  if (answer === "reset") return transportFailure(request, "ECONNRESET")
  if (answer === "hang") return Effect.never
  const response =
    answer instanceof Response
      ? answer.clone()
      : new Response(typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body ?? {}), {
          status: answer.status,
          headers: { "content-type": "application/json", ...answer.headers }
        })
  return Effect.succeed(HttpClientResponse.fromWeb(request, response))
}

const recording = (
  handle: (
    request: HttpClientRequest.HttpClientRequest,
    recorded: Recorded,
    index: number
  ) => ReturnType<HttpClient.HttpClient["execute"]>
): Recording => {
  const requests: Array<Recorded> = []
  const httpClient = HttpClient.make((request, url) =>
    Effect.suspend(() => {
      const recorded = record(request, url)
      requests.push(recorded)
      return handle(request, recorded, requests.length - 1)
    })
  )
  return { httpClient, layer: Layer.succeed(HttpClient.HttpClient, httpClient), requests }
}

/** A fake answering from `script`, recording every request. */
export const make = (script: Script): Recording =>
  recording((request, recorded, index) => {
    const answer =
      typeof script === "function"
        ? script(recorded, index)
        : Array.isArray(script)
          ? (script[Math.min(index, script.length - 1)] as Answer)
          : (script as Answer)
    return respond(request, answer)
  })

/** Records every request, then sends it with `inner` (a real client, e.g. to a Prism mock). */
export const wrap = (inner: HttpClient.HttpClient): Recording => recording((request) => inner.execute(request))
