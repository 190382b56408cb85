import { describe, expect, it } from "@effect/vitest"
import { ChatId, MessageRef, WhatsAppEvent } from "@pombo/core"
import { Clock, Effect, Layer, Metric, Schedule, type Scope } from "effect"
import type { SqlClient } from "effect/sql"
import { stores } from "../../testing/test/stores.ts"
import { Inbox, InboxMetrics, InboxWorker } from "../src/index.ts"
import { internalsOf } from "../src/internal/registry.ts"

const message = (id: string, chat: string) =>
  new WhatsAppEvent.MessageReceived({
    id,
    provider: "test",
    instance: "i1",
    timestamp: new Date(1_764_000_000_000),
    raw: { id, chat },
    message: new MessageRef.MessageRef({ chat: new ChatId.Contact({ phone: chat }), id, fromMe: false }),
    chat: new ChatId.Contact({ phone: chat }),
    sender: new WhatsAppEvent.Sender({ phone: new ChatId.Contact({ phone: chat }) }),
    fromMe: false,
    content: new WhatsAppEvent.TextContent({ text: `text of ${id}` })
  })

/** Fast timings so retries and leases play out within a test. */
const fast = { backoff: "20 millis", maxBackoff: "200 millis", pollInterval: "50 millis", lease: "2 seconds" } as const

/** One "process": an inbox (and the body's workers) over `database`, all stopped when it ends. */
const inProcess = <A, E, R>(database: Layer.Layer<SqlClient.SqlClient>, body: Effect.Effect<A, E, R>) =>
  body.pipe(Effect.scoped, Effect.provide(Inbox.layer().pipe(Layer.provide(database))))

const eventually = <A, E, R>(label: string, effect: Effect.Effect<A, E, R>, done: (a: A) => boolean) =>
  effect.pipe(
    Effect.filterOrFail(done, () => "not yet"),
    Effect.retry(Schedule.spaced("20 millis")),
    Effect.timeoutOrElse({
      duration: "20 seconds",
      orElse: () => Effect.die(new Error(`timed out waiting until ${label}`))
    })
  )

const counts = Effect.flatMap(Inbox.Inbox, (inbox) => inbox.counts)
const put = (event: WhatsAppEvent.WhatsAppEvent) => Effect.flatMap(Inbox.Inbox, (inbox) => inbox.put(event))
const withMetrics = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.provideService(effect, Metric.MetricRegistry, new Map())
const metric = (m: Metric.Metric<number, { readonly count: number }>) => Effect.map(Metric.value(m), (s) => s.count)

/** Records what a handler saw, in the order it finished handling it. */
const recorder = () => {
  const handled: Array<{ readonly key: string; readonly id: string; readonly chat: string }> = []
  const record = (event: WhatsAppEvent.WhatsAppEvent, key: string) =>
    Effect.sync(() => {
      if (event._tag !== "MessageReceived" || event.chat._tag !== "Contact") throw new Error("unexpected event")
      handled.push({ key, id: event.id, chat: event.chat.phone })
    })
  const ofChat = (chat: string) => handled.filter((h) => h.chat === chat).map((h) => h.id)
  return { handled, record, ofChat }
}

describe("InboxWorker.backoffDelay", () => {
  it("doubles per attempt up to the cap and keeps a random half as jitter", () => {
    expect([1, 2, 3, 4].map((attempt) => InboxWorker.backoffDelay(attempt, 1000, 5000, 0))).toEqual([
      500, 1000, 2000, 2500
    ])
    expect([1, 2, 3, 4].map((attempt) => InboxWorker.backoffDelay(attempt, 1000, 5000, 0.999))).toEqual([
      999.5, 1999, 3998, 4997.5
    ])
  })
})

