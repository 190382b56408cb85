import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Ref } from "effect"
import { TestClock } from "effect/testing"
import { RetryPolicy, WhatsAppError } from "../src/index.ts"

const context = { provider: "test", operation: "sendText" }
const unreachable = (notSent: boolean) => new WhatsAppError.ProviderUnavailable({ ...context, detail: "down", notSent })

/** A call that fails with the given errors in turn, then succeeds; counts attempts. */
const flaky = (errors: ReadonlyArray<WhatsAppError.WhatsAppError>) =>
  Effect.map(Ref.make(0), (attempts) => ({
    attempts,
    call: Effect.flatMap(
      Ref.getAndUpdate(attempts, (n) => n + 1),
      (n) => (n < errors.length ? Effect.fail(errors[n]!) : Effect.succeed("ok"))
    )
  }))

const run = <A>(effect: Effect.Effect<A, WhatsAppError.WhatsAppError>) =>
  Effect.gen(function* () {
    const fiber = yield* Effect.forkChild(Effect.result(effect))
    yield* TestClock.adjust("10 minutes")
    return yield* Fiber.join(fiber)
  })

describe("RetryPolicy", () => {
  it.effect("retries a read after transient failures", () =>
    Effect.gen(function* () {
      const { attempts, call } = yield* flaky([unreachable(false), unreachable(false)])
      const result = yield* run(RetryPolicy.retry(call, { kind: "read", policy: RetryPolicy.defaults, context }))
      expect(result).toMatchObject({ _tag: "Success", success: "ok" })
      expect(yield* Ref.get(attempts)).toBe(3)
    })
  )

  it.effect("gives up on a read after readRetries", () =>
    Effect.gen(function* () {
      const { attempts, call } = yield* flaky(Array.from({ length: 10 }, () => unreachable(false)))
      const result = yield* run(RetryPolicy.retry(call, { kind: "read", policy: RetryPolicy.defaults, context }))
      expect(result._tag).toBe("Failure")
      expect(yield* Ref.get(attempts)).toBe(1 + RetryPolicy.defaults.readRetries)
    })
  )

  it.effect("never retries a send that may have reached the vendor", () =>
    Effect.gen(function* () {
      const { attempts, call } = yield* flaky([unreachable(false)])
      const result = yield* run(RetryPolicy.retry(call, { kind: "send", policy: RetryPolicy.defaults, context }))
      expect(result._tag).toBe("Failure")
      expect(yield* Ref.get(attempts)).toBe(1)
    })
  )

  it.effect("retries a send that provably never left (connection refused)", () =>
    Effect.gen(function* () {
      const { attempts, call } = yield* flaky([unreachable(true)])
      const result = yield* run(RetryPolicy.retry(call, { kind: "send", policy: RetryPolicy.defaults, context }))
      expect(result).toMatchObject({ _tag: "Success", success: "ok" })
      expect(yield* Ref.get(attempts)).toBe(2)
    })
  )

  it.effect("retries a send when the vendor asks to, after the delay it asked for", () =>
    Effect.gen(function* () {
      const { attempts, call } = yield* flaky([new WhatsAppError.RateLimited({ ...context, retryAfterSeconds: 7 })])
      const fiber = yield* Effect.forkChild(
        RetryPolicy.retry(call, { kind: "send", policy: RetryPolicy.defaults, context })
      )
      yield* TestClock.adjust("6 seconds")
      expect(yield* Ref.get(attempts)).toBe(1)
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(fiber)).toBe("ok")
      expect(yield* Ref.get(attempts)).toBe(2)
    })
  )

  it.effect("does not wait for a Retry-After longer than maxRetryAfter", () =>
    Effect.gen(function* () {
      const { attempts, call } = yield* flaky([new WhatsAppError.RateLimited({ ...context, retryAfterSeconds: 3600 })])
      const result = yield* run(RetryPolicy.retry(call, { kind: "send", policy: RetryPolicy.defaults, context }))
      expect(result._tag).toBe("Failure")
      expect(yield* Ref.get(attempts)).toBe(1)
    })
  )

  it.effect("never retries errors that repeating cannot fix", () =>
    Effect.gen(function* () {
      const { attempts, call } = yield* flaky([new WhatsAppError.InvalidRequest({ ...context, detail: "bad" })])
      const result = yield* run(RetryPolicy.retry(call, { kind: "read", policy: RetryPolicy.defaults, context }))
      expect(result._tag).toBe("Failure")
      expect(yield* Ref.get(attempts)).toBe(1)
    })
  )

  it.effect("retries nothing with the `none` policy", () =>
    Effect.gen(function* () {
      const { attempts, call } = yield* flaky([unreachable(true)])
      const result = yield* run(RetryPolicy.retry(call, { kind: "read", policy: RetryPolicy.none, context }))
      expect(result._tag).toBe("Failure")
      expect(yield* Ref.get(attempts)).toBe(1)
    })
  )

  it.effect("retries a send refused for rate (429) even without Retry-After: it was not processed", () =>
    Effect.gen(function* () {
      const { attempts, call } = yield* flaky([new WhatsAppError.RateLimited(context)])
      const result = yield* run(RetryPolicy.retry(call, { kind: "send", policy: RetryPolicy.defaults, context }))
      expect(result).toMatchObject({ _tag: "Success", success: "ok" })
      expect(yield* Ref.get(attempts)).toBe(2)
    })
  )

  it.effect("retries a send after a 503 with Retry-After, never after another outage", () =>
    Effect.gen(function* () {
      const asked = new WhatsAppError.ProviderUnavailable({
        ...context,
        detail: "503",
        notSent: false,
        retryAfterSeconds: 1
      })
      const retried = yield* flaky([asked])
      expect(
        yield* run(RetryPolicy.retry(retried.call, { kind: "send", policy: RetryPolicy.defaults, context }))
      ).toMatchObject({ _tag: "Success" })
      expect(yield* Ref.get(retried.attempts)).toBe(2)
      const plain = yield* flaky([unreachable(false)])
      expect(
        (yield* run(RetryPolicy.retry(plain.call, { kind: "send", policy: RetryPolicy.defaults, context })))._tag
      ).toBe("Failure")
      expect(yield* Ref.get(plain.attempts)).toBe(1)
    })
  )

  it.effect("ends every attempt and wait within the deadline", () =>
    Effect.gen(function* () {
      const attempts = yield* Ref.make(0)
      const hung = Effect.andThen(
        Ref.update(attempts, (n) => n + 1),
        Effect.never
      )
      const policy: RetryPolicy.RetryPolicy = { ...RetryPolicy.defaults, deadline: "10 seconds" }
      const fiber = yield* Effect.forkChild(Effect.result(RetryPolicy.retry(hung, { kind: "read", policy, context })))
      yield* TestClock.adjust("10 seconds")
      const result = yield* Fiber.join(fiber)
      expect(result).toMatchObject({ _tag: "Failure", failure: { _tag: "ProviderUnavailable", notSent: false } })
      expect(yield* Ref.get(attempts)).toBe(1)
    })
  )

  it.effect("does not start a wait that would end past the deadline: the vendor's error is returned", () =>
    Effect.gen(function* () {
      const { attempts, call } = yield* flaky([new WhatsAppError.RateLimited({ ...context, retryAfterSeconds: 20 })])
      const policy: RetryPolicy.RetryPolicy = { ...RetryPolicy.defaults, deadline: "10 seconds" }
      const result = yield* run(RetryPolicy.retry(call, { kind: "send", policy, context }))
      expect(result).toMatchObject({ _tag: "Failure", failure: { _tag: "RateLimited", retryAfterSeconds: 20 } })
      expect(yield* Ref.get(attempts)).toBe(1)
    })
  )
})
