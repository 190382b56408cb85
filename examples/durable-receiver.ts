import { Effect, Redacted } from "effect"
import { Inbox, InboxReceiver } from "pombo/inbox"
import * as MegaApi from "pombo/megaapi"
import * as ZApi from "pombo/zapi"

// Serve it like WebhookReceiver.layer: HttpRouter.serve(Webhooks) on a NodeHttpServer.
export const Webhooks = InboxReceiver.layer({
  decoders: [MegaApi.MegaApiWebhook.decoder, ZApi.ZApiWebhook.decoder],
  secret: Redacted.make(process.env.WEBHOOK_SECRET ?? ""),
  // Delivery is at least once: `id` is stable across redeliveries; key your side effects on it.
  onEvent: (event, id) => Effect.log(`handling ${id}`, event._tag)
  // store: "pombo-inbox.db" is the default (SQLite, one process);
  // store: PgClient.layer({ url }) from @effect/sql-pg shares one inbox between processes.
})

// Events that failed every attempt, wherever the layer provides `Inbox`:
export const replayDeadLetters = Effect.gen(function* () {
  const inbox = yield* Inbox.Inbox
  for (const letter of yield* inbox.deadLetters({ limit: 50 })) {
    yield* Effect.log(`dead: ${letter.key} after ${letter.attempts} attempts`, letter.lastError)
  }
  return yield* inbox.replayAll // or inbox.replay(key) for one
})
