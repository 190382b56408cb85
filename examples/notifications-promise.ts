import { contact, createWhatsApp, WhatsAppError } from "pombo/promise"

const orders = [
  { phone: "(11) 98765-4321", code: "A-1001" },
  { phone: "(21) 99876-5432", code: "A-1002" }
]

// Reads WHATSAPP_PROVIDER and that vendor's variables; closed when the block ends.
await using whatsapp = await createWhatsApp()

for (const order of orders) {
  try {
    const receipt = await whatsapp.sendText({
      to: contact(order.phone),
      text: `Pedido ${order.code} saiu para entrega 🚚`
    })
    console.log(`${order.code}: accepted as ${receipt.message.id}`)
  } catch (error) {
    // The same typed errors as the Effect API: `_tag`, `provider`, `operation`.
    if (error instanceof WhatsAppError.RateLimited) console.log(`${order.code}: slow down, retry later`)
    else throw error
  }
}
