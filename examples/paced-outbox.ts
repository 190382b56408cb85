import { Effect, Layer } from "effect"
import { ChatId, Pombo } from "pombo"
import { Inbox, InboxWorker, SqliteClient } from "pombo/inbox"
import { Dispatcher, Outbox, OutboxWorker } from "pombo/outbox"

const Store = SqliteClient.layer({ filename: "./pombo.db" })

// Sends leave through the WhatsApp service (WHATSAPP_PROVIDER picks the vendor), paced per number.
const Sending = OutboxWorker.layer({ pacing: (number) => (number.startsWith("zapi:") ? {} : { perDay: 200 }) }).pipe(
  Layer.provideMerge(Outbox.layer()),
  Layer.provide(Dispatcher.layer),
  Layer.provide(Pombo.layerConfig)
)

// The vendor's status webhooks, stored by the inbox, move each send to delivered and read.
const Statuses = InboxWorker.layer({
  handler: (event) => Effect.flatMap(Outbox.Outbox, (outbox) => outbox.onEvent(event))
}).pipe(Layer.provideMerge(Inbox.layer()))

export const App = Statuses.pipe(Layer.provideMerge(Sending), Layer.provide(Store))

export const confirmOrder = (order: { readonly id: string; readonly phone: string }) =>
  Effect.gen(function* () {
    const outbox = yield* Outbox.Outbox
    return yield* outbox.send({
      key: `order-${order.id}-confirmation`, // yours: the same key never sends twice
      number: "zapi:3C01A7", // provider:instance — the unit of pacing
      operation: "sendText", // any sending operation of WhatsApp, with its own typed input
      input: { to: yield* ChatId.contact(order.phone), text: "Seu pedido foi confirmado" }
    })
  })
