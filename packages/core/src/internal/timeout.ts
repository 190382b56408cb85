/**
 * `Effect.timeoutOrElse` for the timeouts every call carries (the exchange's and the retry
 * deadline), at a third of the cost: `Effect.timeoutOrElse` races the effect against a sleep in
 * two forked fibers, and the losing sleep (holding its timer) lives on until the caller's fiber
 * ends. Here the effect runs in one forked fiber beside a plain timer, which is cleared as soon as
 * the effect completes.
 *
 * The timer is the platform's `setTimeout`, so this holds only under the default `Clock`; under
 * any other clock (`TestClock`) it is `Effect.timeoutOrElse` itself, which sleeps on that clock.
 */
import { Duration, Effect, Fiber } from "effect"

/** The default clock: the only one whose time is the platform's timers. */
const systemClock = Effect.runSync(Effect.clockWith(Effect.succeed))

/** Longest delay `setTimeout` takes as is. */
const maxTimerMillis = 2 ** 31 - 1

/**
 * Runs `self`; past `duration` it is interrupted (and awaited) and `orElse` is run instead, as
 * with `Effect.timeoutOrElse`.
 */
export const timeoutOrElse = <A, E, R, E2>(
  self: Effect.Effect<A, E, R>,
  duration: Duration.Duration,
  orElse: () => Effect.Effect<never, E2>
): Effect.Effect<A, E | E2, R> =>
  Effect.clockWith((clock) => {
    const millis = Duration.toMillis(duration)
    if (clock !== systemClock || !(millis > 0 && millis <= maxTimerMillis)) {
      return Effect.timeoutOrElse(self, { duration, orElse })
    }
    return Effect.flatMap(Effect.forkChild(self, { startImmediately: true }), (fiber) =>
      Effect.callback<A, E | E2>((resume) => {
        const timer = setTimeout(() => resume(Effect.andThen(Fiber.interrupt(fiber), orElse())), millis)
        fiber.addObserver((exit) => {
          clearTimeout(timer)
          resume(exit)
        })
        // The caller interrupted: the timer goes, and the effect is interrupted and awaited.
        return Effect.andThen(
          Effect.sync(() => clearTimeout(timer)),
          Fiber.interrupt(fiber)
        )
      })
    )
  })
