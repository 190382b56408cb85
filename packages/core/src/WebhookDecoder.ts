/**
 * Turning one vendor payload into events, written once per vendor (in its provider package) so
 * the `WebhookReceiver` stays vendor-neutral. `make` is the one place where "decoding never
 * throws" is enforced: whatever the vendor's mapping throws becomes one `Unknown` event that keeps
 * the payload as `raw`. One payload may carry several events (a Z-API status callback lists
 * several message ids).
 */
import * as PayloadHash from "./PayloadHash.ts"
import { Unknown, type WhatsAppEvent } from "./WhatsAppEvent.ts"

/** What the receiver knows about the call besides the payload. */
export interface Context {
  /** When the call arrived: the timestamp of events whose payload has none. */
  readonly receivedAt: Date
  /**
   * The vendor instance the call is for, when the receiver knows it (the route's `instance`
   * option). Decoders use it when the payload does not name its instance.
   */
  readonly instance?: string | undefined
}

/** A vendor's decoder: never throws, answers `Unknown` (with `raw`) for what it does not recognise. */
export interface WebhookDecoder {
  readonly provider: string
  readonly decode: (payload: unknown, context: Context) => ReadonlyArray<WhatsAppEvent>
}

const safe = Symbol.for("@pombo/core/WebhookDecoder/safe")

const describe = (cause: unknown): string => {
  try {
    const text = (cause instanceof Error ? cause.message : String(cause)).replace(/\s+/g, " ").trim()
    return text.length > 300 ? `${text.slice(0, 300)}…` : text
  } catch {
    return "unprintable"
  }
}

/**
 * The `Unknown` event of a payload `provider` could not read, with an id stable per payload and
 * instance (`<provider>:<instance or ->:unknown:<hash>`, the shape of every event id).
 */
export const unknown = (provider: string, payload: unknown, context: Context, reason: string): Unknown =>
  new Unknown({
    id: `${provider}:${context.instance ?? "-"}:unknown:${PayloadHash.of(payload)}`,
    provider,
    ...(context.instance === undefined ? {} : { instance: context.instance }),
    timestamp: context.receivedAt,
    raw: payload,
    reason
  })

const validDate = (date: unknown): Date | undefined =>
  date instanceof Date && !Number.isNaN(date.getTime()) ? date : undefined

/**
 * A decoder that never throws, from a vendor mapping that may: a throw becomes one `Unknown`
 * naming the mapping as the culprit, and an empty answer one `Unknown` too (nothing is dropped).
 * Wrapping a decoder made here again returns it unchanged.
 */
export const make = (decoder: WebhookDecoder): WebhookDecoder => {
  if ((decoder as { readonly [safe]?: true })[safe] === true) return decoder
  const { provider } = decoder
  const decode = (payload: unknown, context?: Partial<Context>): ReadonlyArray<WhatsAppEvent> => {
    const instance = typeof context?.instance === "string" && context.instance !== "" ? context.instance : undefined
    const checked: Context = { receivedAt: validDate(context?.receivedAt) ?? new Date(), instance }
    try {
      const events = decoder.decode(payload, checked)
      return events.length > 0 ? events : [unknown(provider, payload, checked, "the payload carries no event")]
    } catch (cause) {
      return [
        unknown(provider, payload, checked, `the ${provider} decoder failed (a bug in Pombo): ${describe(cause)}`)
      ]
    }
  }
  return Object.assign({ provider, decode }, { [safe]: true as const })
}
