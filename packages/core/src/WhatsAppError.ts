/**
 * The closed set of errors a `WhatsApp` operation can fail with. Every error names the provider
 * and the operation; none carries a token, a header or a URL (Z-API puts its token in the URL
 * path), so rendering an error — `String(error)`, `JSON.stringify`, a log line — is always safe.
 */
import { Schema } from "effect"

const context = {
  /** The provider that failed: `megaapi`, `zapi`, `in-memory`… */
  provider: Schema.String,
  /** The abstract operation that failed, e.g. `sendText`. */
  operation: Schema.String,
  /** The vendor's own error code when it gives one (Meta's `131047`), for support and logs. */
  vendorCode: Schema.optional(Schema.String)
}

/**
 * Why a request was refused, when the application can act on it:
 * - `windowClosed`: the recipient has not written in the vendor's customer-service window (24 h on
 *   Meta's Cloud API), so only a template may be sent (`sendTemplate`);
 * - `template`: the template is missing in that language, not approved, paused or its parameters
 *   do not match;
 * - `optedOut`: the recipient opted out of such messages (do not retry).
 */
export const InvalidRequestReason = Schema.Literals(["windowClosed", "template", "optedOut"])
/** Why a request was refused, when the application can act on it. */
export type InvalidRequestReason = typeof InvalidRequestReason.Type

/** The vendor refused the credentials (token, Client-Token). */
export class Unauthorized extends Schema.TaggedError<Unauthorized>()("Unauthorized", {
  ...context,
  detail: Schema.String
}) {
  override get message(): string {
    return `${this.provider}: ${this.operation} was refused: ${this.detail}`
  }
}

/** The instance is not connected to a WhatsApp account (scan the QR code or pair first). */
export class NotConnected extends Schema.TaggedError<NotConnected>()("NotConnected", {
  ...context,
  detail: Schema.String
}) {
  override get message(): string {
    return `${this.provider}: ${this.operation} needs a connected instance: ${this.detail}`
  }
}

/**
 * The request is wrong: rejected by Pombo before anything was sent, or by the vendor (its detail
 * is kept). `field` names the offending input where it is known.
 */
export class InvalidRequest extends Schema.TaggedError<InvalidRequest>()("InvalidRequest", {
  ...context,
  detail: Schema.String,
  field: Schema.optional(Schema.String),
  reason: Schema.optional(InvalidRequestReason)
}) {
  override get message(): string {
    const where = this.field === undefined ? "" : ` (${this.field})`
    return `${this.provider}: invalid ${this.operation} request${where}: ${this.detail}`
  }
}

/** The recipient is not a WhatsApp user, or the chat/group does not exist. */
export class RecipientNotFound extends Schema.TaggedError<RecipientNotFound>()("RecipientNotFound", {
  ...context,
  detail: Schema.String
}) {
  override get message(): string {
    return `${this.provider}: ${this.operation}: recipient not found: ${this.detail}`
  }
}

/** The vendor asked us to slow down; retry after `retryAfterSeconds` when it said so. */
export class RateLimited extends Schema.TaggedError<RateLimited>()("RateLimited", {
  ...context,
  retryAfterSeconds: Schema.optional(Schema.Finite)
}) {
  override get message(): string {
    const after = this.retryAfterSeconds === undefined ? "" : `; retry after ${this.retryAfterSeconds}s`
    return `${this.provider}: ${this.operation} was rate limited${after}`
  }
}

/**
 * The vendor could not be reached or failed (network error, timeout, 5xx). `notSent` is true
 * only when the request provably never reached the vendor, so resending cannot duplicate it.
 */
export class ProviderUnavailable extends Schema.TaggedError<ProviderUnavailable>()("ProviderUnavailable", {
  ...context,
  detail: Schema.String,
  notSent: Schema.Boolean,
  retryAfterSeconds: Schema.optional(Schema.Finite)
}) {
  override get message(): string {
    return `${this.provider}: ${this.operation} failed: ${this.detail}`
  }
}

/** The vendor answered something its documentation does not describe. */
export class UnexpectedResponse extends Schema.TaggedError<UnexpectedResponse>()("UnexpectedResponse", {
  ...context,
  status: Schema.optional(Schema.Finite),
  detail: Schema.String
}) {
  override get message(): string {
    const status = this.status === undefined ? "" : ` (HTTP ${this.status})`
    return `${this.provider}: unexpected response to ${this.operation}${status}: ${this.detail}`
  }
}

/** The provider cannot do this operation at all; see its `capabilities`. */
export class Unsupported extends Schema.TaggedError<Unsupported>()("Unsupported", {
  ...context,
  detail: Schema.optional(Schema.String)
}) {
  override get message(): string {
    const detail = this.detail === undefined ? "" : `: ${this.detail}`
    return `${this.provider} does not support ${this.operation}${detail}`
  }
}

/** Any error a `WhatsApp` operation can fail with. */
export type WhatsAppError =
  | Unauthorized
  | NotConnected
  | InvalidRequest
  | RecipientNotFound
  | RateLimited
  | ProviderUnavailable
  | UnexpectedResponse
  | Unsupported

/** The schema of every `WhatsAppError`, for decoding errors that crossed a process boundary. */
export const WhatsAppError = Schema.Union([
  Unauthorized,
  NotConnected,
  InvalidRequest,
  RecipientNotFound,
  RateLimited,
  ProviderUnavailable,
  UnexpectedResponse,
  Unsupported
])
