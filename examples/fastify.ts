import Fastify from "fastify"
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

export const app = Fastify()
app.register(async (scope) => {
  // Leave the body unread in this scope: the handler reads and bounds it itself.
  scope.removeAllContentTypeParsers()
  scope.addContentTypeParser("*", (_request, _payload, done) => done(null))
  scope.post("/webhooks/*", async (request, reply) => {
    reply.hijack()
    await webhooks.node(request.raw, reply.raw)
  })
})
// await app.listen({ port: 3000 })
