import * as WebhookDecoder from "../WebhookDecoder.ts"
import type { WhatsAppEvent } from "../WhatsAppEvent.ts"
import { hashProbe } from "./hashProbe.ts"

const recognises = (events: ReadonlyArray<WhatsAppEvent>) => events.some((event) => event._tag !== "Unknown")

/**
 * Runs the decoders over one payload the way the receiver does: the first decoder whose result
 * holds an event other than `Unknown` wins; otherwise the first decoder's result (its
 * `Unknown`s), so nothing is silently dropped. With several decoders, each is first only asked
 * whether it recognises the payload — its `Unknown`s are not hashed — and a result is decoded
 * for real only when one is kept, so a payload of the second vendor does not pay for the first
 * vendor's `Unknown`.
 */
export const decodeWith = (
  decoders: ReadonlyArray<WebhookDecoder.WebhookDecoder>,
  payload: unknown,
  context: WebhookDecoder.Context
): ReadonlyArray<WhatsAppEvent> => {
  const [first] = decoders
  if (first === undefined) return []
  if (decoders.length === 1) return WebhookDecoder.make(first).decode(payload, context)
  for (const decoder of decoders) {
    const safe = WebhookDecoder.make(decoder)
    hashProbe.active = true
    hashProbe.skipped = false
    let events: ReadonlyArray<WhatsAppEvent>
    try {
      events = safe.decode(payload, context)
    } finally {
      hashProbe.active = false
    }
    // A kept result must hold real ids: decoded again if a hash was skipped while probing.
    if (recognises(events)) return hashProbe.skipped ? safe.decode(payload, context) : events
  }
  return WebhookDecoder.make(first).decode(payload, context)
}
