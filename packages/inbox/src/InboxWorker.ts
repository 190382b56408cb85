/**
 * Delivers the inbox's events to your handler, at least once.
 *
 * - **Order per chat.** Only the oldest pending event of a lane (`Inbox.lane`: a chat of one
 *   instance) is handed out; the next waits until it is handled or dead-lettered, including while
 *   it backs off between attempts.
 * - **Retries** with exponential backoff and jitter (`backoffDelay`), then the dead letters after
 *   `maxAttempts`, where `Inbox.deadLetters` lists them and `Inbox.replay` puts them back.
 * - **Leases.** A claimed event is leased to this worker for `lease`, renewed while the handler
 *   runs. A process that dies leaves its leases to expire; any worker on the store (this one after
 *   a restart, or another process on Postgres) then takes the events again. A crash counts as an
 *   attempt, so an event that kills the process every time still ends in the dead letters.
 * - **Graceful shutdown.** Closing the worker's scope stops claiming, waits for the handlers in
 *   flight up to `shutdownTimeout`, then interrupts the rest and gives their events back
 *   unattempted, due at once.
 *
 * Delivery is at least once: an event whose handler finished just before a crash, before its
 * success was recorded, is handled again. The handler receives the event's inbox key to make
 * itself idempotent.
 */
import { hostname } from "node:os"
import type { WhatsAppEvent } from "@pombo/core"
import { Cause, Clock, Duration, Effect, Exit, FiberSet, Layer, Metric, Random, Schedule, type Scope } from "effect"
import { Inbox } from "./Inbox.ts"
import * as InboxMetrics from "./InboxMetrics.ts"
import * as GroupCommit from "./internal/groupCommit.ts"
import { internalsOf } from "./internal/registry.ts"
import type { Claimed } from "./internal/store.ts"

/** Options of `run` / `layer`. Only `handler` is required. */
export interface Options<E, R> {
  /**
   * Handles one event. Fail (or die) to have it retried; `key` is the event's inbox key
   * (`Inbox.eventKey`), stable across redeliveries, for making the handler idempotent.
   */
  readonly handler: (event: WhatsAppEvent.WhatsAppEvent, key: string) => Effect.Effect<void, E, R>
  /** Handlers running at once in this process. Default 16. */
  readonly concurrency?: number | undefined
  /** Attempts before an event moves to the dead letters. Default 10. */
  readonly maxAttempts?: number | undefined
  /** Delay before the second attempt; doubles per attempt up to `maxBackoff`. Default 1 second. */
  readonly backoff?: Duration.Input | undefined
  /** Longest delay between attempts. Default 5 minutes. */
  readonly maxBackoff?: Duration.Input | undefined
  /** One attempt fails after this long (the handler is interrupted). Default 1 minute. */
  readonly attemptTimeout?: Duration.Input | undefined
  /**
   * How long a claimed event stays leased without renewal; renewed every third of it while its
   * handler runs. After a crash, events in flight are taken again once it expires. Default 30 s.
   */
  readonly lease?: Duration.Input | undefined
  /** How often the store is checked for work this process was not told about. Default 1 second. */
  readonly pollInterval?: Duration.Input | undefined
  /** How long shutdown waits for handlers in flight. Default 10 seconds. */
  readonly shutdownTimeout?: Duration.Input | undefined
  /** How long handled events are kept, and so deduplicated. Default 7 days. */
  readonly retention?: Duration.Input | undefined
  /**
   * This worker's name in leases. Default `<hostname>:<pid>:<random>`, new at every start, so the
   * events a crashed process held come back when their leases expire. Give each process a
   * stable name that no other running process uses (a pod or host name) and a restart takes its
   * own leftover leases back at once instead.
   */
  readonly owner?: string | undefined
}

/**
 * The delay before attempt `attempt + 1` after `attempt` failures: `base · 2^(attempt-1)`, capped
 * at `max`, of which a random half is dropped ("equal jitter") so that events failing together
 * do not retry together. `random` is uniform in [0, 1).
 */
export const backoffDelay = (attempt: number, base: number, max: number, random: number): number => {
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt - 1))
  return ceiling / 2 + (ceiling / 2) * random
}

