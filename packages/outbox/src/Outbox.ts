/**
 * The durable outbox: where a send is stored before it leaves, under the caller's idempotency
 * key. `send` returns a ticket at once; `OutboxWorker` sends it later, paced per number, through
 * the `Dispatcher`. A second `send` with the same key never sends again: it returns the first
 * ticket. The store is whatever `SqlClient` is provided — `@pombo/sql-sqlite` for one process,
 * `@effect/sql-pg` for several — and the same migrations and queries run on both.
 *
 * A send's lifecycle:
 *
 * ```
 * queued ─▶ sending ─▶ accepted ─▶ delivered ─▶ read
 *   │  ▲       ├──────▶ failed       (the vendor refused it: typed error, final)
 *   │  └───────┤                     (not sent: rate limited, not connected, unauthorized,
 *   │          │                      unreachable before sending — in line again)
 *   │          └──────▶ uncertain    (the vendor may have it: no receipt; `onUncertain` decides)
 *   └─▶ cancelled
 * ```
 */
import { WhatsAppError, type WhatsAppEvent } from "@pombo/core"
import {
  Clock,
  Context,
  Duration,
  Effect,
  Latch,
  Layer,
  Metric,
  Option,
  PubSub,
  Schedule,
  Schema,
  Stream
} from "effect"
import type { SqlClient } from "effect/sql"
import { register } from "./internal/registry.ts"
import { makeStore, type NumberRow, type Row } from "./internal/store.ts"
import * as OutboxMetrics from "./OutboxMetrics.ts"
import * as SendOperation from "./SendOperation.ts"

/** The store failed (unreachable, locked, full), or a send has no key or a malformed number. */
export class OutboxError extends Schema.TaggedError<OutboxError>()("OutboxError", {
  operation: Schema.String,
  cause: Schema.Defect()
}) {
  override get message() {
    return `outbox ${this.operation} failed: ${describeCause(this.cause)}`
  }
}

/** A cause's message; never throws, even for a copy without a prototype (as test runners make). */
const describeCause = (cause: unknown): string => {
  const message = typeof cause === "object" && cause !== null ? (cause as { message?: unknown }).message : undefined
  if (typeof message === "string") return message
  try {
    return String(cause)
  } catch {
    return Object.prototype.toString.call(cause)
  }
}

/**
 * A send to make: any sending operation of `WhatsApp` (`SendOperation.names`) with its own input,
 * typed by the operation's name. The recipient (the unit of the per-recipient gap) is the input's
 * chat: its `to`, or the chat of the message it replies or reacts to.
 */
export interface SendRequest<N extends SendOperation.Name = SendOperation.Name> {
  /** Your idempotency key: a second `send` with it returns the first ticket and sends nothing. */
  readonly key: string
  /** The sending number, `provider:instance` (e.g. `zapi:3C01A…`): the unit of pacing. */
  readonly number: string
  /** The operation the `Dispatcher` performs, e.g. `sendText`. */
  readonly operation: N
  /** The operation's input, as `WhatsApp` takes it; checked against its schema before it is stored. */
  readonly input: SendOperation.Input<N>
  /** The campaign the send belongs to, counted by `Campaign.progress` (set by `Campaign.start`). */
  readonly campaign?: string | undefined
}

/** What `send` stored. `duplicate` is true when the key was already there (nothing new is sent). */
export interface Ticket {
  readonly key: string
  readonly number: string
  readonly recipient: string
  readonly operation: string
  readonly createdAt: Date
  readonly duplicate: boolean
}

/** Where a send is in its lifecycle (see the module doc). */
export type State = "queued" | "sending" | "accepted" | "delivered" | "read" | "failed" | "uncertain" | "cancelled"

/** A send's status. */
export interface Status {
  readonly key: string
  readonly number: string
  readonly recipient: string
  readonly operation: string
  readonly state: State
  /** Attempts that reached the dispatcher. */
  readonly attempts: number
  /** Attempts that ended without a receipt or a certain refusal. */
  readonly uncertainAttempts: number
  /** The vendor's message id, once accepted. */
  readonly messageId: string | undefined
  /** The last error: why it failed, why it is uncertain, or why it is waiting again. */
  readonly error: WhatsAppError.WhatsAppError | undefined
  readonly createdAt: Date
  readonly updatedAt: Date
  readonly acceptedAt: Date | undefined
  readonly deliveredAt: Date | undefined
  readonly readAt: Date | undefined
}

