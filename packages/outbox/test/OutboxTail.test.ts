/**
 * `Outbox.tail`: every change made to the store after it started, by any process, shown once in
 * its latest state — including a change stamped before the last one shown but committed after it
 * (two writers racing), which a plain "newer than the last seen" cursor would lose.
 */
import { ChatId } from "@pombo/core"
import { Context, Effect, Fiber, Layer, Stream } from "effect"
import { SqlClient } from "effect/sql"
import { describe, expect, it } from "vitest"
import { clientOf } from "../../testing/test/location.ts"
import { stores } from "../../testing/test/stores.ts"
import { Outbox } from "../src/index.ts"

const order = (key: string) =>
  ({
    key,
    number: "zapi:3C01A7",
    operation: "sendText",
    input: { to: new ChatId.Contact({ phone: "5511987654321" }), text: "olá" }
  }) as const

const eventually = (condition: () => boolean) =>
  Effect.gen(function* () {
    for (let i = 0; i < 400 && !condition(); i++) yield* Effect.sleep("25 millis")
  })

for (const store of stores) {
  describe.skipIf(store.unavailable !== undefined)(`Outbox.tail on ${store.name}`, () => {
    it("shows each later change once, a late-committed one too, and nothing from before it started", async () => {
      await Effect.runPromise(
        Effect.scoped(
          Effect.gen(function* () {
            const location = yield* store.location
            const context = yield* Layer.build(
              Layer.provideMerge(Outbox.layer({ pollInterval: "50 millis" }), clientOf(location))
            )
            const outbox = Context.get(context, Outbox.Outbox)
            const sql = Context.get(context, SqlClient.SqlClient)
            yield* outbox.send(order("before"))
            yield* outbox.send(order("late"))
            yield* Effect.sleep("20 millis")
            const shown: Array<{ readonly key: string; readonly state: string }> = []
            const changes = yield* outbox.tail
            const tail = yield* Effect.forkScoped(
              Stream.runForEach(changes, (status) => Effect.sync(() => shown.push(status)))
            )
            yield* Effect.sleep("200 millis")
            const now = Date.now()
            yield* outbox.send(order("after"))
            yield* eventually(() => shown.some((status) => status.key === "after"))
            // A writer that stamped its change before "after" was shown, and commits only now.
            yield* sql`UPDATE pombo_outbox SET state = 'cancelled', updated_at = ${now - 100} WHERE send_key = 'late'`
            yield* eventually(() => shown.some((status) => status.key === "late"))
            yield* Effect.sleep("300 millis")
            yield* Fiber.interrupt(tail)
            expect(shown.map(({ key, state }) => ({ key, state }))).toEqual([
              { key: "after", state: "queued" },
              { key: "late", state: "cancelled" }
            ])
          })
        )
      )
    })
  })
}
