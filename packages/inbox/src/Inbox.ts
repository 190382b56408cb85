/**
 * The durable inbox: where a received `WhatsAppEvent` is written before the vendor gets its 2xx.
 *
 * `put` stores the event under a unique key (provider, instance, event id); a second `put` of the
 * same event is a no-op that says so, which is the inbox's dedupe — as durable as the store and
 * shared by every process using it. `InboxWorker` then delivers what is stored. The store is
 * whatever `SqlClient` is provided: `@pombo/sql-sqlite` for one process, `@effect/sql-pg` for
 * several; the same migrations and queries run on both.
 */
import { WhatsAppEvent as Events } from "@pombo/core"
import type * as WebhookReceiver from "@pombo/core/WebhookReceiver"
import { Cause, Clock, Context, Effect, Latch, Layer, Metric, Schema } from "effect"
import type { SqlClient } from "effect/sql"
import * as InboxMetrics from "./InboxMetrics.ts"
import * as GroupCommit from "./internal/groupCommit.ts"
import { register } from "./internal/registry.ts"
import { makeStore } from "./internal/store.ts"

type WhatsAppEvent = Events.WhatsAppEvent

/** The store failed (unreachable, locked, full) or the event could not be encoded. */
export class InboxError extends Schema.TaggedError<InboxError>()("InboxError", {
  operation: Schema.String,
  cause: Schema.Defect()
}) {
  override get message() {
    return `inbox ${this.operation} failed: ${this.cause instanceof Error ? this.cause.message : String(this.cause)}`
  }
}

/** What `put` did: `duplicate` is true when the key was already stored (a redelivery). */
export interface PutResult {
  readonly key: string
  readonly duplicate: boolean
}

/** An event that failed `maxAttempts` times (or no longer decodes), kept until replayed. */
export interface DeadLetter {
  readonly key: string
  /** The stored event; `undefined` when its JSON no longer decodes (see `json`). */
  readonly event: WhatsAppEvent | undefined
  /** The event as stored. */
  readonly json: string
  readonly attempts: number
  /** The last failure, as `Cause.pretty` rendered it. */
  readonly lastError: string | null
  readonly receivedAt: Date
  readonly deadAt: Date
}

/** How many stored events are in each state. */
export interface Counts {
  /** Waiting, backing off between attempts, or being handled. */
  readonly pending: number
  /** Handled and kept for dedupe until the worker's `retention` passes. */
  readonly handled: number
  readonly dead: number
}

/** The inbox service. */
export interface Inbox {
  /** Stores the event unless it is already stored; succeed only once it is durable. */
  readonly put: (event: WhatsAppEvent) => Effect.Effect<PutResult, InboxError>
  /** The dead letters, oldest first (default limit 100). */
  readonly deadLetters: (options?: { readonly limit?: number }) => Effect.Effect<ReadonlyArray<DeadLetter>, InboxError>
  /** Puts one dead letter back in line with a fresh attempt budget; false when `key` is not dead. */
  readonly replay: (key: string) => Effect.Effect<boolean, InboxError>
  /** Replays every dead letter; returns how many. */
  readonly replayAll: Effect.Effect<number, InboxError>
  readonly counts: Effect.Effect<Counts, InboxError>
}

/** The `Inbox` service tag. */
export const Inbox = Context.Service<Inbox>("@pombo/inbox/Inbox")

/** Options of `make` / `layer`. */
export interface Options {
  /** Table name, default `pombo_inbox` (migrations are recorded in `<table>_migrations`). */
  readonly table?: string | undefined
}

/**
 * The inbox's unique key of an event: provider, instance and the event's id. The instance is
 * part of it because two numbers in the same group each receive the group's messages, with the
 * same message id, and each must be handled.
 */
export const eventKey = (event: WhatsAppEvent): string => `${event.provider}:${event.instance ?? ""}:${event.id}`

/**
 * The ordering lane of an event: events of one lane reach the handler one at a time, in arrival
 * order. A lane is a chat of one instance (messages, statuses, presence, group changes), the
 * instance's connection, its account notices, or — for a status without a chat — the message it is about. `Unknown`
 * events are independent of each other.
 */
export const lane = (event: WhatsAppEvent): string => {
  const scope = `${event.provider}:${event.instance ?? ""}`
  switch (event._tag) {
    case "MessageReceived":
    case "PresenceUpdate":
      return `${scope}:${chatKey(event.chat)}`
    case "MessageStatus":
      return event.chat ? `${scope}:${chatKey(event.chat)}` : `${scope}:message:${event.messageId}`
    case "GroupUpdate":
      return `${scope}:${chatKey(event.group)}`
    case "ConnectionUpdate":
      return `${scope}:connection`
    case "AccountUpdate":
      return `${scope}:account`
    case "Unknown":
      return `${scope}:unknown:${event.id}`
  }
}

