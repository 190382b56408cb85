/**
 * The timeouts every call carries: the exchange's (`HttpClientRuntime`) and the retry deadline
 * (`RetryPolicy`), served by one timer where one suffices.
 *
 * `timeoutOrElse` is `Effect.timeoutOrElse` at a third of the cost: `Effect.timeoutOrElse` races
 * the effect against a sleep in two forked fibers, and the losing sleep (holding its timer) lives
 * on until the caller's fiber ends. Here the effect runs in one forked fiber beside a plain timer,
 * which is cleared as soon as the effect completes. The timer is the platform's `setTimeout`, so
 * this holds only under the default `Clock`; under any other clock (`TestClock`) it is
 * `Effect.timeoutOrElse` itself, which sleeps on that clock.
 *
 * `withDeadline` runs a call under a deadline and tells the exchanges inside it when it ends;
 * `exchangeTimeout` starts no timer for an exchange the deadline ends no later than,
 * since the deadline's timer fires first and fails the call with the deadline's error — which is
 * what happened when both timers ran (the deadline's, started first, fired first). So a send
 * under the default policy (deadline = timeout) runs one timer and one forked fiber, not two.
 */
import { Clock, Duration, Effect, Fiber } from "effect"

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

/**
 * When the deadline each fiber runs a call under ends, in its clock's milliseconds (the clock
 * `withDeadline` read). Kept beside the fiber rather than in its context: a context change costs
 * every send a rebuild of the fiber's context cache, twice.
 */
const deadlines = new WeakMap<Fiber.Fiber<unknown, unknown>, number>()

/**
 * Runs `self(endsAt)` under a deadline of `duration` (see `timeoutOrElse`); exchanges it runs in
 * the same fiber see `endsAt` (`exchangeTimeout`).
 */
export const withDeadline = <A, E, R, E2>(
  self: (endsAt: number) => Effect.Effect<A, E, R>,
  duration: Duration.Duration,
  orElse: () => Effect.Effect<never, E2>
): Effect.Effect<A, E | E2, R> =>
  Effect.clockWith((clock) => {
    const endsAt = clock.currentTimeMillisUnsafe() + Duration.toMillis(duration)
    const marked = Effect.withFiber((fiber) => {
      deadlines.set(fiber, endsAt)
      return self(endsAt)
    })
    return timeoutOrElse(marked, duration, orElse)
  })

/**
 * `timeoutOrElse` for one exchange: no timer when the deadline its fiber runs under ends no
 * later than the exchange's own time would.
 */
export const exchangeTimeout = <A, E, R, E2>(
  self: Effect.Effect<A, E, R>,
  duration: Duration.Duration,
  orElse: () => Effect.Effect<never, E2>
): Effect.Effect<A, E | E2, R> =>
  Effect.withFiber((fiber) => {
    // The marked fiber is the one `timeoutOrElse` (or the race under another clock) forked for the
    // call, and it ends with it; a deadline already past is not trusted to fire.
    const endsAt = deadlines.get(fiber)
    const now = fiber.getRef(Clock.Clock).currentTimeMillisUnsafe()
    return endsAt !== undefined && endsAt > now && endsAt <= now + Duration.toMillis(duration)
      ? self
      : timeoutOrElse(self, duration, orElse)
  })
