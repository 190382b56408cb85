/**
 * The outbox fed by the real inbox, as an application wires them: the inbox worker's handler is
 * `outbox.onEvent`, so the vendor's status webhooks (stored by `@pombo/inbox`) move a send to
 * delivered and read, matched by the provider's message id, and a connection event resumes a
 * number paused by `NotConnected`. One process on SQLite, the vendor in memory.
 */
import { describe, expect, it } from "@effect/vitest"
import { ChatId, InMemoryWhatsApp, WhatsAppEvent } from "@pombo/core"
import { Inbox, InboxWorker } from "@pombo/inbox"
import { Effect, Fiber, Layer, Schedule, Stream } from "effect"
import type { SqlClient } from "effect/sql"
import { stores } from "../../testing/test/stores.ts"
import { Dispatcher, Outbox, OutboxWorker, Pacing } from "../src/index.ts"

const sqlite = stores.find((store) => store.name === "SQLite")!
const number = "in-memory:i1"
const to = new ChatId.Contact({ phone: "5511999999999" })

/** Inbox, inbox worker, outbox, outbox worker and the in-memory vendor, over one database. */
const application = (database: Layer.Layer<SqlClient.SqlClient>) =>
  InboxWorker.layer({
    handler: (event) => Effect.flatMap(Outbox.Outbox, (outbox) => outbox.onEvent(event)),
    pollInterval: "50 millis",
    backoff: "20 millis"
  }).pipe(
    Layer.provideMerge(
      // A long probe: only the connection event may resume a paused number here.
      OutboxWorker.layer({ pacing: Pacing.off, pollInterval: "50 millis", probeInterval: "10 minutes" })
    ),
    Layer.provideMerge(Layer.mergeAll(Inbox.layer(), Outbox.layer())),
    Layer.provideMerge(Dispatcher.layer),
    Layer.provideMerge(InMemoryWhatsApp.layer({ connected: false })),
    Layer.provide(database),
    Layer.orDie
  )

const eventually = <A, E, R>(label: string, effect: Effect.Effect<A, E, R>, done: (a: A) => boolean) =>
  effect.pipe(
    Effect.filterOrFail(done, () => "not yet"),
    Effect.retry(Schedule.spaced("20 millis")),
    Effect.timeoutOrElse({ duration: "20 seconds", orElse: () => Effect.die(new Error(`timed out: ${label}`)) })
  )

const envelope = (id: string) => ({ id, provider: "in-memory", instance: "i1", timestamp: new Date(), raw: { id } })

describe("Outbox fed by the inbox on SQLite", () => {
  it.live("moves a send to delivered and read from the vendor's status events, and resumes on connection", () =>
    Effect.gen(function* () {
      const database = yield* sqlite.database
      yield* Effect.gen(function* () {
        const outbox = yield* Outbox.Outbox
        const inbox = yield* Inbox.Inbox
        const watched = yield* Effect.forkChild(Stream.runCollect(outbox.watch("welcome")), { startImmediately: true })
        yield* outbox.send({ key: "welcome", number, operation: "sendText", input: { to, text: "Bem-vindo!" } })
        // The instance is disconnected: the number pauses and the send waits in line.
        yield* eventually("paused", outbox.numberStatus(number), (s) => s?.state === "paused")
        yield* InMemoryWhatsApp.InMemoryControl.use((control) => control.setConnected(true))
        yield* inbox.put(new WhatsAppEvent.ConnectionUpdate({ ...envelope("c1"), state: "connected" }))
        const accepted = yield* eventually("accepted", outbox.status("welcome"), (s) => s?.state === "accepted")
        const messageId = accepted!.messageId!
        const sent = yield* InMemoryWhatsApp.sent
        expect(sent.map((s) => s.receipt.message.id)).toEqual([messageId])

        // Another message's status, and a "sent" status, change nothing.
        yield* inbox.put(new WhatsAppEvent.MessageStatus({ ...envelope("s0"), messageId: "3EB0OTHER", status: "read" }))
        yield* inbox.put(new WhatsAppEvent.MessageStatus({ ...envelope("s1"), messageId, status: "sent" }))
        yield* inbox.put(new WhatsAppEvent.MessageStatus({ ...envelope("s2"), messageId, status: "delivered" }))
        yield* eventually("delivered", outbox.status("welcome"), (s) => s?.state === "delivered")
        yield* inbox.put(new WhatsAppEvent.MessageStatus({ ...envelope("s3"), messageId, status: "read" }))
        const read = yield* eventually("read", outbox.status("welcome"), (s) => s?.state === "read")
        expect(read).toMatchObject({ messageId, attempts: 2 })
        expect((yield* Fiber.join(watched)).map((s) => s.state)).toEqual([
          "queued",
          "sending",
          "queued",
          "sending",
          "accepted",
          "delivered",
          "read"
        ])
        // The inbox handled every event; none is waiting or dead.
        yield* eventually("inbox drained", inbox.counts, (c) => c.pending === 0 && c.dead === 0)
      }).pipe(Effect.provide(application(database)))
    })
  )
})
