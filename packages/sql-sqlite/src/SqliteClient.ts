/**
 * effect's `SqlClient` over Node's built-in `node:sqlite` (`DatabaseSync`).
 *
 * One connection per client, shared by every fiber through a semaphore (effect's
 * `makeSqliteAcquirers`), so a transaction never interleaves with another fiber's statements.
 * The file is opened in WAL mode with a busy timeout, so readers never block the writer and a
 * second process on the same file waits for the lock instead of failing at once. Every failure
 * is a typed `SqlError` whose reason comes from effect's SQLite classifier.
 */

import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite"
import { Config, Context, Duration, Effect, Layer, Option, type Scope, Semaphore, Stream } from "effect"
import { Reactivity } from "effect/reactivity"
import { SqlClient, type SqlConnection, SqlError, Statement } from "effect/sql"

/** Options of a client. Only `filename` is required. */
export interface SqliteClientConfig {
  /** Path of the database file (created when missing), or `":memory:"`. */
  readonly filename: string
  /** Open the file read-only. */
  readonly readonly?: boolean | undefined
  /** How many prepared statements are kept, least recently used evicted first. Default 200. */
  readonly prepareCacheSize?: number | undefined
  /** Keep the rollback journal instead of switching the file to WAL. */
  readonly disableWAL?: boolean | undefined
  /**
   * When a commit reaches the disk. Default `FULL`: every commit is fsynced before it returns, so
   * a committed row survives even a power cut. `NORMAL` (with WAL) survives a crash of the
   * process, not of the machine, and commits several times faster.
   */
  readonly synchronous?: "FULL" | "NORMAL" | undefined
  /**
   * How long a statement waits for a lock held by another connection before failing with
   * `LockTimeoutError`. Default 5 seconds. `node:sqlite` is synchronous, so the wait blocks this
   * process: keep one writing process per file (use Postgres for several).
   */
  readonly busyTimeout?: Duration.Input | undefined
  /**
   * Statement that starts a transaction. Default `BEGIN IMMEDIATE`: a transaction that reads
   * then writes takes the write lock up front, so two processes cannot deadlock upgrading a
   * read lock (SQLite answers that with `SQLITE_BUSY` without waiting).
   */
  readonly beginTransaction?: string | undefined
  /** Extra attributes for every statement's span. */
  readonly spanAttributes?: Record<string, unknown> | undefined
  /** Rename result columns, e.g. `snake_case` → `camelCase`. */
  readonly transformResultNames?: ((name: string) => string) | undefined
  /** Rename identifiers in queries, e.g. `camelCase` → `snake_case`. */
  readonly transformQueryNames?: ((name: string) => string) | undefined
}

/** The client: a `SqlClient` that remembers its options. `updateValues` does not exist in SQLite. */
export interface SqliteClient extends SqlClient.SqlClient {
  readonly config: SqliteClientConfig
  readonly updateValues: never
}

/** The `SqliteClient` service; `layer` provides it together with the generic `SqlClient`. */
export const SqliteClient = Context.Service<SqliteClient>("@pombo/sql-sqlite/SqliteClient")

/** Opens the database for the lifetime of the current scope and builds the client over it. */
export const make = Effect.fnUntraced(function* (config: SqliteClientConfig) {
  const connection = yield* openConnection(config)
  const acquirers = SqlClient.makeSqliteAcquirers({
    connection: Effect.succeed(connection),
    semaphore: yield* Semaphore.make(1),
    isTransaction: (conn: SqliteConnection) => conn.db.isTransaction
  })
  const client = yield* SqlClient.make({
    ...acquirers,
    driver: "sqlite-node",
    compiler: Statement.makeCompilerSqlite(config.transformQueryNames),
    transformRows: config.transformResultNames
      ? Statement.defaultTransforms(config.transformResultNames).array
      : undefined,
    beginTransaction: config.beginTransaction ?? "BEGIN IMMEDIATE",
    spanAttributes: [...Object.entries(config.spanAttributes ?? {}), ["db.system.name", "sqlite"]]
  })
  return Object.assign(client as SqliteClient, { config })
})

/** Provides `SqliteClient` and `SqlClient`; fails when the file cannot be opened; closes it on release. */
export const layer = (config: SqliteClientConfig): Layer.Layer<SqliteClient | SqlClient.SqlClient, SqlError.SqlError> =>
  Layer.effectContext(Effect.map(make(config), toContext)).pipe(Layer.provide(Reactivity.layer))

/**
 * Like `layer`, reading the options from configuration, e.g.
 * `layerConfig({ filename: Config.String("POMBO_SQLITE_FILE") })`.
 */
export const layerConfig = (
  config: Config.Wrap<SqliteClientConfig>
): Layer.Layer<SqliteClient | SqlClient.SqlClient, Config.ConfigError | SqlError.SqlError> =>
  Layer.effectContext(
    Effect.gen(function* () {
      return toContext(yield* make(yield* Config.unwrap(config)))
    })
  ).pipe(Layer.provide(Reactivity.layer))

const toContext = (client: SqliteClient) =>
  Context.make(SqliteClient, client).pipe(Context.add(SqlClient.SqlClient, client))

interface SqliteConnection extends SqlConnection.Connection {
  readonly db: DatabaseSync
}