const chatKey = (
  chat: { readonly _tag: "Contact"; readonly phone: string } | { readonly _tag: string; readonly id: string }
) => ("phone" in chat ? `contact:${chat.phone}` : `${chat._tag.toLowerCase()}:${chat.id}`)

/** The JSON form of a stored event, through `WhatsAppEvent`'s own schema. */
export const EventJson = Schema.fromJsonString(Schema.toCodecJson(Events.WhatsAppEvent))

/**
 * Migrates the table and builds the inbox over the provided `SqlClient`. `put`s that arrive
 * together are written in one statement (group commit), each still answered on its own.
 */
export const make = Effect.fnUntraced(function* (options: Options = {}) {
  const store = yield* makeStore(options.table ?? "pombo_inbox").pipe(
    Effect.mapError((cause) => new InboxError({ operation: "migrate", cause }))
  )
  const wake = yield* Latch.make(false)
  const insert = yield* GroupCommit.make(
    (events: ReadonlyArray<{ readonly key: string; readonly lane: string; readonly json: string }>) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => store.insert(events, now)),
    256
  )
  const fail = (operation: string) => (cause: unknown) => new InboxError({ operation, cause })
  const encode = Schema.encodeEffect(EventJson)
  const decode = Schema.decodeUnknownEffect(EventJson)

  const inbox = Inbox.of({
    put: (event) =>
      Effect.gen(function* () {
        const key = eventKey(event)
        const json = yield* Effect.mapError(encode(event), fail("encode"))
        const stored = yield* Effect.mapError(insert({ key, lane: lane(event), json }), fail("put"))
        yield* Metric.update(stored ? InboxMetrics.received : InboxMetrics.duplicates, 1)
        if (stored) yield* wake.open
        return { key, duplicate: !stored }
      }),
    deadLetters: (options) =>
      store.deadLetters(options?.limit ?? 100).pipe(
        Effect.mapError(fail("deadLetters")),
        Effect.flatMap((rows) =>
          Effect.forEach(rows, (row) =>
            Effect.map(Effect.option(decode(row.json)), (event) => ({
              key: row.key,
              event: event._tag === "Some" ? event.value : undefined,
              json: row.json,
              attempts: row.attempts,
              lastError: row.lastError,
              receivedAt: new Date(row.receivedAt),
              deadAt: new Date(row.deadAt)
            }))
          )
        )
      ),
    replay: (key) =>
      Clock.currentTimeMillis.pipe(
        Effect.flatMap((now) => store.replay(key, now)),
        Effect.mapError(fail("replay")),
        Effect.tap((n) => (n > 0 ? wake.open : Effect.void)),
        Effect.map((n) => n > 0)
      ),
    replayAll: Clock.currentTimeMillis.pipe(
      Effect.flatMap((now) => store.replay(undefined, now)),
      Effect.mapError(fail("replay")),
      Effect.tap((n) => (n > 0 ? wake.open : Effect.void))
    ),
    counts: Effect.mapError(store.counts, fail("counts"))
  })
  register(inbox, { store, wake, decode })
  return inbox
})

/**
 * The inbox as the webhook receiver's `sink` (`WebhookReceiver.layer({ …, sink })`): the events of
 * a call are stored in order, and the vendor gets 200 once all are durable — a redelivery of a
 * stored event included, which is not stored or handled again; 500 when the store fails, so the
 * vendor redelivers. `InboxWorker` hands the stored events to the handler. `InboxReceiver` wires
 * all three together.
 */
export const sinkOf = (inbox: Inbox): WebhookReceiver.EventSink => ({
  accept: (events) =>
    Effect.forEach(events, (event) => inbox.put(event), { discard: true }).pipe(
      Effect.as("accepted" as const),
      Effect.catchCause((cause) =>
        // Interrupted at the receiver's shutdown: it answers 503 itself.
        Cause.hasInterruptsOnly(cause)
          ? Effect.interrupt
          : Effect.as(Effect.logError("pombo inbox: could not store a webhook event", cause), "failed" as const)
      )
    )
})

/** `sinkOf` the `Inbox` in context. */
export const sink: Effect.Effect<WebhookReceiver.EventSink, never, Inbox> = Inbox.useSync(sinkOf)

/** Provides `Inbox` over the `SqlClient` in context, migrating its table first. */
export const layer = (options: Options = {}): Layer.Layer<Inbox, InboxError, SqlClient.SqlClient> =>
  Layer.effect(Inbox, make(options))