/** Whether a number sends (`active`), waits for its connection (`paused`) or was refused (`stopped`). */
export type NumberState = "active" | "paused" | "stopped"

/** A number's status. */
export interface NumberStatus {
  readonly number: string
  readonly state: NumberState
  /** Why it is paused or stopped: the vendor's `NotConnected` or `Unauthorized`. */
  readonly reason: WhatsAppError.WhatsAppError | undefined
  /** A rate limit: nothing is sent before this time. */
  readonly resumeAt: Date | undefined
  /** The number's first send, from which its warm-up is counted. */
  readonly warmupStartedAt: Date | undefined
}

/** The outbox service. */
export interface Outbox {
  /** Stores the send (or finds the one with the same key); succeeds once it is durable. */
  readonly send: <N extends SendOperation.Name>(
    request: SendRequest<N>
  ) => Effect.Effect<Ticket, OutboxError | WhatsAppError.InvalidRequest>
  readonly status: (key: string) => Effect.Effect<Status | undefined, OutboxError>
  /**
   * The send's status now and every change after it, until it is read, failed or cancelled.
   * Changes made in this process arrive at once, others within `pollInterval`.
   */
  readonly watch: (key: string) => Stream.Stream<Status, OutboxError>
  /** Every status change made in this process. */
  readonly changes: Stream.Stream<Status>
  /**
   * Every change from the moment this effect runs, made by any process on this store: read every
   * `pollInterval`, each send shown in its latest state (two changes of one send within an
   * interval show as the second). Changes committed up to `tailOverlap` late are still shown,
   * once. An effect rather than a stream, so that "from now" is fixed before you tell anyone
   * you are following: a change made after that is shown however late the stream starts.
   */
  readonly tail: Effect.Effect<Stream.Stream<Status, OutboxError>>
  /** Cancels a send that is still queued; false when it already left (or does not exist). */
  readonly cancel: (key: string) => Effect.Effect<boolean, OutboxError>
  /**
   * Records a delivery or read receipt of an accepted send, matched by the number and the
   * vendor's message id; false when no send matched or it was already further.
   */
  readonly recordStatus: (receipt: {
    readonly number: string
    readonly messageId: string
    readonly status: "delivered" | "read"
    readonly at?: Date | undefined
  }) => Effect.Effect<boolean, OutboxError>
  /**
   * Feeds an inbound event to the outbox: a `MessageStatus` (delivered, read, played) records
   * the receipt, a `ConnectionUpdate` saying connected resumes a paused number. Other events
   * are ignored. Call it from the inbox's handler.
   */
  readonly onEvent: (event: WhatsAppEvent.WhatsAppEvent) => Effect.Effect<void, OutboxError>
  readonly numberStatus: (number: string) => Effect.Effect<NumberStatus | undefined, OutboxError>
  /** Every change of a number's state made in this process: paused, stopped, resumed. */
  readonly numberChanges: Stream.Stream<NumberStatus>
  /**
   * Lets a paused or stopped number send again (its connection is back, its token was fixed)
   * and lifts a rate-limit wait; false when the number is unknown.
   */
  readonly resume: (number: string) => Effect.Effect<boolean, OutboxError>
}

/** The `Outbox` service tag. */
export const Outbox = Context.Service<Outbox>("@pombo/outbox/Outbox")

/** Options of `make` / `layer`. */
export interface Options {
  /** Table name, default `pombo_outbox` (also `<table>_numbers`, `<table>_migrations`). */
  readonly table?: string | undefined
  /** How often `watch` and `tail` read the store for changes made by other processes. Default 1 second. */
  readonly pollInterval?: Duration.Input | undefined
}

