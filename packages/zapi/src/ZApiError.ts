/**
 * The one place where Z-API's failures become Pombo's closed error set. The generated client
 * fails with a status error (with the decoded body), a transport error or a decode error; the last
 * two read the same for every provider (`ProviderCall`), statuses are read here, with the rules
 * Z-API's documentation implies (see `openapi/zapi/common.yaml`):
 *
 * | Z-API answer                                            | error                              |
 * | ------------------------------------------------------- | ---------------------------------- |
 * | `{"error": "… not allowed"}` (Client-Token, IP), any status | `Unauthorized`                 |
 * | a body saying the instance is disconnected / not connected | `NotConnected`                  |
 * | 401, 403                                                | `Unauthorized`                     |
 * | 429                                                     | `RateLimited` (+ `Retry-After`)    |
 * | 5xx, 408                                                | `ProviderUnavailable`, notSent false (503 keeps `Retry-After`; `ProviderCall.transientStatus`) |
 * | 404, or a "not found" / "not on WhatsApp" body          | `RecipientNotFound`                |
 * | 404 "no such route", 405, 415                           | `InvalidRequest` (a Pombo bug)     |
 * | 400, 422 and any other 4xx                              | `InvalidRequest` with Z-API's text |
 * | request never sent (refused, DNS) / timed out           | `ProviderUnavailable` with notSent |
 * | input the spec rejects before sending                   | `InvalidRequest`                   |
 * | a success body the spec does not describe               | `UnexpectedResponse`               |
 *
 * No error carries a URL, header or token: the client runtime scrubbed every vendor text (URLs,
 * `/token/…` path segments, the configured secrets) before this module reads it.
 */
import { type Operation, ProviderCall, WhatsAppError } from "@pombo/core"
import type * as HttpClientRuntime from "@pombo/core/HttpClientRuntime"
import { Predicate } from "effect"

/** The provider name every Z-API error, receipt and event carries. */
export const provider = "zapi"

const strings = (value: unknown): Array<string> => (Predicate.isString(value) && value.trim() !== "" ? [value] : [])

/** The human text of an error body: Z-API's `error` / `message`, or a problem+json document's (Prism, the mock). */
const vendorText = (body: unknown): string | undefined => {
  if (Predicate.isString(body)) return body.trim() === "" ? undefined : body.trim()
  if (!Predicate.isObject(body)) return undefined
  const record = body as Record<string, unknown>
  const parts = [...strings(record.error), ...strings(record.message), ...ProviderCall.problemDetails(body)]
  return parts.length === 0 ? undefined : [...new Set(parts)].join("; ")
}

const notAllowed = /not allowed/i
// Bounded gaps (not `.*`): these run on vendor text, and nested `.*` is quadratic or worse on it.
const disconnected = /disconnected|not connected|restore the session|instance.{0,40}(offline|not.{0,12}connect)/i
const noRoute = /no path matched|route not resolved|cannot (get|post|put|delete) /i
const notFound = /not found|does ?n[o']t exist|not exist|not (on|in|a) whatsapp|no whatsapp/i

/** An HTTP status Z-API answered, read as the error of the operation in `context` (see the module doc). */
export const fromStatus = (
  error: HttpClientRuntime.ClientStatusError,
  { provider, operation }: Operation.Context
): WhatsAppError.WhatsAppError => {
  const { status } = error
  const text = vendorText(error.body)
  const detail = text ?? `Z-API answered HTTP ${status}`
  const context = { provider, operation }
  if (text !== undefined && notAllowed.test(text)) return new WhatsAppError.Unauthorized({ ...context, detail })
  if (text !== undefined && disconnected.test(text)) return new WhatsAppError.NotConnected({ ...context, detail })
  if (status === 401 || status === 403) return new WhatsAppError.Unauthorized({ ...context, detail })
  const transient = ProviderCall.transientStatus(error, context, detail)
  if (transient !== undefined) return transient
  if (status === 404 && text !== undefined && noRoute.test(text)) {
    return new WhatsAppError.InvalidRequest({
      ...context,
      detail: `Z-API has no such route (${text}): a bug in Pombo or its Z-API spec, please report it`
    })
  }
  if (status === 405 || status === 415) {
    const what = status === 405 ? "HTTP method" : "content type"
    return new WhatsAppError.InvalidRequest({
      ...context,
      detail: `Z-API refused the request's ${what} (HTTP ${status}): a bug in Pombo or its Z-API spec, please report it`
    })
  }
  if (status === 404 || (text !== undefined && notFound.test(text))) {
    return new WhatsAppError.RecipientNotFound({ ...context, detail })
  }
  return new WhatsAppError.InvalidRequest({ ...context, detail })
}

/** Maps a failure of the generated client, met while doing the operation in `context`, to Pombo's error set. */
export const fromClientError = ProviderCall.fromClientError(fromStatus)

/** Z-API answered `{"value": false}`: it documents that as "the change was not applied". */
export const notApplied = ({ provider, operation }: Operation.Context): WhatsAppError.InvalidRequest =>
  new WhatsAppError.InvalidRequest({
    provider,
    operation,
    detail: 'Z-API did not apply the change (it answered {"value": false} and gives no reason)'
  })
