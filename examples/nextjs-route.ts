// app/webhooks/[...path]/route.ts in a Next.js app (App Router).
import { createWebhookHandler, createWhatsApp } from "pombo/promise"

// WHATSAPP_PROVIDER, that vendor's variables and POMBO_WEBHOOK_SECRET come from the environment.
const whatsapp = createWhatsApp()

const webhooks = createWebhookHandler({
  // The vendor gets 200 once this resolved; a rejection makes it redeliver (key work on event.id).
  onEvent: async (event) => {
    if (event._tag === "MessageReceived" && !event.fromMe && event.content._tag === "Text") {
      await (await whatsapp).reply({ message: event.message, text: `Recebemos: ${event.content.text}` })
    }
  }
})

// The vendor posts to https://your.app/webhooks/<provider>/<POMBO_WEBHOOK_SECRET>.
export const POST = (request: Request): Promise<Response> => webhooks.fetch(request)
// The receiver needs Node's crypto and zlib: keep the default Node.js runtime, not "edge".
export const runtime = "nodejs"
