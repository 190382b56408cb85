/**
 * The seam between the outbox and a vendor: the outbox decides *when* a stored send leaves and
 * what became of it; a `Dispatcher` performs it. `layer` / `make` wire it to the `WhatsApp`
 * service: the stored operation name picks the call, the stored input is decoded with that
 * operation's schema, and the typing time becomes presence "composing" (where the provider has
 * `sendPresence`) or Z-API's own `delayTyping`. Its errors are core's `WhatsAppError`s, which
 * decide what the outbox does next: `RateLimited` waits, `NotConnected` pauses the number,
 * `Unauthorized` stops it, `ProviderUnavailable` with `notSent` is retried, anything else ends
 * the send.
 */
import { WhatsApp, WhatsAppError } from "@pombo/core"
import { Context, Duration, Effect, Layer } from "effect"
import * as SendOperation from "./SendOperation.ts"

/** One send, as the outbox hands it over. */
export interface DispatchRequest {
  /** The caller's idempotency key; pass it on where the vendor supports one. */
  readonly key: string
  /** The sending number, `provider:instance`. */
  readonly number: string
  /** The operation to call, e.g. `sendText`. */
  readonly operation: SendOperation.Name
  /** The operation's input as stored: its schema's JSON form (`SendOperation.decode` reads it back). */
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

/** Z-API's `delayTyping` accepts whole seconds from 1 to 15. */
const zapiTypingSeconds = (typing: Duration.Duration) =>
  Math.min(15, Math.max(1, Math.round(Duration.toSeconds(typing))))

/** Where the message goes, for the "composing" presence: the input's `to`, or the chat it answers. */
const chatOf = (input: unknown) => {
  const { to, message } = input as SendOperation.Input<"sendText"> & Partial<SendOperation.Input<"reply">>
  return to ?? message?.chat
}

/**
 * A dispatcher over `WhatsApp` services: `whatsappOf` gives the service sending for a number
 * (`undefined` for a number it does not know, which fails that send). Before the send, the typing
 * time is shown as presence "composing" when the provider can (`sendPresence`; a failure to show
 * it does not stop the send), or passed as Z-API's `providerOptions.zapi.delayTyping` unless the
 * caller set one. `connected` asks `getStatus`.
 */
export const make = (whatsappOf: (number: string) => WhatsApp.Shape | undefined): Dispatcher => {
  const lookup = (number: string, operation: string) => {
    const whatsapp = whatsappOf(number)
    return whatsapp === undefined
      ? Effect.fail(
          new WhatsAppError.InvalidRequest({
            provider: number.slice(0, number.indexOf(":")),
            operation,
            field: "number",
            detail: `no WhatsApp service sends for ${number}`
          })
        )
      : Effect.succeed(whatsapp)
  }
  return Dispatcher.of({
    dispatch: (request) =>
      Effect.gen(function* () {
        const whatsapp = yield* lookup(request.number, request.operation)
        const decoded = yield* SendOperation.decode(whatsapp.provider, request.operation, request.input)
        let input: SendOperation.Input<SendOperation.Name> = decoded
        if (Duration.isGreaterThan(request.typing, Duration.zero)) {
          const chat = chatOf(decoded)
          if (whatsapp.capabilities.has("sendPresence") && chat !== undefined) {
            yield* whatsapp.sendPresence({ chat, presence: "composing" }).pipe(
              Effect.andThen(Effect.sleep(request.typing)),
              Effect.catch((error) => Effect.logWarning(`outbox: could not show typing for ${request.key}`, error))
            )
          } else if (whatsapp.provider === "zapi") {
            // Typed by @pombo/zapi's augmentation, which this package does not depend on.
            const own = decoded.providerOptions?.zapi as { readonly delayTyping?: number } | undefined
            const zapi = { delayTyping: zapiTypingSeconds(request.typing), ...own }
            input = { ...decoded, providerOptions: { ...decoded.providerOptions, zapi } }
          }
        }
        const send = whatsapp[request.operation] as WhatsApp.Call<SendOperation.Name>
        const receipt = yield* send(input)
        return { messageId: receipt.message.id, at: receipt.acceptedAt }
      }),
    connected: (number) =>
      Effect.flatMap(lookup(number, "getStatus"), (whatsapp) =>
        Effect.map(whatsapp.getStatus(), (status) => status.connected)
      )
  })
}

/** The dispatcher over the one `WhatsApp` service in context, sending for every number. */
export const layer: Layer.Layer<Dispatcher, never, WhatsApp.WhatsApp> = Layer.effect(
  Dispatcher,
  Effect.gen(function* () {
    const whatsapp = yield* WhatsApp.WhatsApp
    return make(() => whatsapp)
  })
)