const openConnection = (config: SqliteClientConfig): Effect.Effect<SqliteConnection, SqlError.SqlError, Scope.Scope> =>
  Effect.gen(function* () {
    const db = yield* Effect.acquireRelease(
      attempt("open", () => new DatabaseSync(config.filename, { readOnly: config.readonly ?? false })),
      (db) => Effect.sync(() => db.isOpen && db.close())
    )
    yield* attempt("configure", () => {
      db.exec(`PRAGMA busy_timeout = ${Math.round(Duration.toMillis(config.busyTimeout ?? Duration.seconds(5)))}`)
      if (config.disableWAL !== true && config.readonly !== true) db.exec("PRAGMA journal_mode = WAL")
      db.exec(`PRAGMA synchronous = ${config.synchronous === "NORMAL" ? "NORMAL" : "FULL"}`)
    })
    const prepared = statementCache(db, config.prepareCacheSize ?? 200)

    const rows = (statement: StatementSync, params: ReadonlyArray<unknown>, arrays: boolean, raw: boolean) =>
      Effect.withFiber<Rows, SqlError.SqlError>((fiber) =>
        attempt("execute", () => {
          statement.setReadBigInts(fiber.getRef(SqlClient.SafeIntegers))
          statement.setReturnArrays(arrays)
          const args = params as Array<SQLInputValue>
          if (statement.columns().length > 0) return statement.all(...args)
          const result = statement.run(...args)
          return raw ? { changes: result.changes, lastInsertRowid: result.lastInsertRowid } : []
        })
      )
    const cached = (sql: string) => attempt("prepare", () => prepared(sql))
    const fresh = (sql: string) => attempt("prepare", () => db.prepare(sql))
    const transformed = (
      effect: Effect.Effect<ReadonlyArray<Rows>, SqlError.SqlError>,
      transformRows: (<A extends object>(rows: ReadonlyArray<A>) => ReadonlyArray<A>) | undefined
    ) => (transformRows ? Effect.map(effect, transformRows) : effect)

    return {
      db,
      execute: (sql, params, transformRows) =>
        transformed(
          Effect.flatMap(cached(sql), (s) => rows(s, params, false, false)),
          transformRows
        ),
      executeRaw: (sql, params) => Effect.flatMap(cached(sql), (s) => rows(s, params, false, true)),
      executeValues: (sql, params) => Effect.flatMap(cached(sql), (s) => rows(s, params, true, false)),
      executeValuesUnprepared: (sql, params) => Effect.flatMap(fresh(sql), (s) => rows(s, params, true, false)),
      executeUnprepared: (sql, params, transformRows) =>
        transformed(
          Effect.flatMap(fresh(sql), (s) => rows(s, params, false, false)),
          transformRows
        ),
      // The statement's scope holds the connection's lease until the stream ends, so iterating
      // a dedicated statement is safe from other fibers.
      executeStream: (sql, params, transformRows) =>
        Stream.unwrap(
          Effect.map(fresh(sql), (statement) => {
            const iterator = statement.iterate(...(params as Array<SQLInputValue>))
            return Stream.paginate(undefined, () =>
              attempt("stream", () => {
                const chunk: Array<Row> = []
                for (let next = iterator.next(); !next.done; next = iterator.next()) {
                  chunk.push(next.value)
                  if (chunk.length === 256) return [transformRows ? transformRows(chunk) : chunk, some] as const
                }
                return [transformRows ? transformRows(chunk) : chunk, none] as const
              })
            )
          })
        )
    } satisfies SqliteConnection
  })

type Row = Record<string, unknown>
// biome-ignore lint/suspicious/noExplicitAny: the `Connection` contract hands rows back untyped.
type Rows = any

const some = Option.some(undefined)
const none = Option.none<undefined>()

/** Prepared statements by SQL text, least recently used evicted first; failures are never kept. */
const statementCache = (db: DatabaseSync, capacity: number) => {
  const statements = new Map<string, StatementSync>()
  return (sql: string): StatementSync => {
    const hit = statements.get(sql)
    if (hit !== undefined) {
      statements.delete(sql)
      statements.set(sql, hit)
      return hit
    }
    const statement = db.prepare(sql)
    if (capacity > 0) {
      if (statements.size >= capacity) statements.delete(statements.keys().next().value!)
      statements.set(sql, statement)
    }
    return statement
  }
}

/** Runs a synchronous `node:sqlite` call, turning what it throws into a classified `SqlError`. */
const attempt = <A>(operation: string, f: () => A): Effect.Effect<A, SqlError.SqlError> =>
  Effect.try({ try: f, catch: (cause) => new SqlError.SqlError({ reason: classify(cause, operation) }) })

const SQLITE_CONSTRAINT_PRIMARYKEY = 1555

const classify = (cause: unknown, operation: string): SqlError.SqlErrorReason => {
  const message = cause instanceof Error ? cause.message : `SQLite ${operation} failed`
  // `node:sqlite` reports the extended result code as `errcode`; the classifier reads `errno`.
  const errcode = typeof cause === "object" && cause !== null && "errcode" in cause ? cause.errcode : undefined
  // A duplicate primary key is a uniqueness violation, as Postgres reports it; effect's
  // classifier only knows SQLite's UNIQUE code.
  if (errcode === SQLITE_CONSTRAINT_PRIMARYKEY) {
    const constraint = message.split("constraint failed:")[1]?.trim() || "unknown"
    return new SqlError.UniqueViolation({ cause, message, operation, constraint })
  }
  const withErrno = typeof errcode === "number" ? Object.assign(cause as object, { errno: errcode }) : cause
  return SqlError.classifySqliteError(withErrno, { message, operation })
}
