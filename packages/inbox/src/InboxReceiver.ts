/**
 * The webhook receiver in durable mode: the same routes and options as `WebhookReceiver.layer`,
 * but each decoded event is written to the inbox before the vendor gets its 2xx, and the inbox's
 * worker hands it to `onEvent` — at least once, in arrival order per chat, with retries, backoff
 * and dead letters. The store is a SQLite file by default (one process); pass an `SqlClient`
 * layer (e.g. `@effect/sql-pg`'s) for several processes or machines sharing one inbox.
 *
 * ```ts
 * HttpRouter.serve(InboxReceiver.layer({ decoders, secret, onEvent: (event, id) => … }))
 * ```
 */
import type { WhatsAppEvent } from "@pombo/core"
import * as WebhookReceiver from "@pombo/core/WebhookReceiver"
import { SqliteClient } from "@pombo/sql-sqlite"
import { Effect, Layer } from "effect"
import type { HttpRouter } from "effect/http"
import type { SqlClient, SqlError } from "effect/sql"
import * as Inbox from "./Inbox.ts"
import * as InboxWorker from "./InboxWorker.ts"

/** The SQLite file used when no `store` is given, relative to the working directory. */
export const defaultFile = "pombo-inbox.db"

/** What `routes` takes: the receiver's options, and a handler that also gets the event's id. */
export interface RouteOptions<E, R> extends WebhookReceiver.BaseOptions {
  /**
   * Handles one stored event. Fail (or die) to have it retried with backoff; after
   * `worker.maxAttempts` failures it becomes a dead letter (`Inbox.deadLetters`, `Inbox.replay`).
   * Delivery is at least once — a crash between the handler's success and its record hands the
   * event over again — so make the handler idempotent, keyed on `id` (`Inbox.eventKey`: provider,
   * instance and event id, stable across redeliveries).
   */
  readonly onEvent: (event: WhatsAppEvent.WhatsAppEvent, id: string) => Effect.Effect<void, E, R>
  /** The worker's concurrency, retries, backoff, leases and shutdown (see `InboxWorker.Options`). */
  readonly worker?: Omit<InboxWorker.Options<E, R>, "handler"> | undefined
  /** Default `/webhooks`. */
  readonly basePath?: `/${string}` | undefined
}

/** What `layer` takes: `routes`' options and where the inbox lives. */
export interface Options<E, R, SE = never> extends RouteOptions<E, R> {
  /**
   * A SQLite file path (default `pombo-inbox.db`), or a layer providing the `SqlClient` the inbox
   * lives in — `PgClient.layer(…)` from `@effect/sql-pg` when several processes share it.
   */
  readonly store?: string | Layer.Layer<SqlClient.SqlClient, SE> | undefined
  /** The inbox's table (default `pombo_inbox`). */
  readonly table?: string | undefined
}

/**
 * The receiver's routes with the `Inbox` in context as their sink, and the worker delivering its
 * events to `onEvent`. For an application that builds the `Inbox` itself (to use it elsewhere
 * too); `layer` does it for you.
 */
export const routes = <E = never, R = never>(
  options: RouteOptions<E, R>
): Layer.Layer<never, never, Inbox.Inbox | HttpRouter.HttpRouter | R> => {
  const { onEvent, worker, ...receiver } = options
  return Layer.mergeAll(
    Layer.unwrap(Effect.map(Inbox.sink, (sink) => WebhookReceiver.layer({ ...receiver, sink }))),
    InboxWorker.layer({ ...worker, handler: onEvent })
  )
}

/**
 * The durable receiver in one layer: the inbox over `store` (migrated at start-up), the routes
 * and the worker. Provides `Inbox` for listing and replaying dead letters and reading counts.
 */
export const layer = <E = never, R = never, SE = never>(
  options: Options<E, R, SE>
): Layer.Layer<Inbox.Inbox, Inbox.InboxError | SqlError.SqlError | SE, HttpRouter.HttpRouter | R> => {
  const { store, table, ...rest } = options
  const client: Layer.Layer<SqlClient.SqlClient, SqlError.SqlError | SE> =
    store === undefined || typeof store === "string" ? SqliteClient.layer({ filename: store ?? defaultFile }) : store
  return routes(rest).pipe(Layer.provideMerge(Inbox.layer({ table }).pipe(Layer.provide(client))))
}