/** Starts the worker in the current scope; closing the scope shuts it down gracefully. */
export const run = <E, R>(options: Options<E, R>): Effect.Effect<void, never, Inbox | Scope.Scope | R> =>
  Effect.gen(function* () {
    const { store, wake, decode } = internalsOf(yield* Inbox)
    const millis = (input: Duration.Input | undefined, fallback: Duration.Input) =>
      Duration.toMillis(Duration.fromInputUnsafe(input ?? fallback))
    const concurrency = options.concurrency ?? 16
    const maxAttempts = options.maxAttempts ?? 10
    const base = millis(options.backoff, "1 second")
    const maxBackoff = millis(options.maxBackoff, "5 minutes")
    const attemptTimeout = millis(options.attemptTimeout, "1 minute")
    const lease = millis(options.lease, "30 seconds")
    const pollInterval = millis(options.pollInterval, "1 second")
    const shutdownTimeout = millis(options.shutdownTimeout, "10 seconds")
    const retention = millis(options.retention, "7 days")
    const owner = options.owner ?? `${hostname()}:${process.pid}:${(yield* Random.nextInt).toString(36)}`
    if (options.owner !== undefined) {
      yield* store.recover(owner).pipe(
        Effect.tapCause((cause) => Effect.logWarning("inbox: could not take back leftover leases", cause)),
        Effect.ignore
      )
    }

    // Only the rows whose handlers run are renewed: a row whose outcome could not be written
    // must see its lease expire, so that it is taken again.
    const running = new Set<number>()

    // A store that is briefly unreachable must not lose a settlement: retry it for up to a lease.
    const settle = <A, X>(effect: Effect.Effect<A, X>) =>
      effect.pipe(
        Effect.retry(Schedule.exponential("50 millis").pipe(Schedule.upTo({ duration: lease }))),
        Effect.tapCause((cause) =>
          Effect.logWarning("inbox: could not record an outcome; the lease will expire", cause)
        ),
        Effect.ignore,
        Effect.uninterruptible
      )

    // Handlers that finish together are recorded by one statement (see GroupCommit).
    const complete = yield* GroupCommit.make(
      (seqs: ReadonlyArray<number>) =>
        Clock.currentTimeMillis.pipe(
          Effect.flatMap((now) => settle(store.complete(seqs, owner, now))),
          Effect.as(seqs.map(() => undefined))
        ),
      256
    )

    const handle = (row: Claimed) =>
      Effect.gen(function* () {
        const event = yield* Effect.exit(decode(row.json))
        if (Exit.isFailure(event)) {
          const error = `the stored event no longer decodes as a WhatsAppEvent: ${Cause.pretty(event.cause)}`
          yield* settle(store.bury(row.seq, owner, yield* Clock.currentTimeMillis, error))
          return yield* Metric.update(InboxMetrics.deadLettered, 1)
        }
        if (row.attempts > maxAttempts) {
          // Claimed again after its last attempt's lease expired: that attempt crashed the process.
          const error = "lease expired during the last attempt (the process stopped while handling it)"
          yield* settle(store.bury(row.seq, owner, yield* Clock.currentTimeMillis, error))
          return yield* Metric.update(InboxMetrics.deadLettered, 1)
        }
        const started = yield* Clock.currentTimeMillis
        running.add(row.seq)
        const exit = yield* options.handler(event.value, row.key).pipe(
          Effect.timeoutOrElse({
            duration: attemptTimeout,
            orElse: () => Effect.die(new Error(`handler did not finish within ${attemptTimeout} ms`))
          }),
          Effect.exit,
          Effect.ensuring(Effect.sync(() => running.delete(row.seq)))
        )
        const now = yield* Clock.currentTimeMillis
        yield* Metric.update(InboxMetrics.handlerDuration, Duration.millis(now - started))
        if (Exit.isSuccess(exit)) {
          yield* complete(row.seq)
          return yield* Metric.update(InboxMetrics.handled, 1)
        }
        const error = Cause.pretty(exit.cause)
        if (row.attempts >= maxAttempts) {
          yield* settle(store.bury(row.seq, owner, now, error))
          return yield* Metric.update(InboxMetrics.deadLettered, 1)
        }
        const delay = backoffDelay(row.attempts, base, maxBackoff, yield* Random.next)
        yield* settle(store.retry(row.seq, owner, now + Math.round(delay), error))
        yield* Metric.update(InboxMetrics.retried, 1)
      }).pipe(
        Effect.onInterrupt(() => settle(store.release(row.seq, owner))),
        // Whatever happened, the lane or a slot may be free now.
        Effect.ensuring(wake.open)
      )

    // Added first, so closed last: leases stay renewed while shutdown waits for the handlers.
    yield* Clock.currentTimeMillis.pipe(
      Effect.flatMap((now) => (running.size === 0 ? Effect.void : store.renew(owner, [...running], now + lease))),
      Effect.ignore,
      Effect.repeat(Schedule.spaced(Math.max(1, Math.floor(lease / 3)))),
      Effect.forkScoped
    )
    const handlers = yield* FiberSet.make<void, never>()
    yield* Effect.addFinalizer(() =>
      FiberSet.awaitEmpty(handlers).pipe(Effect.timeoutOption(shutdownTimeout), Effect.asVoid)
    )

    // Uninterruptible, so shutdown never strands a claimed event outside the handler set.
    const poll = Effect.gen(function* () {
      yield* wake.close
      const free = concurrency - (yield* FiberSet.size(handlers))
      if (free <= 0) return false
      const now = yield* Clock.currentTimeMillis
      const rows = yield* store.claim(owner, now, now + lease, free).pipe(
        Effect.tapCause((cause) => Effect.logWarning("inbox: claiming events failed; will retry", cause)),
        Effect.orElseSucceed(() => [])
      )
      for (const row of rows) yield* FiberSet.run(handlers, handle(row))
      return rows.length === free
    }).pipe(Effect.uninterruptible)
    // Claims again at once while there may be more; otherwise sleeps until woken or polled.
    yield* poll.pipe(
      Effect.flatMap((maybeMore) =>
        maybeMore ? Effect.yieldNow : wake.await.pipe(Effect.timeoutOption(pollInterval), Effect.asVoid)
      ),
      Effect.forever,
      Effect.forkScoped
    )

    yield* Clock.currentTimeMillis.pipe(
      Effect.flatMap((now) => store.purge(now - retention)),
      Effect.ignore,
      Effect.repeat(Schedule.spaced(Math.min(retention, 3_600_000))),
      Effect.forkScoped
    )
  })

/** The worker as a layer: starts with the layer, shuts down gracefully when it is released. */
export const layer = <E, R>(options: Options<E, R>): Layer.Layer<never, never, Inbox | R> =>
  Layer.effectDiscard(run(options))
