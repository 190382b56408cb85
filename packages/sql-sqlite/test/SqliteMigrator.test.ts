import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Layer } from "effect"
import { Migrator, SqlClient } from "effect/sql"
import { SqliteClient, SqliteMigrator } from "../src/index.ts"

const database = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "pombo-migrator-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
).pipe(Effect.map((dir) => join(dir, "app.db")))

const migrations = {
  "1_people": Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => sql`CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT)`
  ),
  "2_seed": Effect.flatMap(SqlClient.SqlClient, (sql) => sql`INSERT INTO people (name) VALUES ('Ana')`)
}

describe("SqliteMigrator", () => {
  it.effect("runs each migration once, across restarts of the process", () =>
    Effect.gen(function* () {
      const filename = yield* database
      const start = (loader: Migrator.Loader) =>
        Effect.gen(function* () {
          const ran = yield* SqliteMigrator.run({ loader })
          const sql = yield* SqlClient.SqlClient
          return { ran, people: yield* sql`SELECT name FROM people` }
        }).pipe(Effect.provide(SqliteClient.layer({ filename })))

      const first = yield* start(Migrator.fromRecord(migrations))
      expect(first.ran).toEqual([
        [1, "people"],
        [2, "seed"]
      ])
      const second = yield* start(Migrator.fromRecord(migrations))
      expect(second.ran).toEqual([])
      expect(second.people).toEqual([{ name: "Ana" }])
      const third = yield* start(
        Migrator.fromRecord({
          ...migrations,
          "3_more": Effect.flatMap(SqlClient.SqlClient, (sql) => sql`INSERT INTO people (name) VALUES ('Bia')`)
        })
      )
      expect(third.ran).toEqual([[3, "more"]])
      expect(third.people).toEqual([{ name: "Ana" }, { name: "Bia" }])
    })
  )

  it.effect("rolls a failing run back whole and reports which migration failed", () =>
    Effect.gen(function* () {
      const filename = yield* database
      yield* SqliteMigrator.run({ loader: Migrator.fromRecord(migrations) }).pipe(
        Effect.provide(SqliteClient.layer({ filename }))
      )
      const failing = Migrator.fromRecord({
        ...migrations,
        "3_more": Effect.flatMap(SqlClient.SqlClient, (sql) => sql`INSERT INTO people (name) VALUES ('Bia')`),
        "4_broken": Effect.flatMap(SqlClient.SqlClient, (sql) =>
          Effect.andThen(sql`INSERT INTO people (name) VALUES ('half')`, sql`INSERT INTO nowhere VALUES (1)`)
        )
      })
      const exit = yield* SqliteMigrator.run({ loader: failing }).pipe(
        Effect.provide(SqliteClient.layer({ filename })),
        Effect.exit
      )
      expect(Exit.isFailure(exit) && String(exit.cause)).toContain('Migration "4_broken" failed')
      const state = yield* Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        return {
          people: yield* sql`SELECT name FROM people`,
          recorded: yield* sql`SELECT migration_id FROM effect_sql_migrations ORDER BY migration_id`
        }
      }).pipe(Effect.provide(SqliteClient.layer({ filename })))
      expect(state).toEqual({
        people: [{ name: "Ana" }],
        recorded: [{ migration_id: 1 }, { migration_id: 2 }]
      })
    })
  )

  it.effect("runs as a layer before the services that need the schema", () =>
    Effect.gen(function* () {
      const filename = yield* database
      const Database = SqliteMigrator.layer({ loader: Migrator.fromRecord(migrations) }).pipe(
        Layer.provideMerge(SqliteClient.layer({ filename }))
      )
      const people = yield* Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT name FROM people`).pipe(
        Effect.provide(Database)
      )
      expect(people).toEqual([{ name: "Ana" }])
    })
  )
})
