/**
 * The outbox tables. One schema for SQLite and Postgres: only the sequence column's type differs
 * (SQLite's rowid alias, Postgres's BIGSERIAL); times are epoch milliseconds in BIGINT columns,
 * so every query compares plain integers the same way on both.
 *
 * - `<table>`: one row per send, keyed by the caller's idempotency key. `attempted_at` is the
 *   start of the latest attempt: the number's attempts over the last day are its pacing history.
 * - `<table>_numbers`: one row per WhatsApp number — whether it sends (`active`), waits for its
 *   connection (`paused`) or was refused its credentials (`stopped`), when a rate limit ends, when
 *   its warm-up started, and which process owns it (a lease).
 * - `campaign` (migration 2): the campaign a send belongs to, counted by `Campaign.progress`.
 * - `<table>_pacing` (migration 3): the pacing history, one row per attempt (`seq`, `attempt`),
 *   so a send resent after an uncertain attempt counts twice, as the vendor may have seen it;
 *   filled from the latest attempts stored before it.
 */
import { Effect } from "effect"
import { Migrator, SqlClient } from "effect/sql"

/** Brings the outbox tables named after `table` up to date; recorded in `<table>_migrations`. */
export const migrate = (table: string) => run({ loader: loader(table), table: `${table}_migrations` })

const run = Migrator.make({})

const loader = (table: string): Migrator.Loader =>
  Migrator.fromRecord({
    "1_create_outbox": Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const seq = sql.onDialectOrElse({
        pg: () => sql.literal("BIGSERIAL PRIMARY KEY"),
        orElse: () => sql.literal("INTEGER PRIMARY KEY AUTOINCREMENT")
      })
      yield* sql`CREATE TABLE ${sql(table)} (
        seq ${seq},
        send_key TEXT NOT NULL UNIQUE,
        number TEXT NOT NULL,
        recipient TEXT NOT NULL,
        operation TEXT NOT NULL,
        input TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        uncertain INTEGER NOT NULL,
        available_at BIGINT NOT NULL,
        attempted_at BIGINT,
        message_id TEXT,
        error TEXT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        accepted_at BIGINT,
        delivered_at BIGINT,
        read_at BIGINT
      )`
      yield* sql`CREATE INDEX ${sql(`${table}_queued`)} ON ${sql(table)} (number, seq) WHERE state IN ('queued', 'sending')`
      yield* sql`CREATE INDEX ${sql(`${table}_attempts`)} ON ${sql(table)} (number, attempted_at)`
      yield* sql`CREATE INDEX ${sql(`${table}_message`)} ON ${sql(table)} (message_id, number)`
      yield* sql`CREATE TABLE ${sql(`${table}_numbers`)} (
        number TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        reason TEXT,
        resume_at BIGINT,
        warmup_started_at BIGINT,
        owner TEXT,
        lease_until BIGINT,
        updated_at BIGINT NOT NULL
      )`
    }),
    "2_campaigns": Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* sql`ALTER TABLE ${sql(table)} ADD COLUMN campaign TEXT`
      yield* sql`CREATE INDEX ${sql(`${table}_campaign`)} ON ${sql(table)} (campaign, state) WHERE campaign IS NOT NULL`
    }),
    "3_attempts": Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const attempts = sql(`${table}_pacing`)
      yield* sql`CREATE TABLE ${attempts} (
        seq BIGINT NOT NULL,
        attempt INTEGER NOT NULL,
        number TEXT NOT NULL,
        recipient TEXT NOT NULL,
        at BIGINT NOT NULL,
        PRIMARY KEY (seq, attempt)
      )`
      yield* sql`CREATE INDEX ${sql(`${table}_pacing_at`)} ON ${attempts} (number, at)`
      yield* sql`INSERT INTO ${attempts} (seq, attempt, number, recipient, at)
        SELECT seq, attempts, number, recipient, attempted_at FROM ${sql(table)} WHERE attempted_at IS NOT NULL`
    })
  })
