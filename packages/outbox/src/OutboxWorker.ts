/**
 * Sends what the outbox stored, one number at a time, paced, through the `Dispatcher`.
 *
 * - **One owner per number.** A process drives a number only while it holds the number's lease
 *   (a row in `<table>_numbers`, renewed every third of `lease`). Several workers on one Postgres
 *   share the numbers between them; a number whose owner died is taken over once its lease
 *   expires. Within the owner, a number's sends go one at a time, so pacing needs no other lock.
 * - **Exactly-once intent.** The attempt (`sending`) is stored before the request leaves and the
 *   receipt (`accepted`) after it returns. A send found in `sending` by a new owner — the
 *   previous one died in between — becomes `uncertain`; so does one whose outcome is ambiguous
 *   (a timeout or a 5xx after the request left, a defect). `onUncertain: "skip"` (default) leaves
 *   it there for you to decide; `"resend"` puts it back in line, accepting a possible duplicate.
 *   A receipt that arrives late still settles it as `accepted`.
 * - **Pacing** (`Pacing.nextSlot`) over the number's stored attempts, so a restart or a failover
 *   keeps the gaps and caps. Per recipient, sends go in the order they were made; a recipient
 *   still inside its gap does not hold up the others.
 * - **Reacting to the vendor.** `RateLimited` (or a 503 with `Retry-After`): the number waits
 *   `retryAfter` (default `rateLimitWait`). `NotConnected`: the number pauses until
 *   `Outbox.resume` (a connection event) or, when the dispatcher can tell, a probe says connected.
 *   `Unauthorized`: the number stops until `Outbox.resume`, and the change is reported on
 *   `numberChanges` and in the log. In these three cases the vendor refused the request, so the
 *   send goes back in line, untouched. `ProviderUnavailable` with `notSent` is retried with
 *   backoff up to `maxAttempts`. Other refusals fail the send. Each number has its own loop: one
 *   paused, limited or stopped number never slows another.
 * - **Shutdown** waits for a dispatch in flight and the storing of its outcome; the dispatcher
 *   must bound its own time (the providers do).
 */
import { hostname } from "node:os"
import { Cause, Clock, Duration, Effect, FiberMap, Latch, Layer, Random, type Scope } from "effect"
import type { Dispatcher } from "./Dispatcher.ts"
import { type DriverOptions, makeDriver } from "./internal/driver.ts"
import type { Outbox } from "./Outbox.ts"

export { type Reaction, reaction } from "./internal/driver.ts"

/** Options of `run` / `layer`; all optional. */
export interface Options extends DriverOptions {
  /** How long a number stays owned without renewal. Default 30 seconds. */
  readonly lease?: Duration.Input | undefined
  /** How often the store is checked for numbers with work this process was not told about. Default 1 second. */
  readonly pollInterval?: Duration.Input | undefined
  /**
   * This worker's name in leases. Default `<hostname>:<pid>:<random>`, new at every start; a
   * stable name unique among running processes lets a restart take its numbers back at once.
   */
  readonly owner?: string | undefined
}

/** Starts the worker in the current scope; closing the scope stops it. */
export const run = (options: Options = {}): Effect.Effect<void, never, Outbox | Dispatcher | Scope.Scope> =>
  Effect.gen(function* () {
    const { drive, store, wake } = yield* makeDriver(options)
    const millis = (input: Duration.Input | undefined, fallback: Duration.Input) =>
      Duration.toMillis(Duration.fromInputUnsafe(input ?? fallback))
    const lease = millis(options.lease, "30 seconds")
    const pollInterval = millis(options.pollInterval, "1 second")
    const owner = options.owner ?? `${hostname()}:${process.pid}:${(yield* Random.nextInt).toString(36)}`

    /** Holds the number's lease while driving it; gives it up when done or when it was lost. */
    const owned = (number: string, latch: Latch.Latch) => {
      const renew = Effect.gen(function* () {
        while (true) {
          yield* Effect.sleep(Math.max(1, Math.floor(lease / 3)))
          const now = yield* Clock.currentTimeMillis
          const held = yield* store.renew(number, owner, now + lease).pipe(Effect.orElseSucceed(() => true))
          if (!held) return yield* Effect.logWarning(`outbox: lost the lease of ${number} to another worker`)
        }
      })
      return Effect.raceFirst(drive(number, latch), renew).pipe(
        Effect.tapCause((cause) =>
          Cause.hasInterruptsOnly(cause)
            ? Effect.void
            : Effect.logWarning(`outbox: driving ${number} failed; it will be picked up again`, cause)
        ),
        Effect.ignore,
        Effect.ensuring(store.release(number, owner).pipe(Effect.ignore))
      )
    }

    const drivers = yield* FiberMap.make<string>()
    const latches = new Map<string, Latch.Latch>()
    const discover = Effect.gen(function* () {
      yield* wake.close
      for (const number of yield* store.numbersWithWork) {
        const latch = latches.get(number) ?? Latch.makeUnsafe(false)
        latches.set(number, latch)
        if (yield* FiberMap.has(drivers, number)) {
          yield* latch.open
          continue
        }
        const now = yield* Clock.currentTimeMillis
        if (!(yield* store.acquire(number, owner, now, now + lease))) continue
        yield* FiberMap.run(drivers, number, owned(number, latch), { onlyIfMissing: true })
      }
    })
    yield* discover.pipe(
      Effect.tapCause((cause) => Effect.logWarning("outbox: looking for work failed; will retry", cause)),
      Effect.ignore,
      Effect.andThen(wake.await.pipe(Effect.timeoutOption(pollInterval))),
      Effect.forever,
      Effect.forkScoped
    )
  })

/** The worker as a layer: starts with the layer, stops when it is released. */
export const layer = (options: Options = {}): Layer.Layer<never, never, Outbox | Dispatcher> =>
  Layer.effectDiscard(run(options))
