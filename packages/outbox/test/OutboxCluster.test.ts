import { describe, expect, it } from "@effect/vitest"
import { ChatId } from "@pombo/core"
import { Effect, Layer, Schedule } from "effect"
import { SingleRunner } from "effect/cluster"
import { Digest } from "effect/crypto"
import { stores } from "../../testing/test/stores.ts"
import { Outbox, OutboxCluster, Pacing } from "../src/index.ts"
import { fakeVendor, outboxOnly, start } from "./support.ts"

const A = "zapi:number-a"
const B = "megaapi:number-b"
const gaps = (times: ReadonlyArray<number>) => times.slice(1).map((t, i) => t - (times[i] as number))

for (const store of stores) {
  const title = store.unavailable
    ? `OutboxCluster on ${store.name} — skipped: ${store.unavailable}`
    : `OutboxCluster on ${store.name}`
  describe.skipIf(store.unavailable !== undefined)(title, () => {
    it.live("drives each number from its own entity on a single runner: every send once, paced, in parallel", () =>
      Effect.gen(function* () {
        const database = yield* store.database
        const vendor = fakeVendor()
        // Sends stored before the runner starts are found by its first look for work.
        const api = yield* start(outboxOnly(database))
        const outbox = yield* Outbox.Outbox.pipe(Effect.provide(api.context))
        for (let i = 0; i < 3; i++)
          yield* outbox.send({
            key: `a${i}`,
            number: A,
            operation: "sendText",
            input: { to: new ChatId.Contact({ phone: `55119000000${i}` }), text: "oi" }
          })
        yield* api.stop

        const runner = yield* start(
          OutboxCluster.layer({ pacing: { ...Pacing.off, minGap: "500 millis" }, pollInterval: "200 millis" }).pipe(
            Layer.provideMerge(Outbox.layer()),
            Layer.provide(vendor.layer),
            Layer.provide(SingleRunner.layer()),
            Layer.provide(Digest.layerWebCrypto),
            Layer.provide(database),
            Layer.orDie
          )
        )
        const running = yield* Outbox.Outbox.pipe(Effect.provide(runner.context))
        for (let i = 0; i < 3; i++)
          yield* running.send({
            key: `b${i}`,
            number: B,
            operation: "sendText",
            input: { to: new ChatId.Contact({ phone: `55119000001${i}` }), text: "oi" }
          })
        const keys = ["a0", "a1", "a2", "b0", "b1", "b2"]
        const accepted = Effect.map(
          Effect.forEach(keys, (key) => running.status(key)),
          (all) => all.every((s) => s?.state === "accepted")
        )
        yield* accepted.pipe(
          Effect.repeat({ until: (done) => done, schedule: Schedule.spaced("50 millis") }),
          Effect.timeout("20 seconds")
        )
        expect(vendor.log.map((r) => r.key).sort()).toEqual(keys)
        for (const number of [A, B]) {
          for (const gap of gaps(vendor.of(number).map((r) => r.at))) expect(gap).toBeGreaterThanOrEqual(500)
        }
        // B did not wait for A's sends to finish.
        expect(vendor.of(B)[0]!.at).toBeLessThan(vendor.of(A).at(-1)!.at)
        yield* runner.stop
      })
    )
  })
}
