/**
 * Where a test database is, in a form a child process can be handed (the crash tests), and its
 * client. Kept apart from `stores.ts`, which needs Vitest's context.
 */
import { PgClient } from "@effect/sql-pg"
import { SqliteClient } from "@pombo/sql-sqlite"
import { Layer, Redacted } from "effect"
import type { SqlClient } from "effect/sql"

/** A SQLite file or a Postgres URL. */
export type Location = { readonly sqlite: string } | { readonly postgres: string }

/** A client of the database at `location`. */
export const clientOf = (location: Location): Layer.Layer<SqlClient.SqlClient> =>
  "sqlite" in location
    ? SqliteClient.layer({ filename: location.sqlite }).pipe(Layer.orDie)
    : PgClient.layer({ url: Redacted.make(location.postgres) }).pipe(Layer.orDie)
