/**
 * The outbox on effect's cluster (`effect/cluster`): one entity per number, so the cluster's
 * sharding decides which runner drives each number and guarantees there is one at a time — no
 * lease rows. Use it instead of `OutboxWorker` when the application already runs the cluster:
 * `SingleRunner.layer()` over the same `SqlClient` for one process (SQLite or Postgres), or
 * runners sharing Postgres (`@effect/platform-node`'s `NodeClusterSocket.layer()`), where a
 * runner's numbers move to the others when it dies.
 *
 * The entity holds no state of its own: a send's state, the number's pacing history and its
 * pause/stop are the outbox tables, so an entity that moves to another runner carries on where
 * the last one stopped (a send it finds `sending` becomes `uncertain`, as after any crash). Its
 * one message, `Wake`, is volatile: every runner looks for numbers with work at start-up, after
 * a local `send` or `resume`, and every `pollInterval`, and wakes their entities wherever they live.
 */
import { Cause, Duration, Effect, Latch, Layer } from "effect"
import { Entity, type Sharding } from "effect/cluster"
import { Rpc } from "effect/rpc"
import type { Dispatcher } from "./Dispatcher.ts"
import { type DriverOptions, makeDriver } from "./internal/driver.ts"
import { internalsOf } from "./internal/registry.ts"
import { Outbox } from "./Outbox.ts"

/** There may be sends to make for the entity's number. */
export const Wake = Rpc.make("Wake")

/** One entity per WhatsApp number; the entity id is the number (`provider:instance`). */
export const OutboxNumber = Entity.make("PomboOutboxNumber", [Wake])

/** Options of `layer`; all optional. */
export interface Options extends DriverOptions {
  /** How often each runner looks for numbers with work it was not told about. Default 5 seconds. */
  readonly pollInterval?: Duration.Input | undefined
  /** How long an entity with nothing to do stays active. Default 1 minute. */
  readonly maxIdleTime?: Duration.Input | undefined
}

/** Registers the number entity and the wake-up loop with the `Sharding` in context. */
export const layer = (options: Options = {}): Layer.Layer<never, never, Outbox | Dispatcher | Sharding.Sharding> => {
  const pollInterval = Duration.fromInputUnsafe(options.pollInterval ?? "5 seconds")
  const entity = OutboxNumber.toLayer(
    Effect.gen(function* () {
      const { drive } = yield* makeDriver(options)
      const number = (yield* Entity.CurrentAddress).entityId
      const latch = yield* Latch.make(true)
      // Drives while there is work, then waits for the next `Wake`; lives as long as the entity.
      yield* latch.await.pipe(
        Effect.andThen(latch.close),
        Effect.andThen(drive(number, latch)),
        Effect.tapCause((cause) =>
          Cause.hasInterruptsOnly(cause)
            ? Effect.void
            : Effect.logWarning(`outbox: driving ${number} failed; it will be woken again`, cause)
        ),
        Effect.ignore,
        Effect.forever,
        Effect.forkScoped
      )
      return OutboxNumber.of({ Wake: () => Effect.asVoid(latch.open) })
    }),
    { maxIdleTime: options.maxIdleTime ?? "1 minute" }
  )
  const wakeUp = Layer.effectDiscard(
    Effect.gen(function* () {
      const { store, wake } = internalsOf(yield* Outbox)
      const clientFor = yield* OutboxNumber.client
      yield* wake.close.pipe(
        Effect.andThen(store.numbersWithWork),
        Effect.flatMap((numbers) => Effect.forEach(numbers, (number) => clientFor(number).Wake(), { discard: true })),
        Effect.tapCause((cause) => Effect.logWarning("outbox: waking numbers failed; will retry", cause)),
        Effect.ignore,
        Effect.andThen(wake.await.pipe(Effect.timeoutOption(pollInterval))),
        Effect.forever,
        Effect.forkScoped
      )
    })
  )
  return Layer.merge(entity, wakeUp)
}
