/**
 * What a send answers: the vendor accepted the message — not that it was delivered. Delivery
 * and reading arrive later as `MessageStatus` events for the same message id.
 */
import { Clock, Effect, Schema } from "effect"
import type { ChatId } from "./ChatId.ts"
import { MessageRef } from "./MessageRef.ts"
import { makeTrusted } from "./WhatsAppEvent.ts"

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

/**
 * The receipt of a send the vendor just accepted, stamped with the current time: the message
 * `id` in `chat` (sent by this instance unless `fromMe` says otherwise).
 *
 * Built without the classes' schema pass (`makeTrusted`), which is most of a receipt's cost: every
 * field but `id` is typed by the compiler and `chat` is a validated `ChatId`. An empty `id` goes
 * through `new MessageRef`, which refuses it as it always did.
 */
export const accepted = (options: {
  readonly provider: string
  readonly chat: ChatId
  readonly id: string
  readonly fromMe?: boolean | undefined
  readonly providerId?: string | undefined
}): Effect.Effect<SendReceipt> =>
  Effect.map(Clock.currentTimeMillis, (now) => {
    const fields = { chat: options.chat, id: options.id, fromMe: options.fromMe ?? true }
    return makeTrusted(SendReceipt, {
      provider: options.provider,
      message: options.id === "" ? new MessageRef(fields) : makeTrusted(MessageRef, fields),
      providerId: options.providerId,
      acceptedAt: new Date(now)
    })
  })
