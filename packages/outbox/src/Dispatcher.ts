/**
 * The seam between the outbox and a vendor: the outbox decides *when* a stored send leaves and
 * what became of it; a `Dispatcher` performs it. Wire it to the `WhatsApp` service (one
 * operation name → one call) or to anything else that sends and answers with the vendor's
 * message id. Its errors are core's `WhatsAppError`s, which decide what the outbox does next:
 * `RateLimited` waits, `NotConnected` pauses the number, `Unauthorized` stops it,
 * `ProviderUnavailable` with `notSent` is retried, anything else ends the send.
 */
import type { WhatsAppError } from "@pombo/core"
import { Context, type Duration, type Effect } from "effect"

/** One send, as the outbox hands it over. */
export interface DispatchRequest {
  /** The caller's idempotency key; pass it on where the vendor supports one. */
  readonly key: string
  /** The sending number, `provider:instance`. */
  readonly number: string
  /** The operation to call, e.g. `sendText`. */
  readonly operation: string
  /** The operation's input, as given to `Outbox.send` (parsed back from JSON). */
  readonly input: unknown
  readonly recipient: string
  /**
   * How long to show "typing…" first (`Pacing.typingDuration`): send presence "composing" for
   * it where the provider can, or pass it as the vendor's own typing delay (Z-API `delayTyping`).
   */
  readonly typing: Duration.Duration
}

/** The vendor took the message. */
export interface Receipt {
  /** The vendor's message id: delivery and read statuses are matched by it. */
  readonly messageId: string
  readonly at: Date
}

/** The `Dispatcher` service. */
export interface Dispatcher {
  readonly dispatch: (request: DispatchRequest) => Effect.Effect<Receipt, WhatsAppError.WhatsAppError>
  /**
   * Whether the number's instance is connected. When given, a number paused by `NotConnected`
   * is probed with it every `probeInterval` and resumes by itself once connected.
   */
  readonly connected?: ((number: string) => Effect.Effect<boolean, WhatsAppError.WhatsAppError>) | undefined
}

/** The `Dispatcher` service tag. */
export const Dispatcher = Context.Service<Dispatcher>("@pombo/outbox/Dispatcher")
