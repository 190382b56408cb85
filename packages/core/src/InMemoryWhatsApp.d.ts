/**
 * A complete `WhatsApp` provider that lives in memory, for your unit tests: it records every
 * message sent, answers with realistic receipts, keeps chats, contacts, groups and profile as
 * state that the operations change, and lets a test push inbound events. Give it a subset of
 * capabilities to test how your code copes with a vendor that lacks some.
 *
 * ```ts
 * const test = Effect.gen(function* () {
 *   const whatsapp = yield* WhatsApp
 *   yield* whatsapp.sendText({ to, text: "Olá" })
 *   const sent = yield* InMemoryWhatsApp.sent
 * }).pipe(Effect.provide(InMemoryWhatsApp.layer()))
 * ```
 */
import { Context, Effect, Layer, Stream } from "effect"
import * as Capability from "./Capability.ts"
import { SendReceipt } from "./SendReceipt.ts"
import * as WhatsApp from "./WhatsApp.ts"
import type { WhatsAppEvent } from "./WhatsAppEvent.ts"
/** The provider name the in-memory provider reports. */
export declare const provider = "in-memory"
/** One operation that sent something: which, with what input, and the receipt it answered. */
export interface SentMessage {
  readonly operation: Capability.Capability
  readonly input: unknown
  readonly receipt: SendReceipt
}
/** Options for the in-memory provider. */
export interface Options {
  /** Only these operations are supported; the rest fail with `Unsupported`. Default: all. */
  readonly capabilities?: Iterable<Capability.Capability>
  /** Whether the instance starts connected. Default true. */
  readonly connected?: boolean
  /** The instance's own number. Default `5511900000000`. */
  readonly phone?: string
  /** Numbers `isOnWhatsApp` says exist. Default: every number. */
  readonly onWhatsApp?: (phone: string) => boolean
}
/** The knobs a test turns: what was sent, inbound events, connection. */
export interface Control {
  /** Everything sent so far, oldest first. */
  readonly sent: Effect.Effect<ReadonlyArray<SentMessage>>
  /** Deliver an inbound event to `events` subscribers. */
  readonly push: (event: WhatsAppEvent) => Effect.Effect<void>
  /** Inbound events pushed after subscribing. */
  readonly events: Stream.Stream<WhatsAppEvent>
  /** Connect or disconnect the instance; while disconnected, operations fail with `NotConnected`. */
  readonly setConnected: (connected: boolean) => Effect.Effect<void>
}
declare const InMemoryControl_base: Context.ServiceClass<InMemoryControl, "pombo/InMemoryControl", Control>
/** The in-memory provider's control service. */
export declare class InMemoryControl extends InMemoryControl_base {}
/** Builds the in-memory `WhatsApp` service and its control. */
export declare const make: (options?: Options | undefined) => Effect.Effect<
  {
    whatsapp: WhatsApp.Shape
    control: Control
  },
  never,
  never
>
/** A layer with the in-memory `WhatsApp` service and its `InMemoryControl`. */
export declare const layer: (options?: Options) => Layer.Layer<WhatsApp.WhatsApp | InMemoryControl>
/** Everything the in-memory provider sent so far. */
export declare const sent: Effect.Effect<ReadonlyArray<SentMessage>, never, InMemoryControl>
/** Pushes an inbound event to the in-memory provider's `events`. */
export declare const push: (event: WhatsAppEvent) => Effect.Effect<void, never, InMemoryControl>
