/** What the worker needs from an `Inbox` beyond its public face, kept off the service shape. */

import type { WhatsAppEvent } from "@pombo/core"
import type { Effect, Latch, Schema } from "effect"
import type { Store } from "./store.ts"

export interface Internals {
  readonly store: Store
  /** Opened whenever there may be new work: a new event, a replay. */
  readonly wake: Latch.Latch
  readonly decode: (json: string) => Effect.Effect<WhatsAppEvent.WhatsAppEvent, Schema.SchemaError>
}

const internals = new WeakMap<object, Internals>()

export const register = (inbox: object, value: Internals) => {
  internals.set(inbox, value)
}

export const internalsOf = (inbox: object): Internals => {
  const found = internals.get(inbox)
  if (found === undefined) throw new Error("InboxWorker needs an Inbox built by Inbox.make or Inbox.layer")
  return found
}
