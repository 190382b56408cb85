/**
 * `pombo/outbox`: the durable, paced outbox — any send of `WhatsApp` stored before it leaves, sent
 * at most once per idempotency key and paced per WhatsApp number. Kept out of the main entry so
 * applications that send directly never load SQL code. Store it with `SqliteClient` from
 * `pombo/inbox` (one process) or `@effect/sql-pg` (several).
 */

/**
 * `Outbox` stores sends and reports their status; `OutboxWorker` (or `OutboxCluster`, one
 * `effect/cluster` entity per number) sends them, paced by `Pacing`, through a `Dispatcher`
 * (`Dispatcher.layer` over `WhatsApp`); `SendOperation` lists what it carries; `Campaign` sends one content to many, paced; `OutboxMetrics` counts.
 */
export {
  Campaign,
  Dispatcher,
  Outbox,
  OutboxCluster,
  OutboxMetrics,
  OutboxWorker,
  Pacing,
  SendOperation
} from "@pombo/outbox"
