/**
 * `pombo/inbox`: the durable inbox and its embedded store — webhook events stored before the vendor
 * is acknowledged and handed to your handler at least once, in order per chat. Kept out of the
 * main entry so applications that do not store events never load SQL code.
 */

/**
 * `Inbox` stores events under a unique key (the dedupe) and lists or replays dead letters;
 * `InboxWorker` delivers them with retries, backoff and dead letters; `InboxMetrics` counts.
 */
/** The webhook receiver in durable mode: receiver, inbox and worker in one layer. */
export { Inbox, InboxMetrics, InboxReceiver, InboxWorker } from "@pombo/inbox"
/** The embedded default store: effect's `SqlClient` over Node's built-in `node:sqlite`. */
export { SqliteClient } from "@pombo/sql-sqlite"
