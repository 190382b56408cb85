import express from "express"
import { createWebhookHandler, createWhatsApp } from "pombo/promise"

// WHATSAPP_PROVIDER, that vendor's variables and POMBO_WEBHOOK_SECRET come from the environment.
const whatsapp = await createWhatsApp()

const webhooks = createWebhookHandler({
  // The vendor gets 200 once this resolved; a rejection makes it redeliver (key work on event.id).
  onEvent: async (event) => {
    if (event._tag === "MessageReceived" && !event.fromMe && event.content._tag === "Text") {
      await whatsapp.reply({ message: event.message, text: `Recebemos: ${event.content.text}` })
    }
  }
})

export const app = express()
// Before any body parser (`express.json()`): the handler reads and bounds the body itself.
app.post("/webhooks/*path", (req, res) => void webhooks.node(req, res))
// app.listen(3000)
