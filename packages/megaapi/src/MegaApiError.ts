/**
 * The one place where Mega-API's failures become Pombo's closed error set. The generated client
 * reports an HTTP status it does not document as a success, a request that did not complete, or
 * a body the spec does not describe; Mega-API also answers some failures with HTTP 200 and
 * `error: true`. Every error keeps only the vendor's message, never a URL, header or token.
 *
 * | Mega-API                                   | Pombo                                                    |
 * | ------------------------------------------ | -------------------------------------------------------- |
 * | 401 about the token, or any non-vendor body | `Unauthorized` (bad or missing token)                   |
 * | 401 `{ error: true, message }` otherwise    | `NotConnected` ("instância não conectada")              |
 * | 403 (addParticipants)                      | `InvalidRequest` (not allowed to add the contact)        |
 * | 403                                        | `RecipientNotFound` ("número não existe")                |
 * | 400, 415, 422                              | `InvalidRequest` with the vendor's message / violations  |
 * | 404 on a chat or group operation           | `RecipientNotFound`                                      |
 * | 404 elsewhere, other 3xx/4xx               | `UnexpectedResponse`                                     |
 * | 429                                        | `RateLimited` with `Retry-After`                         |
 * | 408, 5xx                                   | `ProviderUnavailable`, `notSent` false (only a 503 keeps `Retry-After`; see `ProviderCall.transientStatus`) |
 * | request not completed (refused, timeout…)  | `ProviderUnavailable`, `notSent` from the transport      |
 * | input the spec rejects (nothing sent)      | `InvalidRequest` naming the fields                       |
 * | body not as the spec says                  | `UnexpectedResponse` with the schema issue               |
 * | 200 with `error: true` (or `status: false`) | `InvalidRequest` with the vendor's message              |
 */
import { type Capability, type Operation, ProviderCall, WhatsAppError } from "@pombo/core"
import type * as HttpClientRuntime from "@pombo/core/HttpClientRuntime"
import { Predicate } from "effect"

/** The provider name every Mega-API error, receipt and event carries. */
export const provider = "megaapi"

/** A 401 message about credentials rather than the WhatsApp connection. */
const credentialMessage = /token|unauthori[sz]ed|n[ãa]o autorizad|credencia|credential/i

/** Operations that address one existing chat or group: there a 404 means it does not exist. */
const chatOperations: ReadonlySet<string> = new Set<Capability.Capability>([
  "getGroup",
  "getGroupInviteLink",
  "getProfilePicture",
  "leaveGroup",
  "updateGroupSettings",
  "addParticipants",
  "removeParticipants",
  "promoteParticipants",
  "demoteParticipants",
  "archiveChat",
  "pinChat"
])

const field = (body: unknown, name: string): unknown => (Predicate.isObject(body) ? body[name] : undefined)

const text = (value: unknown): string | undefined =>
  Predicate.isString(value) && value.trim().length > 0 ? value.trim() : undefined

/** Mega-API's documented failure body: `{ "error": true, "message": "…" }`. */
const isVendorFailure = (body: unknown): boolean =>
  field(body, "error") === true && text(field(body, "message")) !== undefined

/**
 * The vendor's explanation: Mega-API's `message`, or a problem+json document's (see
 * `ProviderCall.problemDetails`). Raw text bodies are not kept: they are not documented.
 */
const vendorDetail = (body: unknown, status: number): string => {
  const message = text(field(body, "message"))
  const parts = message === undefined ? ProviderCall.problemDetails(body) : [message]
  return parts.length > 0 ? parts.join("; ") : `HTTP ${status}`
}

/** An HTTP status Mega-API answered, read as the error of the operation in `context` (see the module doc). */
export const fromStatus = (
  error: HttpClientRuntime.ClientStatusError,
  { provider, operation }: Operation.Context
): WhatsAppError.WhatsAppError => {
  const context = { provider, operation }
  const { status, body } = error
  const detail = vendorDetail(body, status)
  switch (status) {
    case 401:
      // Mega-API documents 401 as "instance not connected to WhatsApp", with its usual
      // `{ error: true, message }` body, but a missing or wrong Bearer token is refused with 401
      // too (the spec models it as the `invalidToken` example). A message about the token or
      // authorization, or a body that is not the vendor's (a gateway's page), is about credentials.
      return isVendorFailure(body) && !credentialMessage.test(detail)
        ? new WhatsAppError.NotConnected({ ...context, detail })
        : new WhatsAppError.Unauthorized({ ...context, detail })
    case 403:
      // Only on addParticipants does 403 mean "not allowed to add this contact".
      return operation === "addParticipants"
        ? new WhatsAppError.InvalidRequest({ ...context, detail })
        : new WhatsAppError.RecipientNotFound({ ...context, detail })
    case 400:
    case 415:
    case 422:
      return new WhatsAppError.InvalidRequest({ ...context, detail })
    case 404:
      return chatOperations.has(operation)
        ? new WhatsAppError.RecipientNotFound({ ...context, detail })
        : new WhatsAppError.UnexpectedResponse({ ...context, status, detail })
  }
  // 500 is documented as "sent incorrectly or WhatsApp unstable": we cannot tell which, and the
  // request may have been acted on, so it is an outage that must not be blindly resent.
  return (
    ProviderCall.transientStatus(error, context, detail) ??
    new WhatsAppError.UnexpectedResponse({ ...context, status, detail })
  )
}

/** Maps a failure of the generated client, met while doing the operation in `context`, to Pombo's error set. */
export const fromClientError = ProviderCall.fromClientError(fromStatus)

/**
 * A successful answer that reports a failure: Mega-API's `error: true` (typed as a string on some
 * pages) or, on the group lists, `status: false`.
 */
export const fromSuccess = (body: unknown, { provider, operation }: Operation.Context) => {
  const error = field(body, "error")
  return error === true || error === "true" || field(body, "status") === false
    ? new WhatsAppError.InvalidRequest({
        provider,
        operation,
        detail: text(field(body, "message")) ?? "Mega-API reported an error"
      })
    : undefined
}
