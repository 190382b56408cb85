import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DatabaseSync } from "node:sqlite"
import { describe, expect, it } from "@effect/vitest"
import { Config, ConfigProvider, Effect, Exit, Fiber, Stream } from "effect"
import { Reactivity } from "effect/reactivity"
import { SqlClient, type SqlError } from "effect/sql"
import { SqliteClient } from "../src/index.ts"

/** A fresh directory for the test's database files, removed when the test ends. */
const tempDir = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "pombo-sqlite-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
)

const client = (options: Partial<SqliteClient.SqliteClientConfig> = {}) =>
  Effect.gen(function* () {
    const filename = join(yield* tempDir, "test.db")
    return yield* SqliteClient.make({ filename, ...options })
  }).pipe(Effect.provide(Reactivity.layer))

const reason = <A>(exit: Exit.Exit<A, SqlError.SqlError>) => {
  if (Exit.isSuccess(exit)) throw new Error(`expected a SqlError, got ${JSON.stringify(exit.value)}`)
  const error = exit.cause.reasons.find((r) => r._tag === "Fail")
  if (error?._tag !== "Fail") throw new Error("expected a typed failure")
  return error.error.reason
}

describe("SqliteClient", () => {
  it.effect("stores rows in a real file in WAL mode", () =>
    Effect.gen(function* () {
      const sql = yield* client()
      yield* sql`CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT NOT NULL)`
      yield* sql`INSERT INTO person ${sql.insert([{ name: "Ana" }, { name: "Bia" }])}`
      expect(yield* sql`SELECT id, name FROM person ORDER BY id`).toEqual([
        { id: 1, name: "Ana" },
        { id: 2, name: "Bia" }
      ])
      expect(yield* sql`SELECT id, name FROM person ORDER BY id`.values).toEqual([
        [1, "Ana"],
        [2, "Bia"]
      ])
      expect(yield* sql`UPDATE person SET name = ${"Carla"} WHERE id = ${2}`.raw).toEqual({
        changes: 1,
        lastInsertRowid: 2
      })
      expect(yield* sql`INSERT INTO person (name) VALUES ('Davi') RETURNING id`).toEqual([{ id: 3 }])
      expect(yield* sql`PRAGMA journal_mode`).toEqual([{ journal_mode: "wal" }])
      // FULL (2): each commit is on disk before it returns.
      expect(yield* sql`PRAGMA synchronous`).toEqual([{ synchronous: 2 }])
      const relaxed = yield* client({ synchronous: "NORMAL" })
      expect(yield* relaxed`PRAGMA synchronous`).toEqual([{ synchronous: 1 }])
      expect(existsSync(`${sql.config.filename}-wal`)).toBe(true)
      // Another connection sees the committed rows: they are in the file, not in memory.
      const other = new DatabaseSync(sql.config.filename)
      expect(other.prepare("SELECT count(*) AS n FROM person").get()).toEqual({ n: 3 })
      other.close()
    })
  )

  it.effect("commits a transaction and rolls back a failed one, nested ones to their savepoint", () =>
    Effect.gen(function* () {
      const sql = yield* client()
      yield* sql`CREATE TABLE t (v TEXT)`
      yield* sql.withTransaction(sql`INSERT INTO t VALUES ('committed')`)
      const failed = yield* sql`INSERT INTO t VALUES ('rolled back')`.pipe(
        Effect.andThen(Effect.fail("boom")),
        sql.withTransaction,
        Effect.exit
      )
      expect(Exit.isFailure(failed)).toBe(true)
      yield* Effect.gen(function* () {
        yield* sql`INSERT INTO t VALUES ('outer')`
        yield* sql`INSERT INTO t VALUES ('inner')`.pipe(
          Effect.andThen(Effect.fail("inner boom")),
          sql.withTransaction,
          Effect.ignore
        )
      }).pipe(sql.withTransaction)
      expect(yield* sql`SELECT v FROM t ORDER BY rowid`).toEqual([{ v: "committed" }, { v: "outer" }])
    })
  )

  it.live("keeps other fibers' statements out of an open transaction", () =>
    Effect.gen(function* () {
      const sql = yield* client()
      yield* sql`CREATE TABLE t (v TEXT)`
      const transaction = yield* sql`INSERT INTO t VALUES ('in transaction')`.pipe(
        Effect.andThen(Effect.sleep("50 millis")),
        Effect.andThen(Effect.fail("boom")),
        sql.withTransaction,
        Effect.exit,
        Effect.forkChild
      )
      yield* Effect.sleep("10 millis")
      // Runs while the transaction is open: had it used the transaction's connection, the
      // rollback would take it away too.
      yield* sql`INSERT INTO t VALUES ('outside')`
      expect(Exit.isFailure(yield* Fiber.join(transaction))).toBe(true)
      expect(yield* sql`SELECT v FROM t`).toEqual([{ v: "outside" }])
    })
  )

  it.effect("serialises concurrent read-modify-write transactions", () =>
    Effect.gen(function* () {
      const sql = yield* client()
      yield* sql`CREATE TABLE counter (n INTEGER NOT NULL)`
      yield* sql`INSERT INTO counter VALUES (0)`
      const increment = Effect.gen(function* () {
        const [row] = yield* sql<{ n: number }>`SELECT n FROM counter`
        yield* Effect.yieldNow
        yield* sql`UPDATE counter SET n = ${row!.n + 1}`
      }).pipe(sql.withTransaction)
      yield* Effect.all(
        Array.from({ length: 50 }, () => increment),
        { concurrency: "unbounded" }
      )
      expect(yield* sql`SELECT n FROM counter`).toEqual([{ n: 50 }])
    })
  )

  it.effect("fails with typed reasons: unique violation, syntax, unopenable file", () =>
    Effect.gen(function* () {
      const sql = yield* client()
      yield* sql`CREATE TABLE t (id TEXT PRIMARY KEY, email TEXT UNIQUE)`
      yield* sql`INSERT INTO t VALUES ('a', 'a@x')`
      const primary = reason(yield* Effect.exit(sql`INSERT INTO t VALUES ('a', 'b@x')`))
      expect(primary._tag === "UniqueViolation" && primary.constraint).toBe("t.id")
      const unique = reason(yield* Effect.exit(sql`INSERT INTO t VALUES ('b', 'a@x')`))
      expect(unique._tag === "UniqueViolation" && unique.constraint).toBe("t.email")
      const syntax = reason(yield* Effect.exit(sql`SELEC 1`))
      expect(syntax.message).toContain("syntax error")
      expect(syntax.operation).toBe("prepare")
      const unopenable = reason(
        yield* Effect.exit(
          SqliteClient.make({ filename: join(sql.config.filename, "missing-dir", "x.db") }).pipe(
            Effect.provide(Reactivity.layer)
          )
        )
      )
      expect(unopenable._tag).toBe("ConnectionError")
    })
  )

  it.effect("waits up to the busy timeout for another process's lock, then fails with LockTimeoutError", () =>
    Effect.gen(function* () {
      const sql = yield* client({ busyTimeout: "100 millis" })
      yield* sql`CREATE TABLE t (v TEXT)`
      const other = new DatabaseSync(sql.config.filename)
      other.exec("BEGIN IMMEDIATE")
      const started = Date.now()
      const locked = reason(yield* Effect.exit(sql`INSERT INTO t VALUES ('x')`))
      expect(locked._tag).toBe("LockTimeoutError")
      expect(Date.now() - started).toBeGreaterThanOrEqual(90)
      other.exec("ROLLBACK")
      other.close()
      yield* sql`INSERT INTO t VALUES ('x')`
      expect(yield* sql`SELECT v FROM t`).toEqual([{ v: "x" }])
    })
  )

  it.effect("does not remember a statement that failed to prepare", () =>
    Effect.gen(function* () {
      const sql = yield* client()
      const query = sql`SELECT count(*) AS n FROM later`
      expect(Exit.isFailure(yield* Effect.exit(query))).toBe(true)
      yield* sql`CREATE TABLE later (v TEXT)`
      expect(yield* query).toEqual([{ n: 0 }])
    })
  )

  it.effect("streams large results in chunks and reads 64-bit integers exactly when asked", () =>
    Effect.gen(function* () {
      const sql = yield* client({ prepareCacheSize: 1 })
      yield* sql`CREATE TABLE n (v INTEGER)`
      yield* sql`WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 1000) INSERT INTO n SELECT x FROM s`
      const streamed = yield* Stream.runCollect(sql<{ v: number }>`SELECT v FROM n ORDER BY v`.stream)
      expect(streamed.length).toBe(1000)
      expect(streamed[999]).toEqual({ v: 1000 })
      yield* sql`INSERT INTO n VALUES (${9007199254740993n})`
      const exact = yield* sql`SELECT max(v) AS v FROM n`.pipe(Effect.provideService(SqlClient.SafeIntegers, true))
      expect(exact).toEqual([{ v: 9007199254740993n }])
    })
  )

  it.effect("closes the file when its layer is released", () =>
    Effect.gen(function* () {
      const filename = join(yield* tempDir, "layer.db")
      yield* Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* sql`CREATE TABLE t (v TEXT)`
        yield* sql.withTransaction(sql`INSERT INTO t VALUES ('kept')`)
        expect(existsSync(`${filename}-wal`)).toBe(true)
      }).pipe(Effect.provide(SqliteClient.layer({ filename })))
      // The last connection to close checkpoints the WAL into the file and removes it.
      expect(existsSync(`${filename}-wal`)).toBe(false)
      const reopened = new DatabaseSync(filename)
      expect(reopened.prepare("SELECT v FROM t").all()).toEqual([{ v: "kept" }])
      reopened.close()
    })
  )

  it.effect("reads its options from configuration", () =>
    Effect.gen(function* () {
      const filename = join(yield* tempDir, "configured.db")
      const mode = yield* Effect.gen(function* () {
        const sql = yield* SqliteClient.SqliteClient
        expect(sql.config.filename).toBe(filename)
        return yield* sql`PRAGMA journal_mode`
      }).pipe(
        Effect.provide(SqliteClient.layerConfig({ filename: Config.String("SQLITE_FILE") })),
        Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnv({ env: { SQLITE_FILE: filename } }))
      )
      expect(mode).toEqual([{ journal_mode: "wal" }])
      expect(existsSync(filename)).toBe(true)
    })
  )
})
