/**
 * The stores the inbox and outbox tests run on: a SQLite file in a temporary directory, and a fresh
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
  /** Creates an empty database for one test, for a child process to open too; the scope removes it. */
  readonly location: Effect.Effect<Location, never, Scope.Scope>
  /** Creates an empty database for one test; the scope removes it. */
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
    Effect.sync(() => mkdtempSync(join(tmpdir(), "pombo-store-"))),
    (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
  ).pipe(Effect.map((dir) => ({ sqlite: join(dir, "store.db") })))
)

const provided = inject("postgres")

/**
 * Creates an empty database in the run's PostgreSQL cluster and returns its URL, for tests that
 * hand it to other processes; the scope drops it (closing whatever is still connected).
 */
export const postgresDatabaseUrl: Effect.Effect<string, never, Scope.Scope> = Effect.gen(function* () {
  if ("unavailable" in provided) return yield* Effect.die(new Error(provided.unavailable))
  const admin = PgClient.layer({ url: Redacted.make(provided.url) }).pipe(Layer.orDie)
  const name = `store_${crypto.randomUUID().replaceAll("-", "")}`
  const onAdmin = <A, E>(f: (sql: SqlClient.SqlClient) => Effect.Effect<A, E>) =>
    Effect.flatMap(SqlClient.SqlClient, f).pipe(Effect.provide(admin), Effect.orDie)
  yield* Effect.acquireRelease(
    onAdmin((sql) => sql`CREATE DATABASE ${sql(name)}`),
    () => onAdmin((sql) => sql`DROP DATABASE ${sql(name)} WITH (FORCE)`)
  )
  const url = new URL(provided.url)
  url.pathname = `/${name}`
  // The driver's default 5 s to connect is shorter than a shared test cluster can take while
  // another test file drops its database (a checkpoint); seen as "Connection timed out" in CI.
  url.searchParams.set("connect_timeout", "30")
  return url.toString()
})

/** Why the Postgres tests skip here, or undefined when they run. */
export const postgresUnavailable =
  "unavailable" in provided ? `PostgreSQL could not be started here: ${provided.unavailable}` : undefined

const postgres = make(
  "Postgres",
  postgresUnavailable,
  Effect.map(postgresDatabaseUrl, (url) => ({ postgres: url }))
)

/** SQLite and Postgres, for `describe.each`. */
export const stores: ReadonlyArray<Store> = [sqlite, postgres]
