import { expect, layer } from "@effect/vitest"
import { MockWhatsApp } from "@pombo/testing"
import { Effect } from "effect"
import { ChatId, WhatsApp } from "pombo"

for (const vendor of ["megaapi", "zapi"] as const) {
  layer(MockWhatsApp.layer(vendor))(`order notifications over ${vendor}`, (it) => {
    it.effect("sends the delivery notice", () =>
      Effect.gen(function* () {
        const whatsapp = yield* WhatsApp.WhatsApp
        const to = yield* ChatId.contact("(11) 98765-4321")
        const receipt = yield* whatsapp.sendText({ to, text: "Seu pedido saiu para entrega" })
        expect(receipt.provider).toBe(vendor)
      })
    )
  })
}
