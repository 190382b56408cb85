import { Hono } from "hono"
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

export const app = new Hono()
// The vendor posts to https://your.app/webhooks/<provider>/<POMBO_WEBHOOK_SECRET>.
app.post("/webhooks/*", (c) => webhooks.fetch(c.req.raw))
// Bun and Deno serve `app` as it is; on Node use `serve(app)` from @hono/node-server.
