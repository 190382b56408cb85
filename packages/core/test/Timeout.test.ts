/**
 * The timeout every call carries (the exchange's and the retry deadline): on the real clock an
 * effect past its time is interrupted and awaited, and the fallback answers; an effect within
 * its time answers itself; a caller giving up interrupts it; under `TestClock` it sleeps on the
 * test clock like `Effect.timeoutOrElse`.
 */
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Duration, Effect, Exit, Fiber, Ref } from "effect"
import { TestClock } from "effect/testing"
import { exchangeTimeout, timeoutOrElse, withDeadline } from "../src/internal/timeout.ts"

const late = Effect.fail("late" as const)

describe("timeoutOrElse", () => {
  it.live("interrupts an effect past its time, waits for it to stop, then answers the fallback", () =>
    Effect.gen(function* () {
      const stopped = yield* Ref.make(false)
      const slow = Effect.never.pipe(Effect.onInterrupt(() => Effect.delay(Ref.set(stopped, true), "20 millis")))
      const error = yield* Effect.flip(timeoutOrElse(slow, Duration.millis(30), () => late))
      expect(error).toBe("late")
      expect(yield* Ref.get(stopped)).toBe(true)
    })
  )

  it.live("answers with the effect's own success or failure within its time", () =>
    Effect.gen(function* () {
      expect(yield* timeoutOrElse(Effect.delay(Effect.succeed(1), "5 millis"), Duration.seconds(5), () => late)).toBe(1)
      expect(yield* timeoutOrElse(Effect.succeed(2), Duration.seconds(5), () => late)).toBe(2)
      const failed = yield* Effect.exit(timeoutOrElse(Effect.fail("own" as const), Duration.seconds(5), () => late))
      expect(failed).toEqual(Exit.fail("own"))
    })
  )

  it.live("interrupts the effect when the caller is interrupted", () =>
    Effect.gen(function* () {
      const started = yield* Deferred.make<void>()
      const stopped = yield* Ref.make(false)
      const slow = Deferred.succeed(started, undefined).pipe(
        Effect.andThen(Effect.never),
        Effect.onInterrupt(() => Ref.set(stopped, true))
      )
      const fiber = yield* Effect.forkChild(timeoutOrElse(slow, Duration.seconds(30), () => late))
      yield* Deferred.await(started)
      yield* Fiber.interrupt(fiber)
      expect(yield* Ref.get(stopped)).toBe(true)
    })
  )

  it.effect("sleeps on TestClock when the test clock is in use", () =>
    Effect.gen(function* () {
      const fiber = yield* Effect.forkChild(timeoutOrElse(Effect.never, Duration.minutes(10), () => late))
      yield* TestClock.adjust("9 minutes")
      expect(fiber.pollUnsafe()).toBeUndefined()
      yield* TestClock.adjust("1 minute")
      expect(yield* Effect.flip(Fiber.join(fiber))).toBe("late")
    })
  )

  it.live("an exchange under a deadline that ends sooner is stopped by the deadline, with its error", () =>
    Effect.gen(function* () {
      const exchange = exchangeTimeout(Effect.never, Duration.millis(60), () => Effect.fail("exchange" as const))
      const error = yield* Effect.flip(
        withDeadline(
          () => exchange,
          Duration.millis(30),
          () => late
        )
      )
      expect(error).toBe("late")
    })
  )

  it.live("an exchange whose own time ends before the deadline times out with its own error", () =>
    Effect.gen(function* () {
      const exchange = exchangeTimeout(Effect.never, Duration.millis(20), () => Effect.fail("exchange" as const))
      const error = yield* Effect.flip(
        withDeadline(
          () => exchange,
          Duration.seconds(5),
          () => late
        )
      )
      expect(error).toBe("exchange")
      // Outside any deadline an exchange keeps its own timer.
      expect(yield* Effect.flip(exchange)).toBe("exchange")
    })
  )
})
