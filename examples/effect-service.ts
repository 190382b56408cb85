import { Context, Effect, Layer } from "effect"
import { ChatId, Pombo, type SendReceipt, WhatsApp, type WhatsAppError } from "pombo"

/** The application's own service, written against `WhatsApp` and never a vendor. */
export class Notifications extends Context.Service<
  Notifications,
  {
    readonly orderShipped: (
      phone: string,
      code: string
    ) => Effect.Effect<SendReceipt.SendReceipt, WhatsAppError.WhatsAppError | ChatId.InvalidChatId>
  }
>()("app/Notifications") {}

/** Built on whichever `WhatsApp` is provided: tests give it `MockWhatsApp.layer("zapi")`. */
export const NotificationsLive = Layer.effect(
  Notifications,
  Effect.gen(function* () {
    const whatsapp = yield* WhatsApp.WhatsApp
    return Notifications.of({
      orderShipped: (phone, code) =>
        Effect.gen(function* () {
          const to = yield* ChatId.contact(phone)
          return yield* whatsapp.sendText({ to, text: `Pedido ${code} saiu para entrega 🚚` })
        })
    })
  })
)

/** In production: the vendor named by WHATSAPP_PROVIDER, configured from its variables. */
export const App = NotificationsLive.pipe(Layer.provide(Pombo.layerConfig))
