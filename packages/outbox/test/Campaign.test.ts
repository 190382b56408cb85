import { describe, expect, it } from "@effect/vitest"
import { ChatId } from "@pombo/core"
import { Effect, Fiber, Stream } from "effect"
import { TestClock } from "effect/testing"
import { stores } from "../../testing/test/stores.ts"
import { Campaign, Outbox, Pacing } from "../src/index.ts"
import { fakeVendor, outboxOnly, outboxProcess, start, until } from "./support.ts"

// 2026-11-30 12:00 in São Paulo: outside the default quiet hours.
const noon = Date.UTC(2026, 10, 30, 15, 0, 0)
const A = "zapi:number-a"
const MIN = 60_000

const recipients = ["Ana", "Bruno", "Carla", "Davi"].map((name, i) => ({
  id: `customer-${i}`,
  to: new ChatId.Contact({ phone: `551190000000${i}` }),
  variables: { name, code: `C${i}` }
}))

const blackFriday = {
  key: "black-friday",
  number: A,
  operation: "sendText",
  content: { text: "Olá {{name}}, seu cupom é {{ code }}" },
  recipients
} as const

describe("Campaign.render", () => {
  it("replaces every {{variable}} deep in the content and reports the missing ones", () => {
    const to = new ChatId.Contact({ phone: "5511900000000" })
    expect(Campaign.render({ text: "Oi {{name}}", list: [{ title: "{{name}}!" }], to }, { name: "Ana" })).toMatchObject(
      {
        success: { text: "Oi Ana", list: [{ title: "Ana!" }], to }
      }
    )
    expect(Campaign.render({ text: "Oi {{name}} {{city}}" }, { name: "Ana" })).toMatchObject({
      failure: ["city"]
    })
  })
})

for (const store of stores) {
  const title = store.unavailable
    ? `Campaign on ${store.name} — skipped: ${store.unavailable}`
    : `Campaign on ${store.name}`
  describe.skipIf(store.unavailable !== undefined)(title, () => {
    it.effect("sends one content to each recipient once, paced, and streams its progress", () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(noon)
        const database = yield* store.database
        const vendor = fakeVendor()
        const p = yield* start(outboxProcess(database, vendor, { pacing: { ...Pacing.off, minGap: "1 minute" } }))
        const outbox = yield* Outbox.Outbox.pipe(Effect.provide(p.context))
        const watched = yield* Effect.forkChild(
          Stream.runCollect(Campaign.progress("black-friday")).pipe(Effect.provide(p.context)),
          { startImmediately: true }
        )
        expect(yield* Campaign.start(blackFriday).pipe(Effect.provide(p.context))).toEqual({
          key: "black-friday",
          total: 4,
          added: 4
        })
        // Starting it again (a retry after a crash, a double click) adds nobody.
        expect(yield* Campaign.start(blackFriday).pipe(Effect.provide(p.context))).toMatchObject({ added: 0 })
        yield* until(
          Effect.map(Campaign.count("black-friday"), (progress) => progress.sent === 4).pipe(Effect.provide(p.context)),
          { step: 10_000 }
        )
        expect(vendor.log.map((r) => (r.input as { text: string }).text)).toEqual([
          "Olá Ana, seu cupom é C0",
          "Olá Bruno, seu cupom é C1",
          "Olá Carla, seu cupom é C2",
          "Olá Davi, seu cupom é C3"
        ])
        expect(vendor.log.map((r) => r.key)).toEqual(recipients.map((r) => `black-friday/${r.id}`))
        const times = vendor.log.map((r) => r.at)
        expect(times.slice(1).every((t, i) => t - times[i]! >= MIN)).toBe(true)
        for (const [i, status] of [
          [0, "read"],
          [1, "read"],
          [2, "delivered"]
        ] as const) {
          yield* outbox.recordStatus({ number: A, messageId: `wamid.black-friday/customer-${i}`, status })
        }
        const last = yield* Campaign.count("black-friday").pipe(Effect.provide(p.context))
        expect(last).toEqual({
          total: 4,
          queued: 0,
          sent: 4,
          delivered: 3,
          read: 2,
          failed: 0,
          uncertain: 0,
          cancelled: 0
        })
        yield* outbox.recordStatus({ number: A, messageId: "wamid.black-friday/customer-2", status: "read" })
        yield* outbox.recordStatus({ number: A, messageId: "wamid.black-friday/customer-3", status: "read" })
        // The stream ends once everyone read it; its counts only grew.
        const seen = yield* Fiber.join(watched)
        expect(seen.at(-1)).toEqual({
          total: 4,
          queued: 0,
          sent: 4,
          delivered: 4,
          read: 4,
          failed: 0,
          uncertain: 0,
          cancelled: 0
        })
        for (const field of ["sent", "delivered", "read"] as const) {
          const values = seen.map((s) => s[field])
          expect(values, field).toEqual([...values].sort((a, b) => a - b))
        }
        yield* p.stop
      })
    )

    it.effect("refuses a campaign with a bad recipient before storing anyone", () =>
      Effect.gen(function* () {
        const database = yield* store.database
        const p = yield* start(outboxOnly(database))
        const refused = (request: Campaign.Request<"sendText">) =>
          Campaign.start(request).pipe(Effect.flip, Effect.provide(p.context))
        const missing = [...recipients.slice(0, 2), { id: "x", to: recipients[0]!.to, variables: { name: "X" } }]
        expect(yield* refused({ ...blackFriday, recipients: missing })).toMatchObject({
          _tag: "InvalidRequest",
          field: "recipients.2.variables",
          detail: "missing code"
        })
        expect(yield* refused({ ...blackFriday, recipients: [recipients[0]!, recipients[0]!] })).toMatchObject({
          field: "recipients.1.id"
        })
        expect(
          yield* refused({
            ...blackFriday,
            content: { text: "{{name}}" },
            recipients: [{ ...recipients[0]!, variables: { name: " " } }]
          })
        ).toMatchObject({
          field: "recipients.0.text"
        })
        expect(yield* Campaign.count("black-friday").pipe(Effect.provide(p.context))).toMatchObject({ total: 0 })
        yield* p.stop
      })
    )
  })
}
