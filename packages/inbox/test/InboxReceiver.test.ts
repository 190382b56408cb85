import { createServer } from "node:http"
import { NodeHttpServer } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { type WebhookDecoder, WhatsAppEvent } from "@pombo/core"
import { Effect, Layer, Metric, Queue, Redacted, Schedule } from "effect"
import { HttpRouter, HttpServer } from "effect/http"
import { SqlClient } from "effect/sql"
import { stores } from "../../testing/test/stores.ts"
import { Inbox, InboxMetrics, InboxReceiver } from "../src/index.ts"

const secret = "inbox-receiver-secret"

// `{ connection: id, instance }` → one ConnectionUpdate; anything else → Unknown.
const decoder: WebhookDecoder.WebhookDecoder = {
  provider: "fake",
  decode: (payload, { receivedAt }) => {
    const body = payload as { connection?: string; instance?: string }
    return typeof body.connection === "string"
      ? [
          new WhatsAppEvent.ConnectionUpdate({
            id: body.connection,
            provider: "fake",
            instance: body.instance,
            timestamp: receivedAt,
            raw: payload,
            state: "connected"
          })
        ]
      : [
          new WhatsAppEvent.Unknown({
            id: "unknown",
            provider: "fake",
            timestamp: receivedAt,
            raw: payload,
            reason: "?"
          })
        ]
  }
}

const post = (base: string, body: unknown) =>
  Effect.promise(async () => {
    const response = await fetch(`${base}/webhooks/fake/${secret}`, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json" }
    })
    await response.text()
    return response.status
  })

const metric = (m: Metric.Metric<number, { readonly count: number }>) => Effect.map(Metric.value(m), (s) => s.count)

for (const store of stores) {
  const title = store.unavailable
    ? `InboxReceiver on ${store.name} — skipped: ${store.unavailable}`
    : `InboxReceiver on ${store.name}`
  describe.skipIf(store.unavailable !== undefined)(title, () => {
    it.live(
      "stores each event before the 200, hands it to onEvent with its id once, and answers 500 while the store fails",
      () =>
        Effect.gen(function* () {
          const database = yield* store.database
          const handled = yield* Queue.unbounded<{ readonly id: string; readonly event: string }>()
          const app = InboxReceiver.layer({
            decoders: [decoder],
            secret: Redacted.make(secret),
            accessLog: false,
            store: database,
            worker: { pollInterval: "50 millis", backoff: "20 millis" },
            onEvent: (event, id) => Queue.offer(handled, { id, event: event.id })
          })
          const context = yield* Layer.build(
            HttpRouter.serve(app, { disableListenLog: true }).pipe(
              Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" }))
            )
          )
          const base = yield* HttpServer.addressFormattedWith(Effect.succeed).pipe(Effect.provideContext(context))

          expect(yield* post(base, { connection: "c1", instance: "i1" })).toBe(200)
          expect(yield* Queue.take(handled)).toEqual({ id: "fake:i1:c1", event: "c1" })
          // A redelivery is acknowledged and not handled again.
          expect(yield* post(base, { connection: "c1", instance: "i1" })).toBe(200)

          // The store fails: the vendor gets 500 and redelivers; once it is back, the event is handled.
          const onDatabase = <A, E>(f: (sql: SqlClient.SqlClient) => Effect.Effect<A, E>) =>
            Effect.flatMap(SqlClient.SqlClient, f).pipe(Effect.provide(database), Effect.orDie)
          yield* onDatabase((sql) => sql`ALTER TABLE pombo_inbox RENAME TO pombo_inbox_away`)
          expect(yield* post(base, { connection: "c2", instance: "i1" })).toBe(500)
          yield* onDatabase((sql) => sql`ALTER TABLE pombo_inbox_away RENAME TO pombo_inbox`)
          const again = yield* post(base, { connection: "c2", instance: "i1" }).pipe(
            Effect.repeat({ schedule: Schedule.spaced("50 millis"), until: (status) => status === 200, times: 100 })
          )
          expect(again).toBe(200)
          expect(yield* Queue.take(handled)).toEqual({ id: "fake:i1:c2", event: "c2" })

          // Handled is recorded just after the handler returns.
          const counts = yield* Effect.flatMap(Inbox.Inbox, (i) => i.counts).pipe(
            Effect.provideContext(context),
            Effect.repeat({ schedule: Schedule.spaced("20 millis"), until: (c) => c.handled === 2, times: 250 })
          )
          expect(counts).toEqual({ pending: 0, handled: 2, dead: 0 })
          expect(yield* Queue.size(handled)).toBe(0)
          expect({
            received: yield* metric(InboxMetrics.received),
            duplicates: yield* metric(InboxMetrics.duplicates),
            handled: yield* metric(InboxMetrics.handled)
          }).toEqual({ received: 2, duplicates: 1, handled: 2 })
        }).pipe(Effect.scoped, Effect.provideService(Metric.MetricRegistry, new Map()))
    )
  })
}
