import { describe, expect, it } from "@effect/vitest"
import { ChatId, WhatsAppError, WhatsAppEvent } from "@pombo/core"
import { Effect, Fiber, Metric, Stream } from "effect"
import { TestClock } from "effect/testing"
import { stores } from "../../testing/test/stores.ts"
import { Outbox, OutboxMetrics, OutboxWorker, Pacing } from "../src/index.ts"
import { internalsOf } from "../src/internal/registry.ts"
import { elapse, fakeVendor, outboxOnly, outboxProcess, start, until } from "./support.ts"

// 2026-11-30 12:00 in São Paulo: outside the default quiet hours.
const noon = Date.UTC(2026, 10, 30, 15, 0, 0)
const A = "zapi:number-a"
const B = "zapi:number-b"
const MIN = 60_000
const HOUR = 60 * MIN

/** Pacing with only the rules a test names. */
const paced = (config: Partial<Pacing.Config>): Partial<Pacing.Config> => ({ ...Pacing.off, ...config })

const text = (key: string, number: string, recipient: string, body = "olá") =>
  ({
    key,
    number,
    operation: "sendText",
    input: { to: new ChatId.Contact({ phone: recipient }), text: body }
  }) as const

const context = { provider: "zapi", operation: "sendText" }

const send = (request: Outbox.SendRequest) => Effect.flatMap(Outbox.Outbox, (o) => o.send(request))
const statusOf = (key: string) => Effect.flatMap(Outbox.Outbox, (o) => o.status(key))
const stateOf = (key: string) => Effect.map(statusOf(key), (s) => s?.state)
const hasState = (key: string, state: Outbox.State) => Effect.map(stateOf(key), (s) => s === state)

const gaps = (times: ReadonlyArray<number>) => times.slice(1).map((t, i) => t - (times[i] as number))
const mostInWindow = (times: ReadonlyArray<number>, window: number) =>
  Math.max(0, ...times.map((t) => times.filter((u) => u >= t && u < t + window).length))

describe("OutboxWorker.reaction", () => {
  it("retries only what the vendor certainly did not process", () => {
    const r = (e: WhatsAppError.WhatsAppError) => OutboxWorker.reaction(e)._tag
    expect(r(new WhatsAppError.RateLimited({ ...context, retryAfterSeconds: 5 }))).toBe("Wait")
    expect(r(new WhatsAppError.NotConnected({ ...context, detail: "qr" }))).toBe("Pause")
    expect(r(new WhatsAppError.Unauthorized({ ...context, detail: "token" }))).toBe("Stop")
    expect(r(new WhatsAppError.ProviderUnavailable({ ...context, detail: "refused", notSent: true }))).toBe("Retry")
    expect(r(new WhatsAppError.ProviderUnavailable({ ...context, detail: "timeout", notSent: false }))).toBe(
      "Uncertain"
    )
    expect(
      r(new WhatsAppError.ProviderUnavailable({ ...context, detail: "503", notSent: false, retryAfterSeconds: 30 }))
    ).toBe("Wait")
    expect(r(new WhatsAppError.UnexpectedResponse({ ...context, detail: "html" }))).toBe("Uncertain")
    expect(r(new WhatsAppError.InvalidRequest({ ...context, detail: "bad" }))).toBe("Fail")
    expect(r(new WhatsAppError.RecipientNotFound({ ...context, detail: "none" }))).toBe("Fail")
    expect(r(new WhatsAppError.Unsupported({ ...context }))).toBe("Fail")
  })
})

