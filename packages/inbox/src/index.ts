/**
 * `@pombo/inbox`: the durable inbox — webhook events stored before the vendor's 2xx, delivered to
 * your handler at least once, in order per chat, with retries, backoff and dead letters, on
 * SQLite (`@pombo/sql-sqlite`) or Postgres (`@effect/sql-pg`).
 */

/** The store: `put`, dead letters, replay. */
export * as Inbox from "./Inbox.ts"
/** The counters and the handler-latency timer. */
export * as InboxMetrics from "./InboxMetrics.ts"
/** The webhook receiver in durable mode: receiver, inbox and worker in one layer. */
export * as InboxReceiver from "./InboxReceiver.ts"
/** Delivery to the handler: ordering, retries, leases, graceful shutdown. */
export * as InboxWorker from "./InboxWorker.ts"
