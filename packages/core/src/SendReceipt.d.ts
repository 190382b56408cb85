/**
 * What a send answers: the vendor accepted the message — not that it was delivered. Delivery
 * and reading arrive later as `MessageStatus` events for the same message id.
 */
import { Schema } from "effect"
import { MessageRef } from "./MessageRef.ts"

declare const SendReceipt_base: Schema.Class<
  SendReceipt,
  Schema.Struct<{
    /** The provider that accepted it. */
    readonly provider: Schema.String
    /** The sent message, ready to reply to, forward, react to or delete. */
    readonly message: typeof MessageRef
    /** The vendor's own queue id when it has one (Z-API's `zaapId`). */
    readonly providerId: Schema.optional<Schema.String>
    /** When the vendor accepted it. */
    readonly acceptedAt: Schema.Date
  }>,
  {}
>
/** The vendor accepted a message for sending. */
export declare class SendReceipt extends SendReceipt_base {}
