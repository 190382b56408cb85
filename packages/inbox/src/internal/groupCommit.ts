/**
 * Group commit: what callers submit while a write is running is written together by the next
 * one, so a store that fsyncs every commit pays one fsync per batch instead of one per call. A
 * lone call is written at once; nothing waits for a batch to fill.
 */
import { Deferred, Effect, Exit, Latch, type Scope } from "effect"

/**
 * Returns `submit`, which resolves with the output `write` gave for that item. `write` must answer
 * one output per input, in order; when it fails, every item of the batch fails with its error.
 */
export const make = <I, O, E>(
  write: (batch: ReadonlyArray<I>) => Effect.Effect<ReadonlyArray<O>, E>,
  maxBatch: number
): Effect.Effect<(item: I) => Effect.Effect<O, E>, never, Scope.Scope> =>
  Effect.gen(function* () {
    const queued: Array<readonly [I, Deferred.Deferred<O, E>]> = []
    const signal = yield* Latch.make(false)
    const writeNext = Effect.gen(function* () {
      yield* signal.await
      yield* signal.close
      while (queued.length > 0) {
        const batch = queued.splice(0, maxBatch)
        const exit = yield* Effect.exit(write(batch.map(([item]) => item)))
        for (let i = 0; i < batch.length; i++) {
          const done = batch[i]![1]
          Deferred.doneUnsafe(done, Exit.isSuccess(exit) ? Exit.succeed(exit.value[i]!) : Exit.failCause(exit.cause))
        }
      }
    })
    yield* writeNext.pipe(Effect.forever, Effect.forkScoped)
    return (item: I) =>
      Effect.suspend(() => {
        const done = Deferred.makeUnsafe<O, E>()
        queued.push([item, done])
        return Effect.andThen(signal.open, Deferred.await(done))
      })
  })
