/**
 * `@pombo/outbox`: durable, paced sending per WhatsApp number — a send is stored before it
 * leaves, sent at most once per idempotency key, and spaced by each number's pacing rules, on
 * SQLite (`@pombo/sql-sqlite`) or Postgres (`@effect/sql-pg`).
 */

/** One content to many recipients from one number, paced, with its progress as a stream. */
export * as Campaign from "./Campaign.ts"
/** The seam to the vendor: performs one stored send; `layer` wires it to `WhatsApp`. */
export * as Dispatcher from "./Dispatcher.ts"
/** The store: `send`, statuses, cancel, receipts, number states. */
export * as Outbox from "./Outbox.ts"
/** The outbox on effect's cluster: one entity per number. */
export * as OutboxCluster from "./OutboxCluster.ts"
/** The counters and the dispatch-duration timer. */
export * as OutboxMetrics from "./OutboxMetrics.ts"
/** Sending what is stored: one owner per number, pacing, reactions to the vendor. */
export * as OutboxWorker from "./OutboxWorker.ts"
/** When a number may send next: gaps, jitter, caps, warm-up, quiet hours, typing time. */
export * as Pacing from "./Pacing.ts"
/** The operations of `WhatsApp` the outbox carries, and how a send's input is stored. */
export * as SendOperation from "./SendOperation.ts"