for (const store of stores) {
  const title = store.unavailable ? `Inbox on ${store.name} — skipped: ${store.unavailable}` : `Inbox on ${store.name}`
  describe.skipIf(store.unavailable !== undefined)(title, () => {
    it.live("stores an event once; a redelivery is reported as a duplicate and counted", () =>
      Effect.gen(function* () {
        const database = yield* store.database
        const event = message("m1", "5511900000001")
        const result = yield* inProcess(
          database,
          Effect.all({
            first: put(event),
            again: put(event),
            counts,
            received: metric(InboxMetrics.received),
            duplicates: metric(InboxMetrics.duplicates)
          })
        ).pipe(withMetrics)
        expect(result).toEqual({
          first: { key: "test:i1:m1", duplicate: false },
          again: { key: "test:i1:m1", duplicate: true },
          counts: { pending: 1, handled: 0, dead: 0 },
          received: 1,
          duplicates: 1
        })
        // The key survives a restart: the dedupe is the store's, not the process's memory.
        expect(yield* inProcess(database, put(event))).toEqual({ key: "test:i1:m1", duplicate: true })
      })
    )

    it.live("answers puts arriving together one by one; an event put twice at once is new only once", () =>
      Effect.gen(function* () {
        const database = yield* store.database
        const events = Array.from({ length: 40 }, (_, i) => message(`p${i % 20}`, `55119000000${i % 4}`))
        const results = yield* inProcess(
          database,
          Effect.forEach(events, put, { concurrency: "unbounded" }).pipe(
            Effect.flatMap((results) => Effect.map(counts, (c) => ({ results, c })))
          )
        )
        const fresh = results.results.filter((r) => !r.duplicate).map((r) => r.key)
        expect(fresh.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `test:i1:p${i}`).sort())
        expect(results.results.map((r) => r.key)).toEqual(events.map((e) => `test:i1:${e.id}`))
        expect(results.c).toEqual({ pending: 20, handled: 0, dead: 0 })
      })
    )

    it.live("delivers every event with its key, one at a time per chat in arrival order, chats in parallel", () =>
      Effect.gen(function* () {
        const database = yield* store.database
        const { handled, record, ofChat } = recorder()
        const chats = ["5511900000001", "5511900000002", "5511900000003"]
        const ids = (chat: string) => Array.from({ length: 8 }, (_, i) => `${chat}-${i}`)
        const active = new Map<string, number>()
        let overlapInChat = false
        let running = 0
        let mostAtOnce = 0
        const handler = (event: WhatsAppEvent.WhatsAppEvent, key: string) => {
          const chat = event._tag === "MessageReceived" && event.chat._tag === "Contact" ? event.chat.phone : "?"
          return Effect.gen(function* () {
            const inChat = (active.get(chat) ?? 0) + 1
            active.set(chat, inChat)
            overlapInChat ||= inChat > 1
            mostAtOnce = Math.max(mostAtOnce, ++running)
            yield* Effect.sleep(`${5 + Math.floor(Math.random() * 10)} millis`)
            yield* record(event, key)
            active.set(chat, (active.get(chat) ?? 1) - 1)
            running--
          })
        }
        yield* inProcess(
          database,
          Effect.gen(function* () {
            for (let i = 0; i < 8; i++) for (const chat of chats) yield* put(message(ids(chat)[i]!, chat))
            yield* InboxWorker.run({ handler, concurrency: 8, ...fast })
            yield* eventually("all are handled", counts, (c) => c.handled === 24)
          })
        )
        for (const chat of chats) expect(ofChat(chat)).toEqual(ids(chat))
        expect(handled.map((h) => h.key)).toContain("test:i1:5511900000002-3")
        expect(new Set(handled.map((h) => h.key)).size).toBe(24)
        expect(overlapInChat).toBe(false)
        expect(mostAtOnce).toBeGreaterThan(1)
      })
    )

    it.live("retries a failing event with growing delays while its chat's later events wait", () =>
      Effect.gen(function* () {
        const database = yield* store.database
        const { record, handled } = recorder()
        const attemptsAt: Array<number> = []
        const handler = (event: WhatsAppEvent.WhatsAppEvent, key: string) =>
          Effect.gen(function* () {
            if (event.id === "a1") {
              attemptsAt.push(yield* Clock.currentTimeMillis)
              if (attemptsAt.length < 3) return yield* Effect.fail(`a1 fails on attempt ${attemptsAt.length}`)
            }
            yield* record(event, key)
          })
        const result = yield* inProcess(
          database,
          Effect.gen(function* () {
            yield* InboxWorker.run({ handler, ...fast })
            yield* put(message("a1", "5511900000001"))
            yield* put(message("a2", "5511900000001"))
            yield* put(message("b1", "5511900000002"))
            yield* eventually("all are handled", counts, (c) => c.handled === 3)
            return {
              retried: yield* metric(InboxMetrics.retried),
              handled: yield* metric(InboxMetrics.handled),
              timed: (yield* Metric.value(InboxMetrics.handlerDuration)).count
            }
          })
        ).pipe(withMetrics)
        expect(handled.map((h) => h.id)).toEqual(["b1", "a1", "a2"])
        expect(attemptsAt).toHaveLength(3)
        // Equal jitter over 20 ms doubling: at least 10 ms, then at least 20 ms.
        expect(attemptsAt[1]! - attemptsAt[0]!).toBeGreaterThanOrEqual(10)
        expect(attemptsAt[2]! - attemptsAt[1]!).toBeGreaterThanOrEqual(20)
        // Every attempt is timed: three of a1, one each of a2 and b1.
        expect(result).toEqual({ retried: 2, handled: 3, timed: 5 })
      })
    )

    it.live("dead-letters an event after maxAttempts, lets its chat move on, lists it and replays it", () =>
      Effect.gen(function* () {
        const database = yield* store.database
        const { record, ofChat } = recorder()
        let broken = true
        const handler = (event: WhatsAppEvent.WhatsAppEvent, key: string) =>
          broken && event.id.startsWith("x") ? Effect.fail(`cannot handle ${event.id}`) : record(event, key)
        const result = yield* inProcess(
          database,
          Effect.gen(function* () {
            const inbox = yield* Inbox.Inbox
            yield* InboxWorker.run({ handler, maxAttempts: 3, ...fast })
            yield* put(message("x1", "5511900000001"))
            yield* put(message("after-x1", "5511900000001"))
            yield* put(message("x2", "5511900000002"))
            yield* eventually("both are dead and the chat moved on", counts, (c) => c.dead === 2 && c.handled === 1)
            const dead = yield* inbox.deadLetters()
            const deadLettered = yield* metric(InboxMetrics.deadLettered)
            broken = false
            const replayedOne = yield* inbox.replay("test:i1:x1")
            yield* eventually("x1 is handled", counts, (c) => c.handled === 2)
            const notDead = yield* inbox.replay("test:i1:x1")
            const replayedAll = yield* inbox.replayAll
            yield* eventually("x2 is handled", counts, (c) => c.handled === 3 && c.dead === 0)
            return { dead, deadLettered, replayedOne, notDead, replayedAll }
          })
        ).pipe(withMetrics)
        expect(result.dead.map((d) => [d.key, d.event?.id, d.attempts])).toEqual([
          ["test:i1:x1", "x1", 3],
          ["test:i1:x2", "x2", 3]
        ])
        expect(result.dead[0]!.event).toEqual(message("x1", "5511900000001"))
        expect(result.dead[0]!.lastError).toContain("cannot handle x1")
        expect(result.dead[0]!.deadAt.getTime()).toBeGreaterThanOrEqual(result.dead[0]!.receivedAt.getTime())
        expect(result).toMatchObject({ deadLettered: 2, replayedOne: true, notDead: false, replayedAll: 1 })
        expect(ofChat("5511900000001")).toEqual(["after-x1", "x1"])
      })
    )

    it.live("resumes after a restart, taking back the events a crashed process had leased once its lease expires", () =>
      Effect.gen(function* () {
        const database = yield* store.database
        const ids = ["c1", "c2", "c3", "c4"]
        let leasedUntil = 0
        // Process 1 stores the events and "crashes" holding a lease on the chat's first one.
        yield* inProcess(
          database,
          Effect.gen(function* () {
            for (const id of ids) yield* put(message(id, "5511900000001"))
            const { store: rows } = internalsOf(yield* Inbox.Inbox)
            const now = yield* Clock.currentTimeMillis
            leasedUntil = now + 500
            const leased = yield* rows.claim("crashed-process", now, leasedUntil, 10)
            expect(leased.map((r) => r.key)).toEqual(["test:i1:c1"])
          })
        )
        const { handled, record } = recorder()
        let firstHandledAt = 0
        const handler = (event: WhatsAppEvent.WhatsAppEvent, key: string) =>
          Effect.sync(() => {
            firstHandledAt ||= Date.now()
          }).pipe(Effect.andThen(record(event, key)))
        yield* inProcess(
          database,
          Effect.gen(function* () {
            yield* InboxWorker.run({ handler, ...fast })
            yield* eventually("all are handled", counts, (c) => c.handled === 4)
          })
        )
        expect(handled.map((h) => h.id)).toEqual(ids)
        expect(firstHandledAt).toBeGreaterThanOrEqual(leasedUntil)
      })
    )

    it.live("a restart under the same owner name takes back its own leftover leases at once", () =>
      Effect.gen(function* () {
        const database = yield* store.database
        yield* inProcess(
          database,
          Effect.gen(function* () {
            yield* put(message("r1", "5511900000001"))
            const { store: rows } = internalsOf(yield* Inbox.Inbox)
            const now = yield* Clock.currentTimeMillis
            // The previous run of "web-1" died holding an hour-long lease.
            expect(yield* rows.claim("web-1", now, now + 3_600_000, 10)).toHaveLength(1)
          })
        )
        const { handled, record } = recorder()
        yield* inProcess(
          database,
          Effect.gen(function* () {
            yield* InboxWorker.run({ handler: record, owner: "web-1", ...fast })
            yield* eventually("it is handled", counts, (c) => c.handled === 1)
          })
        )
        expect(handled.map((h) => h.id)).toEqual(["r1"])
      })
    )

    it.live("a process that died during an event's last attempt: the restart dead-letters it, naming the crash", () =>
      Effect.gen(function* () {
        const database = yield* store.database
        yield* inProcess(
          database,
          Effect.gen(function* () {
            yield* put(message("k1", "5511900000001"))
            const { store: rows } = internalsOf(yield* Inbox.Inbox)
            const now = yield* Clock.currentTimeMillis
            // Two attempts whose leases lapsed, then "web-1" died during the third and last.
            expect(yield* rows.claim("web-1", now, now + 1, 10)).toHaveLength(1)
            expect(yield* rows.claim("web-1", now + 2, now + 3, 10)).toHaveLength(1)
            expect(yield* rows.claim("web-1", now + 4, now + 3_600_000, 10)).toHaveLength(1)
          })
        )
        const { handled, record } = recorder()
        const dead = yield* inProcess(
          database,
          Effect.gen(function* () {
            yield* InboxWorker.run({ handler: record, owner: "web-1", maxAttempts: 3, ...fast })
            yield* eventually("it is dead", counts, (c) => c.dead === 1)
            return yield* Effect.flatMap(Inbox.Inbox, (inbox) => inbox.deadLetters())
          })
        )
        expect(handled).toEqual([])
        expect(dead.map((letter) => ({ attempts: letter.attempts, lastError: letter.lastError }))).toEqual([
          { attempts: 4, lastError: "lease expired during the last attempt (the process stopped while handling it)" }
        ])
      })
    )

    it.live("on shutdown waits for handlers in flight, and gives back unattempted those past the deadline", () =>
      Effect.gen(function* () {
        const database = yield* store.database
        let started = 0
        const slow = (event: WhatsAppEvent.WhatsAppEvent) =>
          Effect.sync(() => started++).pipe(
            Effect.andThen(Effect.sleep(event.id === "hangs" ? "1 hour" : "300 millis"))
          )
        const afterShutdown = yield* inProcess(
          database,
          Effect.gen(function* () {
            yield* Effect.scoped(
              Effect.gen(function* () {
                yield* InboxWorker.run({ handler: slow, shutdownTimeout: "5 seconds", ...fast })
                yield* put(message("slow", "5511900000001"))
                yield* eventually(
                  "the handler started",
                  Effect.sync(() => started),
                  (n) => n === 1
                )
              })
            )
            const graceful = yield* counts
            const closing = Date.now()
            yield* Effect.scoped(
              Effect.gen(function* () {
                yield* InboxWorker.run({ handler: slow, shutdownTimeout: "200 millis", ...fast })
                yield* put(message("hangs", "5511900000002"))
                yield* eventually(
                  "the handler started",
                  Effect.sync(() => started),
                  (n) => n === 2
                )
              })
            )
            return { graceful, cutOff: yield* counts, waited: Date.now() - closing }
          })
        )
        expect(afterShutdown.graceful).toEqual({ pending: 0, handled: 1, dead: 0 })
        expect(afterShutdown.cutOff).toEqual({ pending: 1, handled: 1, dead: 0 })
        expect(afterShutdown.waited).toBeLessThan(5_000)
        // Given back unattempted: a worker allowing a single attempt still handles it.
        const { handled, record } = recorder()
        yield* inProcess(
          database,
          Effect.gen(function* () {
            yield* InboxWorker.run({ handler: record, maxAttempts: 1, ...fast })
            yield* eventually("it is handled", counts, (c) => c.handled === 2)
          })
        )
        expect(handled.map((h) => h.id)).toEqual(["hangs"])
      })
    )

    it.live("dead-letters a stored event that no longer decodes, keeping its JSON", () =>
      Effect.gen(function* () {
        const database = yield* store.database
        const dead = yield* inProcess(
          database,
          Effect.gen(function* () {
            const inbox = yield* Inbox.Inbox
            const { store: rows } = internalsOf(inbox)
            const stored = { key: "test:i1:old", lane: "lane", json: '{"_tag":"FromAnOlderVersion"}' }
            yield* rows.insert([stored], yield* Clock.currentTimeMillis)
            yield* InboxWorker.run({ handler: () => Effect.die("must not be called"), ...fast })
            yield* eventually("it is dead", counts, (c) => c.dead === 1)
            return yield* inbox.deadLetters()
          })
        )
        expect(dead).toMatchObject([{ key: "test:i1:old", event: undefined, json: '{"_tag":"FromAnOlderVersion"}' }])
        expect(dead[0]!.lastError).toContain("the stored event no longer decodes as a WhatsAppEvent")
      })
    )

    it.live("renews the lease while a slow handler runs, so another process does not take the event", () =>
      Effect.gen(function* () {
        const database = yield* store.database
        const calls: Array<string> = []
        const slow = (event: WhatsAppEvent.WhatsAppEvent) =>
          Effect.sync(() => calls.push(event.id)).pipe(Effect.andThen(Effect.sleep("5 seconds")))
        const worker = (body: Effect.Effect<unknown, unknown, Inbox.Inbox | Scope.Scope>) =>
          inProcess(
            database,
            Effect.gen(function* () {
              // The handler outlives 2.5 leases; a lease long enough that a loaded machine's pauses
              // between renewals (every third of it) do not expire it.
              yield* InboxWorker.run({ handler: slow, ...fast, lease: "2 seconds" })
              yield* body
              yield* eventually("it is handled", counts, (c) => c.handled === 1)
            })
          )
        yield* Effect.all([worker(put(message("slow", "5511900000001"))), worker(Effect.void)], { concurrency: 2 })
        expect(calls).toEqual(["slow"])
      })
    )

    it.live("two processes on one store never hand out an event twice and keep each chat's order", () =>
      Effect.gen(function* () {
        const database = yield* store.database
        const { handled, record, ofChat } = recorder()
        const chats = ["5511900000001", "5511900000002", "5511900000003", "5511900000004"]
        const handler = (event: WhatsAppEvent.WhatsAppEvent, key: string) =>
          Effect.sleep(`${1 + Math.floor(Math.random() * 4)} millis`).pipe(Effect.andThen(record(event, key)))
        const worker = (body: Effect.Effect<void, unknown, Inbox.Inbox | Scope.Scope>) =>
          inProcess(
            database,
            Effect.gen(function* () {
              yield* InboxWorker.run({ handler, concurrency: 4, ...fast })
              yield* body
              yield* eventually("all are handled", counts, (c) => c.handled === 40)
            })
          )
        const putAll = Effect.forEach(
          Array.from({ length: 10 }, (_, i) => i),
          (i) => Effect.forEach(chats, (chat) => put(message(`${chat}-${i}`, chat)), { discard: true }),
          { discard: true }
        )
        yield* Effect.all([worker(putAll), worker(Effect.void)], { concurrency: 2 })
        expect(handled).toHaveLength(40)
        for (const chat of chats) expect(ofChat(chat)).toEqual(Array.from({ length: 10 }, (_, i) => `${chat}-${i}`))
      })
    )
  })
}
