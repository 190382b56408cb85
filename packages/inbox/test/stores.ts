/**
 * The stores every inbox test runs on: a SQLite file in a temporary directory, and a fresh
 * database in the run's real PostgreSQL cluster (`postgresSetup.ts`). A store outlives the
 * client layers built over it, so a test can stop a "process" and start another on the same data.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Redacted, type Scope } from "effect"
import { SqlClient } from "effect/sql"
import { inject } from "vitest"
import { clientOf, type Location } from "./location.ts"

export interface Store {
  readonly name: string
  /** Creates an empty database for one test; the scope removes it. */
  readonly location: Effect.Effect<Location, never, Scope.Scope>
  /** `location`'s client. */
  readonly database: Effect.Effect<Layer.Layer<SqlClient.SqlClient>, never, Scope.Scope>
  /** Why this store's tests skip here, or undefined when they run. */
  readonly unavailable: string | undefined
}

const make = (name: string, unavailable: string | undefined, location: Store["location"]): Store => ({
  name,
  unavailable,
  location,
  database: Effect.map(location, clientOf)
})

const sqlite = make(
  "SQLite",
  undefined,
  Effect.acquireRelease(
    Effect.sync(() => mkdtempSync(join(tmpdir(), "pombo-inbox-"))),
    (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
  ).pipe(Effect.map((dir) => ({ sqlite: join(dir, "inbox.db") })))
)

const provided = inject("postgres")

const postgres = make(
  "Postgres",
  "unavailable" in provided ? `PostgreSQL could not be started here: ${provided.unavailable}` : undefined,
  Effect.gen(function* () {
    if ("unavailable" in provided) return yield* Effect.die(new Error(provided.unavailable))
    const admin = PgClient.layer({ url: Redacted.make(provided.url) }).pipe(Layer.orDie)
    const name = `inbox_${crypto.randomUUID().replaceAll("-", "")}`
    const onAdmin = <A, E>(f: (sql: SqlClient.SqlClient) => Effect.Effect<A, E>) =>
      Effect.flatMap(SqlClient.SqlClient, f).pipe(Effect.provide(admin), Effect.orDie)
    yield* Effect.acquireRelease(
      onAdmin((sql) => sql`CREATE DATABASE ${sql(name)}`),
      () => onAdmin((sql) => sql`DROP DATABASE ${sql(name)} WITH (FORCE)`)
    )
    const url = new URL(provided.url)
    url.pathname = `/${name}`
    return { postgres: url.toString() }
  })
)

/** SQLite and Postgres, for `describe.each`. */
export const stores: ReadonlyArray<Store> = [sqlite, postgres]
