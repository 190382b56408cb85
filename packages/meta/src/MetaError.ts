/**
 * The one place where Meta's failures become Pombo's closed error set. Meta reports errors as a
 * Graph error body whose numeric `error.code` says what happened; the same HTTP status carries
 * many codes, so the code decides and the status is only the fallback (rules.md §5). Every error
 * keeps the code as `vendorCode`.
 *
 * | Meta `error.code`                                              | error                                   |
 * | -------------------------------------------------------------- | --------------------------------------- |
 * | 4, 80007, 130429, 131056 (app, account, throughput, pair limits) | `RateLimited` (+ `Retry-After`)       |
 * | 0, 10, 190, 200–299, 131005 (token, permissions)               | `Unauthorized`                          |
 * | 131047 (24-hour customer window closed)                        | `InvalidRequest`, reason `windowClosed`: send a template |
 * | 132000–132016 (template missing, unapproved, paused, params)   | `InvalidRequest`, reason `template`     |
 * | 131050 (user opted out of marketing)                           | `InvalidRequest`, reason `optedOut`     |
 * | 131026 (not a WhatsApp user / cannot receive)                  | `RecipientNotFound`                     |
 * | 133010, 131045 (number not registered)                         | `NotConnected`                          |
 * | 1, 2, 131000, 131016, 131057, 133004 (Meta-side, temporary)    | `ProviderUnavailable`, notSent false    |
 * | any other code                                                 | `InvalidRequest` with Meta's text       |
 * | no Graph body: 401/403, 429, 5xx, other 4xx                    | as the other providers read statuses    |
 * | request never sent (refused, DNS) / timed out                  | `ProviderUnavailable` with notSent      |
 * | a success body the spec does not describe                      | `UnexpectedResponse`                    |
 *
 * No error carries a URL, header or token: the client runtime scrubbed every vendor text before
 * this module reads it.
 */
import { type Operation, ProviderCall, WhatsAppError } from "@pombo/core"
import type * as HttpClientRuntime from "@pombo/core/HttpClientRuntime"
import { Predicate } from "effect"

/** The provider name every Meta error, receipt and event carries. */
export const provider = "meta"

/** The Graph error fields this module reads. */
interface GraphError {
  readonly code: number
  readonly message: string | undefined
  readonly details: string | undefined
}

const field = (value: unknown, name: string): unknown =>
  Predicate.isObject(value) ? (value as Readonly<Record<string, unknown>>)[name] : undefined

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value.trim() : undefined

/** The Graph error in a body (`{error: {code, message, error_data: {details}}}`), if it is one. */
export const graphError = (body: unknown): GraphError | undefined => {
  const error = field(body, "error")
  const code = field(error, "code")
  if (typeof code !== "number" || !Number.isInteger(code)) return undefined
  return { code, message: text(field(error, "message")), details: text(field(field(error, "error_data"), "details")) }
}

const rateLimits = new Set([4, 80007, 130429, 131056])
const unauthorized = new Set([0, 10, 190, 131005])
const templateCodes = new Set([132000, 132001, 132005, 132007, 132012, 132015, 132016])
const unregistered = new Set([133010, 131045])
const temporary = new Set([1, 2, 131000, 131016, 131057, 133004])

/** Meta's error read by its code (see the module doc). */
const fromCode = (
  graph: GraphError,
  error: HttpClientRuntime.ClientStatusError,
  context: { readonly provider: string; readonly operation: string }
): WhatsAppError.WhatsAppError => {
  const { code } = graph
  const vendorCode = String(code)
  const detail = [graph.message, graph.details].filter((part) => part !== undefined).join(": ") || `Meta error ${code}`
  const base = { ...context, vendorCode }
  if (rateLimits.has(code)) {
    return new WhatsAppError.RateLimited({
      ...base,
      ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds })
    })
  }
  if (unauthorized.has(code) || (code >= 200 && code <= 299)) return new WhatsAppError.Unauthorized({ ...base, detail })
  if (code === 131047) {
    return new WhatsAppError.InvalidRequest({
      ...base,
      reason: "windowClosed",
      detail: `${detail} (the user has not written in the last 24 hours: only a template can be sent, see sendTemplate)`
    })
  }
  if (templateCodes.has(code)) return new WhatsAppError.InvalidRequest({ ...base, reason: "template", detail })
  if (code === 131050) return new WhatsAppError.InvalidRequest({ ...base, reason: "optedOut", detail })
  if (code === 131026) return new WhatsAppError.RecipientNotFound({ ...base, detail })
  if (unregistered.has(code)) return new WhatsAppError.NotConnected({ ...base, detail })
  if (temporary.has(code)) return new WhatsAppError.ProviderUnavailable({ ...base, detail, notSent: false })
  return new WhatsAppError.InvalidRequest({ ...base, detail })
}

/** An HTTP answer without a Graph error body (a proxy, Prism's problem+json), read by its status. */
const fromHttpStatus = (
  error: HttpClientRuntime.ClientStatusError,
  context: { readonly provider: string; readonly operation: string }
): WhatsAppError.WhatsAppError => {
  const { status } = error
  const parts = ProviderCall.problemDetails(error.body)
  const detail = parts.length > 0 ? parts.join("; ") : (text(error.body) ?? `Meta answered HTTP ${status}`)
  if (status === 401 || status === 403) return new WhatsAppError.Unauthorized({ ...context, detail })
  return (
    ProviderCall.transientStatus(error, context, detail) ?? new WhatsAppError.InvalidRequest({ ...context, detail })
  )
}

/** An HTTP status Meta answered, read as the error of the operation in `context` (see the module doc). */
export const fromStatus = (
  error: HttpClientRuntime.ClientStatusError,
  { provider, operation }: Operation.Context
): WhatsAppError.WhatsAppError => {
  const graph = graphError(error.body)
  return graph === undefined
    ? fromHttpStatus(error, { provider, operation })
    : fromCode(graph, error, { provider, operation })
}

/** Maps a failure of the generated client, met while doing the operation in `context`, to Pombo's error set. */
export const fromClientError = ProviderCall.fromClientError(fromStatus)