/** The JSON form of a stored error, through `WhatsAppError`'s own schema. */
const ErrorJson = Schema.fromJsonString(Schema.toCodecJson(WhatsAppError.WhatsAppError))
/** Encodes an error for the store. */
export const encodeError = Schema.encodeSync(ErrorJson)
const decodeError = Schema.decodeUnknownOption(ErrorJson)
const errorOf = (json: string | undefined): WhatsAppError.WhatsAppError | undefined =>
  json === undefined ? undefined : Option.getOrUndefined(decodeError(json))

const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms))

/** The public status of a stored row. */
export const toStatus = (row: Row): Status => {
  return {
    key: row.key,
    number: row.number,
    recipient: row.recipient,
    operation: row.operation,
    state: row.state as State,
    attempts: row.attempts,
    uncertainAttempts: row.uncertain,
    messageId: row.messageId,
    error: errorOf(row.error),
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
    acceptedAt: date(row.acceptedAt),
    deliveredAt: date(row.deliveredAt),
    readAt: date(row.readAt)
  }
}

/** The public status of a stored number. */
export const toNumberStatus = (row: NumberRow): NumberStatus => {
  return {
    number: row.number,
    state: row.state as NumberState,
    reason: errorOf(row.reason),
    resumeAt: date(row.resumeAt),
    warmupStartedAt: date(row.warmupStartedAt)
  }
}

/** How late a change may commit after it was stamped and still be shown by `tail`. */
export const tailOverlapMs = 5_000

const finished = (state: State) => state === "read" || state === "failed" || state === "cancelled"

/** A number is `provider:instance`, both parts non-empty. */
const isNumber = (number: string) => /^[^:\s]+:\S+$/.test(number)