for (const store of stores) {
  const title = store.unavailable
    ? `Outbox on ${store.name} — skipped: ${store.unavailable}`
    : `Outbox on ${store.name}`
  describe.skipIf(store.unavailable !== undefined)(title, () => {
    it.effect("returns a ticket at once, sends once per key, and reports each change", () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(noon)
        const database = yield* store.database
        const vendor = fakeVendor()
        // No worker yet: `send` only stores.
        const api = yield* start(outboxOnly(database))
        const first = yield* send(text("order-1", A, "5511900000001")).pipe(Effect.provide(api.context))
        expect(first).toMatchObject({ key: "order-1", number: A, duplicate: false, createdAt: new Date(noon) })
        expect(yield* stateOf("order-1").pipe(Effect.provide(api.context))).toBe("queued")
        yield* api.stop

        const p = yield* start(outboxProcess(database, vendor, { pacing: Pacing.off }))
        const outbox = yield* Outbox.Outbox.pipe(Effect.provide(p.context))
        yield* until(hasState("order-1", "accepted")).pipe(Effect.provide(p.context))
        expect(yield* outbox.send(text("order-1", A, "5511900000001", "a different body"))).toEqual({
          ...first,
          duplicate: true
        })
        const watched = yield* Effect.forkChild(Stream.runCollect(outbox.watch("order-2")), { startImmediately: true })
        yield* outbox.send(text("order-2", A, "5511900000002"))
        expect((yield* outbox.send(text("order-2", A, "5511900000002"))).duplicate).toBe(true)
        yield* until(hasState("order-2", "accepted")).pipe(Effect.provide(p.context))
        yield* outbox.recordStatus({ number: A, messageId: "wamid.order-2", status: "read" })
        const states = yield* Fiber.join(watched)
        expect(states.map((s) => s.state)).toEqual(["queued", "sending", "accepted", "read"])
        yield* elapse(10 * MIN, MIN)
        expect(vendor.log.map((r) => r.key)).toEqual(["order-1", "order-2"])
        expect(yield* outbox.status("order-1")).toMatchObject({
          state: "accepted",
          attempts: 1,
          messageId: "wamid.order-1",
          acceptedAt: new Date(vendor.log[0]!.at)
        })
        yield* p.stop
      })
    )

    it.effect("refuses a malformed request before storing anything", () =>
      Effect.gen(function* () {
        const database = yield* store.database
        const p = yield* start(outboxOnly(database))
        const refused = (request: Outbox.SendRequest) =>
          send(request).pipe(
            Effect.flip,
            Effect.map((e) => e.message),
            Effect.provide(p.context)
          )
        expect(yield* refused(text("k1", "zapi", "5511900000001"))).toMatch(/number must be "provider:instance"/)
        expect(yield* refused(text("", A, "5511900000001"))).toMatch(/key is required/)
        // The input is checked against the operation's schema: the field is named, nothing is stored.
        expect(
          yield* refused({ ...text("k2", A, "5511900000001"), input: { to: "5511900000001", text: "oi" } } as never)
        ).toMatch(/zapi: invalid sendText request \(to\)/)
        expect(yield* refused(text("k3", A, "5511900000001", " "))).toMatch(/\(text\): must not be blank/)
        // Only WhatsApp's sending operations go through the outbox.
        expect(yield* refused({ ...text("k4", A, "5511900000001"), operation: "setProfileName" } as never)).toMatch(
          /\(operation\): the outbox carries only the sending operations of WhatsApp: sendText, sendMedia/
        )
        expect(
          yield* refused({
            ...text("k5", A, "5511900000001"),
            input: { ...text("k5", A, "5511900000001").input, providerOptions: { zapi: { n: 1n } } }
          } as never)
        ).toMatch(/\(providerOptions\): must be JSON: .*BigInt/)
        for (const key of ["k1", "k2", "k3", "k4", "k5"]) {
          expect(yield* statusOf(key).pipe(Effect.provide(p.context))).toBeUndefined()
        }
        yield* p.stop
      })
    )

    it.effect("keeps the minimum gap and the per-minute cap, with typing time from the text", () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(noon)
        const database = yield* store.database
        const vendor = fakeVendor()
        const pacing = paced({
          minGap: "10 seconds",
          jitter: "5 seconds",
          perMinute: 3,
          typing: Pacing.defaults.typing
        })
        const p = yield* start(outboxProcess(database, vendor, { pacing }))
        for (let i = 0; i < 7; i++)
          yield* send(text(`k${i}`, A, `55119000000${i}`, "x".repeat(40))).pipe(Effect.provide(p.context))
        yield* until(() => vendor.log.length === 7)
        const times = vendor.log.map((r) => r.at)
        for (const gap of gaps(times)) expect(gap).toBeGreaterThanOrEqual(10_000)
        expect(mostInWindow(times, MIN)).toBeLessThanOrEqual(3)
        // Sent in the order they were made.
        expect(vendor.log.map((r) => r.key)).toEqual(["k0", "k1", "k2", "k3", "k4", "k5", "k6"])
        expect(vendor.log.every((r) => r.typing === 2_000)).toBe(true)
        yield* p.stop
      })
    )

    it.effect("spaces sends to one recipient without holding up the others", () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(noon)
        const database = yield* store.database
        const vendor = fakeVendor()
        const p = yield* start(outboxProcess(database, vendor, { pacing: paced({ recipientGap: "1 minute" }) }))
        yield* send(text("r1-a", A, "5511900000001")).pipe(Effect.provide(p.context))
        yield* send(text("r1-b", A, "5511900000001")).pipe(Effect.provide(p.context))
        yield* send(text("r2-a", A, "5511900000002")).pipe(Effect.provide(p.context))
        yield* until(() => vendor.log.length === 3)
        expect(vendor.log.map((r) => r.key)).toEqual(["r1-a", "r2-a", "r1-b"])
        const [first, , third] = vendor.log
        expect(third!.at - first!.at).toBeGreaterThanOrEqual(MIN)
        // The second recipient did not wait for the first one's gap.
        expect(vendor.log[1]!.at - first!.at).toBeLessThan(MIN)
        yield* p.stop
      })
    )

    it.effect("holds a new number to its warm-up caps, across a restart", () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(noon)
        const database = yield* store.database
        const vendor = fakeVendor()
        const pacing = paced({ perHour: 100, perDay: 1000, warmup: { days: 10, perHour: 3, perDay: 5 } })
        const first = yield* start(outboxProcess(database, vendor, { pacing }))
        for (let i = 0; i < 6; i++) yield* send(text(`w${i}`, A, `55119000000${i}`)).pipe(Effect.provide(first.context))
        yield* until(() => vendor.log.length === 3)
        yield* elapse(30 * MIN, MIN)
        expect(vendor.log).toHaveLength(3)
        // A restart reads the same history: the hour's cap still holds.
        yield* first.stop
        const second = yield* start(outboxProcess(database, vendor, { pacing }))
        yield* elapse(20 * MIN, MIN)
        expect(vendor.log).toHaveLength(3)
        yield* until(() => vendor.log.length === 5, { step: MIN })
        expect(vendor.log[3]!.at - vendor.log[0]!.at).toBeGreaterThanOrEqual(HOUR)
        // The day's warm-up cap (5) holds the sixth until the first leaves the 24-hour window.
        yield* elapse(12 * HOUR, 10 * MIN)
        expect(vendor.log).toHaveLength(5)
        yield* until(() => vendor.log.length === 6, { step: 10 * MIN })
        expect(vendor.log[5]!.at - vendor.log[0]!.at).toBeGreaterThanOrEqual(24 * HOUR)
        const number = yield* Effect.flatMap(Outbox.Outbox, (o) => o.numberStatus(A)).pipe(
          Effect.provide(second.context)
        )
        // The warm-up counts from the number's first attempt.
        expect(number?.warmupStartedAt?.getTime()).toBeGreaterThanOrEqual(noon)
        expect(number?.warmupStartedAt?.getTime()).toBeLessThanOrEqual(vendor.log[0]!.at)
        yield* second.stop
      })
    )

    it.effect("cancels a send while it is queued, never after it left", () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(noon)
        const database = yield* store.database
        const vendor = fakeVendor()
        const p = yield* start(outboxProcess(database, vendor, { pacing: paced({ minGap: "1 minute" }) }))
        const outbox = yield* Outbox.Outbox.pipe(Effect.provide(p.context))
        yield* outbox.send(text("c1", A, "5511900000001"))
        yield* outbox.send(text("c2", A, "5511900000002"))
        yield* outbox.send(text("c3", A, "5511900000003"))
        yield* until(() => vendor.log.length === 1)
        expect(yield* outbox.cancel("c2")).toBe(true)
        expect(yield* outbox.cancel("c1")).toBe(false)
        expect(yield* outbox.cancel("nope")).toBe(false)
        yield* until(() => vendor.log.length === 2, { step: 5_000 })
        yield* elapse(5 * MIN, MIN)
        expect(vendor.log.map((r) => r.key)).toEqual(["c1", "c3"])
        expect((yield* outbox.status("c2"))?.state).toBe("cancelled")
        // A cancelled key stays taken: sending it again is a duplicate, not a new send.
        expect((yield* outbox.send(text("c2", A, "5511900000002"))).duplicate).toBe(true)
        yield* p.stop
      })
    )

    const crashed = (onUncertain: "skip" | "resend") =>
      Effect.gen(function* () {
        yield* TestClock.setTime(noon)
        const database = yield* store.database
        const vendor = fakeVendor()
        // The first process records the attempt of u1, holds the number, and dies before the receipt.
        const dead = yield* start(outboxOnly(database))
        const outbox = yield* Outbox.Outbox.pipe(Effect.provide(dead.context))
        yield* outbox.send(text("u1", A, "5511900000001"))
        yield* outbox.send(text("u2", A, "5511900000002"))
        const { store: rows } = internalsOf(outbox)
        expect(yield* rows.acquire(A, "dead-process", noon, noon + 30_000)).toBe(true)
        const u1 = yield* rows.get("u1")
        yield* rows.claim(u1!.seq, A, noon)
        yield* dead.stop

        const p = yield* start(outboxProcess(database, vendor, { pacing: Pacing.off, onUncertain }))
        // Nobody takes the number before the dead process's lease expires.
        yield* elapse(20_000)
        expect(vendor.log).toHaveLength(0)
        yield* until(hasState("u2", "accepted")).pipe(Effect.provide(p.context))
        const status = yield* statusOf("u1").pipe(Effect.provide(p.context))
        const states = { u1: status?.state, uncertain: status?.uncertainAttempts, sent: vendor.log.map((r) => r.key) }
        yield* p.stop
        return states
      })

    it.effect("leaves a send uncertain after a crash between attempt and receipt (skip)", () =>
      Effect.map(crashed("skip"), (result) => expect(result).toEqual({ u1: "uncertain", uncertain: 1, sent: ["u2"] }))
    )

    it.effect("sends an uncertain send again when the policy is resend", () =>
      Effect.map(crashed("resend"), (result) =>
        expect(result).toEqual({ u1: "accepted", uncertain: 1, sent: ["u1", "u2"] })
      )
    )

    it.effect("counts a resent send's uncertain attempt against the caps, as the vendor may have it", () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(noon)
        const database = yield* store.database
        const vendor = fakeVendor()
        const dead = yield* start(outboxOnly(database))
        const outbox = yield* Outbox.Outbox.pipe(Effect.provide(dead.context))
        yield* outbox.send(text("u1", A, "5511900000001"))
        yield* outbox.send(text("u2", A, "5511900000002"))
        const { store: rows } = internalsOf(outbox)
        expect(yield* rows.acquire(A, "dead-process", noon, noon + 30_000)).toBe(true)
        yield* rows.claim((yield* rows.get("u1"))!.seq, A, noon)
        yield* dead.stop

        const p = yield* start(
          outboxProcess(database, vendor, { pacing: paced({ perHour: 2 }), onUncertain: "resend" })
        )
        yield* until(() => vendor.log.length === 1)
        // u1 went twice within the hour (maybe): the cap of 2 holds u2 for the hour.
        yield* elapse(50 * MIN, 5 * MIN)
        expect(vendor.log.map((r) => r.key)).toEqual(["u1"])
        yield* until(() => vendor.log.length === 2, { step: MIN })
        // u2's slot is an hour after u1's first attempt, found when the number was taken over,
        // just before u1 went again.
        expect(vendor.log[1]!.at - vendor.log[0]!.at).toBeGreaterThanOrEqual(HOUR - MIN)
        yield* p.stop
      })
    )

    it.effect("does not count an attempt that provably never left against the caps", () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(noon)
        const database = yield* store.database
        const vendor = fakeVendor()
        vendor.script(A, () =>
          Effect.fail(new WhatsAppError.ProviderUnavailable({ ...context, detail: "ECONNREFUSED", notSent: true }))
        )
        const p = yield* start(outboxProcess(database, vendor, { pacing: paced({ perDay: 1 }), backoff: "1 second" }))
        yield* send(text("n1", A, "5511900000001")).pipe(Effect.provide(p.context))
        yield* until(hasState("n1", "accepted")).pipe(Effect.provide(p.context))
        // The retry went after its backoff (give or take the store's lag behind the simulated
        // clock), not a day later: the vendor never had the first, and the history holds one attempt.
        expect(vendor.log.map((r) => r.outcome)).toEqual(["refused", "accepted"])
        expect(vendor.log[1]!.at - vendor.log[0]!.at).toBeLessThan(HOUR)
        const { store: rows } = internalsOf(yield* Outbox.Outbox.pipe(Effect.provide(p.context)))
        expect(yield* rows.attempts(A, 0)).toHaveLength(1)
        yield* p.stop
      })
    )

    it.effect("retries a send that never left, and leaves an ambiguous one uncertain", () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(noon)
        const database = yield* store.database
        const vendor = fakeVendor()
        vendor.script(
          A,
          () =>
            Effect.fail(new WhatsAppError.ProviderUnavailable({ ...context, detail: "ECONNREFUSED", notSent: true })),
          () => Effect.fail(new WhatsAppError.ProviderUnavailable({ ...context, detail: "timeout", notSent: false })),
          () => Effect.fail(new WhatsAppError.RecipientNotFound({ ...context, detail: "not on WhatsApp" }))
        )
        const p = yield* start(outboxProcess(database, vendor, { pacing: Pacing.off }))
        yield* send(text("p1", A, "5511900000001")).pipe(Effect.provide(p.context))
        yield* until(hasState("p1", "uncertain")).pipe(Effect.provide(p.context))
        yield* send(text("p2", A, "5511900000002")).pipe(Effect.provide(p.context))
        yield* until(hasState("p2", "failed")).pipe(Effect.provide(p.context))
        yield* elapse(10 * MIN, MIN)
        expect(vendor.log.map((r) => `${r.key}:${r.outcome}`)).toEqual(["p1:refused", "p1:refused", "p2:refused"])
        const p1 = yield* statusOf("p1").pipe(Effect.provide(p.context))
        expect(p1).toMatchObject({ state: "uncertain", attempts: 2, uncertainAttempts: 1 })
        expect(p1?.error).toMatchObject({ _tag: "ProviderUnavailable", notSent: false })
        const p2 = yield* statusOf("p2").pipe(Effect.provide(p.context))
        expect(p2?.error).toBeInstanceOf(WhatsAppError.RecipientNotFound)
        expect((yield* send(text("p2", A, "5511900000002")).pipe(Effect.provide(p.context))).duplicate).toBe(true)
        const counters = {
          queued: OutboxMetrics.queued,
          duplicates: OutboxMetrics.duplicates,
          dispatched: OutboxMetrics.dispatched,
          accepted: OutboxMetrics.accepted,
          requeued: OutboxMetrics.requeued,
          failed: OutboxMetrics.failed,
          uncertain: OutboxMetrics.uncertain
        }
        const values = yield* Effect.all(
          Object.fromEntries(
            Object.entries(counters).map(([name, m]) => [name, Effect.map(Metric.value(m), (v) => v.count)])
          )
        )
        expect(values).toEqual({
          queued: 2,
          duplicates: 1,
          dispatched: 3,
          accepted: 0,
          requeued: 1,
          failed: 1,
          uncertain: 1
        })
        yield* p.stop
      }).pipe(Effect.provideService(Metric.MetricRegistry, new Map()))
    )

    it.effect("waits out a rate limit on one number while the others keep their pace", () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(noon)
        const database = yield* store.database
        const vendor = fakeVendor()
        vendor.script(A, () => Effect.fail(new WhatsAppError.RateLimited({ ...context, retryAfterSeconds: 600 })))
        const p = yield* start(outboxProcess(database, vendor, { pacing: paced({ minGap: "10 seconds" }) }))
        const outbox = yield* Outbox.Outbox.pipe(Effect.provide(p.context))
        yield* outbox.send(text("a1", A, "5511900000001"))
        for (let i = 0; i < 4; i++) yield* outbox.send(text(`b${i}`, B, `55119000001${i}`))
        yield* until(() => vendor.of(B).length === 4)
        // B went at its own pace (4 sends 10 s apart), all before A's 10-minute wait ended.
        expect(vendor.of(B).at(-1)!.at - noon).toBeLessThan(600_000)
        // The number waits the vendor's 600 s from its answer.
        const resumeAt = (yield* outbox.numberStatus(A))?.resumeAt?.getTime()
        expect(resumeAt).toBeGreaterThanOrEqual(vendor.of(A)[0]!.at + 600_000)
        expect((yield* outbox.status("a1"))?.state).toBe("queued")
        yield* until(hasState("a1", "accepted"), { step: 10_000 }).pipe(Effect.provide(p.context))
        const [refused, accepted] = vendor.of(A)
        expect(refused!.outcome).toBe("refused")
        expect(accepted!.at - refused!.at).toBeGreaterThanOrEqual(600_000)
        yield* p.stop
      })
    )

    it.effect("pauses a disconnected number until a connection event, without slowing others", () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(noon)
        const database = yield* store.database
        const vendor = fakeVendor()
        vendor.script(A, () => Effect.fail(new WhatsAppError.NotConnected({ ...context, detail: "scan the QR code" })))
        vendor.setConnected(A, false)
        const p = yield* start(outboxProcess(database, vendor, { pacing: Pacing.off, probeInterval: "1 minute" }))
        const outbox = yield* Outbox.Outbox.pipe(Effect.provide(p.context))
        const changes = yield* Effect.forkChild(Stream.runCollect(outbox.numberChanges.pipe(Stream.take(2))), {
          startImmediately: true
        })
        yield* outbox.send(text("a1", A, "5511900000001"))
        yield* outbox.send(text("b1", B, "5511900000002"))
        yield* until(() => vendor.of(A).length === 1 && vendor.of(B).length === 1)
        yield* elapse(30 * MIN, MIN)
        expect(vendor.of(A)).toHaveLength(1)
        expect((yield* outbox.numberStatus(A))?.state).toBe("paused")
        expect((yield* outbox.status("a1"))?.state).toBe("queued")
        // Later sends of B are not held up by A.
        yield* outbox.send(text("b2", B, "5511900000003"))
        yield* until(() => vendor.of(B).length === 2)
        yield* outbox.onEvent(
          new WhatsAppEvent.ConnectionUpdate({
            id: "c1",
            provider: "zapi",
            instance: "number-a",
            timestamp: new Date(noon),
            raw: {},
            state: "connected"
          })
        )
        yield* until(hasState("a1", "accepted")).pipe(Effect.provide(p.context))
        const numberStates = yield* Fiber.join(changes)
        expect(numberStates.map((n) => [n.number, n.state, n.reason?._tag])).toEqual([
          [A, "paused", "NotConnected"],
          [A, "active", undefined]
        ])
        yield* p.stop
      })
    )

    it.effect("resumes a paused number when the connection probe says connected", () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(noon)
        const database = yield* store.database
        const vendor = fakeVendor()
        vendor.script(A, () => Effect.fail(new WhatsAppError.NotConnected({ ...context, detail: "offline" })))
        vendor.setConnected(A, false)
        const p = yield* start(outboxProcess(database, vendor, { pacing: Pacing.off, probeInterval: "1 minute" }))
        yield* send(text("a1", A, "5511900000001")).pipe(Effect.provide(p.context))
        yield* until(() => vendor.of(A).length === 1)
        yield* elapse(5 * MIN, MIN)
        expect(vendor.of(A)).toHaveLength(1)
        vendor.setConnected(A, true)
        yield* until(hasState("a1", "accepted"), { step: 10_000 }).pipe(Effect.provide(p.context))
        yield* p.stop
      })
    )

    it.effect("stops a number whose credentials are refused, reports it, and resumes on request", () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(noon)
        const database = yield* store.database
        const vendor = fakeVendor()
        vendor.script(A, () => Effect.fail(new WhatsAppError.Unauthorized({ ...context, detail: "invalid token" })))
        const p = yield* start(outboxProcess(database, vendor, { pacing: Pacing.off }))
        const outbox = yield* Outbox.Outbox.pipe(Effect.provide(p.context))
        const changes = yield* Effect.forkChild(Stream.runCollect(outbox.numberChanges.pipe(Stream.take(1))), {
          startImmediately: true
        })
        yield* outbox.send(text("a1", A, "5511900000001"))
        yield* outbox.send(text("a2", A, "5511900000002"))
        yield* outbox.send(text("b1", B, "5511900000003"))
        yield* until(() => vendor.of(A).length === 1 && vendor.of(B).length === 1)
        const [stopped] = yield* Fiber.join(changes)
        expect(stopped).toMatchObject({ number: A, state: "stopped" })
        expect(stopped?.reason).toBeInstanceOf(WhatsAppError.Unauthorized)
        yield* elapse(2 * HOUR, 10 * MIN)
        expect(vendor.of(A)).toHaveLength(1)
        expect(yield* outbox.resume(A)).toBe(true)
        yield* until(() => vendor.of(A).length === 3)
        expect(vendor.of(A).map((r) => `${r.key}:${r.outcome}`)).toEqual(["a1:refused", "a1:accepted", "a2:accepted"])
        yield* p.stop
      })
    )

    it.effect("records delivery and read receipts by message id, forward only", () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(noon)
        const database = yield* store.database
        const vendor = fakeVendor()
        const p = yield* start(outboxProcess(database, vendor, { pacing: Pacing.off }))
        const outbox = yield* Outbox.Outbox.pipe(Effect.provide(p.context))
        yield* outbox.send(text("d1", A, "5511900000001"))
        yield* outbox.send(text("d2", A, "5511900000002"))
        yield* until(
          Effect.map(Effect.all([outbox.status("d1"), outbox.status("d2")]), (all) =>
            all.every((s) => s?.state === "accepted")
          )
        )
        const event = (messageId: string, status: "delivered" | "read", minutes: number) =>
          new WhatsAppEvent.MessageStatus({
            id: `${messageId}-${status}`,
            provider: "zapi",
            instance: "number-a",
            timestamp: new Date(noon + minutes * MIN),
            raw: {},
            messageId,
            status
          })
        yield* outbox.onEvent(event("wamid.d1", "delivered", 1))
        yield* outbox.onEvent(event("wamid.d1", "read", 2))
        // Out of order: a late "delivered" does not move a read message back.
        expect(yield* outbox.recordStatus({ number: A, messageId: "wamid.d1", status: "delivered" })).toBe(false)
        // A read receipt with no delivery before it implies the delivery.
        expect(
          yield* outbox.recordStatus({ number: A, messageId: "wamid.d2", status: "read", at: new Date(noon + 3 * MIN) })
        ).toBe(true)
        // The same id from another number is another message.
        expect(yield* outbox.recordStatus({ number: B, messageId: "wamid.d1", status: "read" })).toBe(false)
        expect(yield* outbox.status("d1")).toMatchObject({
          state: "read",
          deliveredAt: new Date(noon + MIN),
          readAt: new Date(noon + 2 * MIN)
        })
        expect(yield* outbox.status("d2")).toMatchObject({ state: "read", deliveredAt: new Date(noon + 3 * MIN) })
        yield* p.stop
      })
    )
  })
}

describe("OutboxError", () => {
  it("describes any cause, even an object without a prototype", () => {
    expect(new Outbox.OutboxError({ operation: "send", cause: new Error("disk full") }).message).toBe(
      "outbox send failed: disk full"
    )
    const copy = Object.assign(Object.create(null), { reason: "locked" })
    expect(new Outbox.OutboxError({ operation: "migrate", cause: copy }).message).toBe(
      "outbox migrate failed: [object Object]"
    )
  })
})
