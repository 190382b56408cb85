/**
 * Adapter: a throwaway PostgreSQL cluster for the outbox figures (`@pombo/testing`'s
 * `PostgresServer`), with one fresh database per measurement.
 */
import { PgClient } from "@effect/sql-pg"
import { start } from "@pombo/testing/PostgresServer"
import { Effect, Layer, Redacted } from "effect"
import { SqlClient } from "effect/sql"

/** Starts the cluster; `database(name)` creates an empty database and gives its URL. */
export const startPostgres = async () => {
  const server = await start()
  const database = async (name: string): Promise<string> => {
    await Effect.runPromise(
      Effect.flatMap(SqlClient.SqlClient, (sql) => sql`CREATE DATABASE ${sql(name)}`).pipe(
        Effect.provide(PgClient.layer({ url: Redacted.make(server.url) }).pipe(Layer.orDie))
      )
    )
    const url = new URL(server.url)
    url.pathname = `/${name}`
    return url.toString()
  }
  return { database, stop: server.stop }
}
