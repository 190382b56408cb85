/**
 * What a send answers: the vendor accepted the message — not that it was delivered. Delivery
 * and reading arrive later as `MessageStatus` events for the same message id.
 */
import { Schema } from "effect"
import { MessageRef } from "./MessageRef.ts"

/** The vendor accepted a message for sending. */
export class SendReceipt extends Schema.Class<SendReceipt>("pombo/SendReceipt")({
  /** The provider that accepted it. */
  provider: Schema.String,
  /** The sent message, ready to reply to, forward, react to or delete. */
  message: MessageRef,
  /** The vendor's own queue id when it has one (Z-API's `zaapId`). */
  providerId: Schema.optional(Schema.String),
  /** When the vendor accepted it. */
  acceptedAt: Schema.Date
}) {}
