/**
 * `@pombo/outbox`: durable, paced sending per WhatsApp number — a send is stored before it
 * leaves, sent at most once per idempotency key, and spaced by each number's pacing rules, on
 * SQLite (`@pombo/sql-sqlite`) or Postgres (`@effect/sql-pg`).
 */

/** When a number may send next: gaps, jitter, caps, warm-up, quiet hours, typing time. */
export * as Pacing from "./Pacing.ts"
