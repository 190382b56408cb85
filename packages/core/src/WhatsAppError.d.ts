/**
 * The closed set of errors a `WhatsApp` operation can fail with. Every error names the provider
 * and the operation; none carries a token, a header or a URL (Z-API puts its token in the URL
 * path), so rendering an error — `String(error)`, `JSON.stringify`, a log line — is always safe.
 */
import { Schema } from "effect"

declare const Unauthorized_base: Schema.Class<
  Unauthorized,
  Schema.TaggedStruct<
    "Unauthorized",
    {
      readonly provider: Schema.String
      readonly operation: Schema.String
      readonly detail: Schema.String
    }
  >,
  import("effect/Cause").YieldableError
>
/** The vendor refused the credentials (token, Client-Token). */
export declare class Unauthorized extends Unauthorized_base {
  get message(): string
}
declare const NotConnected_base: Schema.Class<
  NotConnected,
  Schema.TaggedStruct<
    "NotConnected",
    {
      readonly provider: Schema.String
      readonly operation: Schema.String
      readonly detail: Schema.String
    }
  >,
  import("effect/Cause").YieldableError
>
/** The instance is not connected to a WhatsApp account (scan the QR code or pair first). */
export declare class NotConnected extends NotConnected_base {
  get message(): string
}
declare const InvalidRequest_base: Schema.Class<
  InvalidRequest,
  Schema.TaggedStruct<
    "InvalidRequest",
    {
      readonly provider: Schema.String
      readonly operation: Schema.String
      readonly detail: Schema.String
      readonly field: Schema.optional<Schema.String>
    }
  >,
  import("effect/Cause").YieldableError
>
/**
 * The request is wrong: rejected by Pombo before anything was sent, or by the vendor (its detail
 * is kept). `field` names the offending input where it is known.
 */
export declare class InvalidRequest extends InvalidRequest_base {
  get message(): string
}
declare const RecipientNotFound_base: Schema.Class<
  RecipientNotFound,
  Schema.TaggedStruct<
    "RecipientNotFound",
    {
      readonly provider: Schema.String
      readonly operation: Schema.String
      readonly detail: Schema.String
    }
  >,
  import("effect/Cause").YieldableError
>
/** The recipient is not a WhatsApp user, or the chat/group does not exist. */
export declare class RecipientNotFound extends RecipientNotFound_base {
  get message(): string
}
declare const RateLimited_base: Schema.Class<
  RateLimited,
  Schema.TaggedStruct<
    "RateLimited",
    {
      readonly provider: Schema.String
      readonly operation: Schema.String
      readonly retryAfterSeconds: Schema.optional<Schema.Finite>
    }
  >,
  import("effect/Cause").YieldableError
>
/** The vendor asked us to slow down; retry after `retryAfterSeconds` when it said so. */
export declare class RateLimited extends RateLimited_base {
  get message(): string
}
declare const ProviderUnavailable_base: Schema.Class<
  ProviderUnavailable,
  Schema.TaggedStruct<
    "ProviderUnavailable",
    {
      readonly provider: Schema.String
      readonly operation: Schema.String
      readonly detail: Schema.String
      readonly notSent: Schema.Boolean
      readonly retryAfterSeconds: Schema.optional<Schema.Finite>
    }
  >,
  import("effect/Cause").YieldableError
>
/**
 * The vendor could not be reached or failed (network error, timeout, 5xx). `notSent` is true
 * only when the request provably never reached the vendor, so resending cannot duplicate it.
 */
export declare class ProviderUnavailable extends ProviderUnavailable_base {
  get message(): string
}
declare const UnexpectedResponse_base: Schema.Class<
  UnexpectedResponse,
  Schema.TaggedStruct<
    "UnexpectedResponse",
    {
      readonly provider: Schema.String
      readonly operation: Schema.String
      readonly status: Schema.optional<Schema.Finite>
      readonly detail: Schema.String
    }
  >,
  import("effect/Cause").YieldableError
>
/** The vendor answered something its documentation does not describe. */
export declare class UnexpectedResponse extends UnexpectedResponse_base {
  get message(): string
}
declare const Unsupported_base: Schema.Class<
  Unsupported,
  Schema.TaggedStruct<
    "Unsupported",
    {
      readonly provider: Schema.String
      readonly operation: Schema.String
      readonly detail: Schema.optional<Schema.String>
    }
  >,
  import("effect/Cause").YieldableError
>
/** The provider cannot do this operation at all; see its `capabilities`. */
export declare class Unsupported extends Unsupported_base {
  get message(): string
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
export declare const WhatsAppError: Schema.Union<
  readonly [
    typeof Unauthorized,
    typeof NotConnected,
    typeof InvalidRequest,
    typeof RecipientNotFound,
    typeof RateLimited,
    typeof ProviderUnavailable,
    typeof UnexpectedResponse,
    typeof Unsupported
  ]
>
