/** What the worker needs from an `Outbox` beyond its public face, kept off the service shape. */
import type { Effect, Latch } from "effect"
import type { NumberRow, Row, Store } from "./store.ts"

export interface Internals {
  readonly store: Store
  /** Opened whenever there may be new work: a send, a resume. */
  readonly wake: Latch.Latch
  /** Tells `watch` and `changes` subscribers about a changed send. */
  readonly publish: (row: Row | undefined) => Effect.Effect<void>
  /** Tells `numberChanges` subscribers about a changed number. */
  readonly publishNumber: (row: NumberRow | undefined) => Effect.Effect<void>
}

const internals = new WeakMap<object, Internals>()

export const register = (outbox: object, value: Internals) => {
  internals.set(outbox, value)
}

export const internalsOf = (outbox: object): Internals => {
  const found = internals.get(outbox)
  if (found === undefined) throw new Error("OutboxWorker needs an Outbox built by Outbox.make or Outbox.layer")
  return found
}
