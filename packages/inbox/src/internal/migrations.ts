/**
 * The inbox table. One schema for SQLite and Postgres: only the arrival sequence's column type
 * differs (SQLite's rowid alias, Postgres's BIGSERIAL); times are epoch milliseconds in BIGINT
 * columns, so every query compares plain integers the same way on both.
 */
import { Effect } from "effect"
import { Migrator, SqlClient } from "effect/sql"

/** Brings the inbox table named `table` up to date; its migrations are recorded in `<table>_migrations`. */
export const migrate = (table: string) => run({ loader: loader(table), table: `${table}_migrations` })

const run = Migrator.make({})

const loader = (table: string): Migrator.Loader =>
  Migrator.fromRecord({
    "1_create_inbox": Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const seq = sql.onDialectOrElse({
        pg: () => sql.literal("BIGSERIAL PRIMARY KEY"),
        orElse: () => sql.literal("INTEGER PRIMARY KEY AUTOINCREMENT")
      })
      yield* sql`CREATE TABLE ${sql(table)} (
        seq ${seq},
        event_key TEXT NOT NULL UNIQUE,
        lane TEXT NOT NULL,
        event TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        available_at BIGINT NOT NULL,
        lease_owner TEXT,
        lease_until BIGINT,
        last_error TEXT,
        received_at BIGINT NOT NULL,
        settled_at BIGINT
      )`
      yield* sql`CREATE INDEX ${sql(`${table}_pending`)} ON ${sql(table)} (seq) WHERE state = 'pending'`
      yield* sql`CREATE INDEX ${sql(`${table}_lane`)} ON ${sql(table)} (lane, seq) WHERE state = 'pending'`
      yield* sql`CREATE INDEX ${sql(`${table}_settled`)} ON ${sql(table)} (state, settled_at)`
    })
  })