/** Migrates the tables and builds the outbox over the provided `SqlClient`. */
export const make = Effect.fnUntraced(function* (options: Options = {}) {
  const store = yield* makeStore(options.table ?? "pombo_outbox").pipe(
    Effect.mapError((cause) => new OutboxError({ operation: "migrate", cause }))
  )
  const fail = (operation: string) => (cause: unknown) => new OutboxError({ operation, cause })
  const statuses = yield* PubSub.unbounded<Status>()
  const numbers = yield* PubSub.unbounded<NumberStatus>()
  /** Opened whenever there may be new work for the worker: a send, a resume. */
  const wake = yield* Latch.make(false)
  const publish = (row: Row | undefined) => (row === undefined ? Effect.void : PubSub.publish(statuses, toStatus(row)))
  const publishNumber = (row: NumberRow | undefined) =>
    row === undefined ? Effect.void : PubSub.publish(numbers, toNumberStatus(row))
  const pollInterval = Duration.fromInputUnsafe(options.pollInterval ?? "1 second")

  const status = (key: string) =>
    Effect.map(Effect.mapError(store.get(key), fail("status")), (row) =>
      row === undefined ? undefined : toStatus(row)
    )

  const recordStatus: Outbox["recordStatus"] = (receipt) =>
    Effect.gen(function* () {
      const at = receipt.at?.getTime() ?? (yield* Clock.currentTimeMillis)
      const row = yield* Effect.mapError(
        store.advance(receipt.number, receipt.messageId, receipt.status, at),
        fail("recordStatus")
      )
      yield* publish(row)
      return row !== undefined
    })

  const resume = (number: string) =>
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const row = yield* Effect.mapError(
        store.setNumber(number, { state: "active", reason: undefined, resumeAt: undefined }, now),
        fail("resume")
      )
      yield* publishNumber(row)
      if (row !== undefined) yield* wake.open
      return row !== undefined
    })

  const outbox = Outbox.of({
    send: (request: SendRequest) =>
      Effect.gen(function* () {
        if (!isNumber(request.number)) {
          return yield* new OutboxError({
            operation: "send",
            cause: new Error(`number must be "provider:instance", got ${JSON.stringify(request.number)}`)
          })
        }
        if (request.key === "") {
          return yield* new OutboxError({ operation: "send", cause: new Error("key is required") })
        }
        const provider = request.number.slice(0, request.number.indexOf(":"))
        const { input, recipient } = yield* Effect.fromResult(
          SendOperation.encode(provider, request.operation, request.input)
        )
        const now = yield* Clock.currentTimeMillis
        const { row, created } = yield* Effect.mapError(
          store.insert({
            key: request.key,
            number: request.number,
            recipient,
            operation: request.operation,
            input,
            campaign: request.campaign,
            now
          }),
          fail("send")
        )
        yield* Metric.update(created ? OutboxMetrics.queued : OutboxMetrics.duplicates, 1)
        if (created) {
          yield* publish(row)
          yield* wake.open
        }
        return {
          key: row.key,
          number: row.number,
          recipient: row.recipient,
          operation: row.operation,
          createdAt: new Date(row.createdAt),
          duplicate: !created
        }
      }),
    status,
    watch: (key) =>
      Stream.unwrap(
        Effect.gen(function* () {
          const local = yield* PubSub.subscribe(statuses)
          const polled = Stream.fromEffectSchedule(status(key), Schedule.spaced(pollInterval))
          return Stream.concat(
            Stream.fromEffect(status(key)),
            Stream.merge(Stream.fromSubscription(local), polled)
          ).pipe(
            Stream.filter((s): s is Status => s !== undefined && s.key === key),
            Stream.changesWith((a, b) => a.state === b.state && a.updatedAt.getTime() === b.updatedAt.getTime()),
            Stream.takeUntil((s) => finished(s.state))
          )
        })
      ),
    changes: Stream.fromPubSub(statuses),
    tail: Effect.map(Clock.currentTimeMillis, (start) =>
      Stream.unwrap(
        Effect.sync(() => {
          // A change is stamped by its writer before it commits: re-read a window behind the newest
          // change seen, and skip what was already shown.
          let newest = start
          const shown = new Map<string, number>()
          // Suspended: each poll reads from the newest change seen so far, not from the start.
          const poll = Effect.suspend(() => store.changedSince(newest - tailOverlapMs)).pipe(
            Effect.mapError(fail("tail")),
            Effect.map((rows) => {
              const fresh = rows.filter((row) => row.updatedAt >= start && shown.get(row.key) !== row.updatedAt)
              for (const row of fresh) shown.set(row.key, row.updatedAt)
              newest = Math.max(newest, ...rows.map((row) => row.updatedAt))
              for (const [key, at] of shown) if (at < newest - tailOverlapMs) shown.delete(key)
              return fresh.map(toStatus)
            })
          )
          return Stream.fromEffectSchedule(poll, Schedule.spaced(pollInterval)).pipe(
            Stream.flatMap(Stream.fromIterable)
          )
        })
      )
    ),
    cancel: (key) =>
      Effect.gen(function* () {
        const row = yield* Effect.mapError(
          Effect.flatMap(Clock.currentTimeMillis, (now) => store.cancel(key, now)),
          fail("cancel")
        )
        yield* publish(row)
        return row !== undefined
      }),
    recordStatus,
    onEvent: (event) => {
      const number = `${event.provider}:${event.instance ?? ""}`
      switch (event._tag) {
        case "MessageStatus":
          return event.status === "delivered" || event.status === "read" || event.status === "played"
            ? Effect.asVoid(
                recordStatus({
                  number,
                  messageId: event.messageId,
                  status: event.status === "delivered" ? "delivered" : "read",
                  at: event.timestamp
                })
              )
            : Effect.void
        case "ConnectionUpdate":
          return event.state === "connected"
            ? Effect.flatMap(store.number(number).pipe(Effect.mapError(fail("onEvent"))), (row) =>
                row?.state === "paused" ? Effect.asVoid(resume(number)) : Effect.void
              )
            : Effect.void
        default:
          return Effect.void
      }
    },
    numberStatus: (number) =>
      Effect.map(Effect.mapError(store.number(number), fail("numberStatus")), (row) =>
        row === undefined ? undefined : toNumberStatus(row)
      ),
    numberChanges: Stream.fromPubSub(numbers),
    resume
  })
  register(outbox, { store, wake, publish, publishNumber })
  return outbox
})

/** Provides `Outbox` over the `SqlClient` in context, migrating its tables first. */
export const layer = (options: Options = {}): Layer.Layer<Outbox, OutboxError, SqlClient.SqlClient> =>
  Layer.effect(Outbox, make(options))
