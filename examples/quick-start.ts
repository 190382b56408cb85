import { Effect } from "effect"
import { ChatId, Pombo, WhatsApp } from "pombo"
import { NodeRuntime } from "pombo/node"

const program = Effect.gen(function* () {
  const whatsapp = yield* WhatsApp.WhatsApp
  const to = yield* ChatId.contact("(11) 98765-4321")
  const receipt = yield* whatsapp.sendText({ to, text: "Seu pedido saiu para entrega 🚚" })
  yield* Effect.log(`accepted as ${receipt.message.id}`)
})

// Reads WHATSAPP_PROVIDER and that vendor's variables; prints a missing one by name.
program.pipe(Effect.provide(Pombo.layerConfig), NodeRuntime.runMain)
