/**
 * What a send answers: the vendor accepted the message — not that it was delivered. Delivery
 * and reading arrive later as `MessageStatus` events for the same message id.
 */
import { Clock, Effect, Schema } from "effect"
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

/** The receipt of a send the vendor just accepted, stamped with the current time. */
export const accepted = (options: {
  readonly provider: string
  readonly message: MessageRef
  readonly providerId?: string | undefined
}): Effect.Effect<SendReceipt> =>
  Effect.map(
    Clock.currentTimeMillis,
    (now) =>
      new SendReceipt({
        provider: options.provider,
        message: options.message,
        ...(options.providerId === undefined ? {} : { providerId: options.providerId }),
        acceptedAt: new Date(now)
      })
  )
