/**
 * The inbox's queries. Each is one statement, written once for SQLite and Postgres alike.
 *
 * States: `pending` (waiting, backing off, or leased to a worker), `done`, `dead`. A pending row
 * is handed out only when it is its lane's oldest pending row, so a chat's events reach the
 * handler in arrival order, and only when its lease is free or has expired, so a crashed
 * worker's events come back. Settling a row is guarded by the lease owner: a worker whose lease
 * lapsed cannot overwrite what another worker did since.
 */
import { Array as Arr, Effect } from "effect"
import { SqlClient, type SqlError } from "effect/sql"
import { migrate } from "./migrations.ts"

/** A row handed to a worker. */
export interface Claimed {
  readonly seq: number
  readonly key: string
  readonly json: string
  readonly attempts: number
}

/** A row in the dead-letter state. */
export interface DeadRow {
  readonly key: string
  readonly json: string
  readonly attempts: number
  readonly lastError: string | null
  readonly receivedAt: number
  readonly deadAt: number
}

export type Store = Effect.Success<ReturnType<typeof makeStore>>

export const makeStore = Effect.fnUntraced(function* (table: string) {
  const sql = yield* SqlClient.SqlClient
  yield* migrate(table)
  const t = sql(table)
  const num = (value: unknown) => Number(value)
  const count = <E, R>(rows: Effect.Effect<ReadonlyArray<unknown>, E, R>) => Effect.map(rows, (r) => r.length)

  return {
    /** Stores the events whose keys are not there yet; answers, per event, whether it was new. */
    insert: (
      events: ReadonlyArray<{ readonly key: string; readonly lane: string; readonly json: string }>,
      now: number
    ): Effect.Effect<Array<boolean>, SqlError.SqlError> => {
      const rows = events.map(
        (e): Record<string, unknown> => ({
          event_key: e.key,
          lane: e.lane,
          event: e.json,
          state: "pending",
          attempts: 0,
          available_at: now,
          received_at: now
        })
      )
      if (!Arr.isReadonlyArrayNonEmpty(rows)) return Effect.succeed([])
      return Effect.map(
        sql<{ event_key: string }>`INSERT INTO ${t} ${sql.insert(rows)}
          ON CONFLICT (event_key) DO NOTHING RETURNING event_key`,
        (inserted) => {
          // A key twice in one batch is inserted once: only its first occurrence is new.
          const fresh = new Set(inserted.map((r) => r.event_key))
          return events.map((e) => fresh.delete(e.key))
        }
      )
    },

    /** Leases up to `limit` lane heads that are due, counting an attempt for each. */
    claim: (
      owner: string,
      now: number,
      until: number,
      limit: number
    ): Effect.Effect<Array<Claimed>, SqlError.SqlError> =>
      Effect.map(
        sql<{ seq: unknown; event_key: string; event: string; attempts: unknown }>`
          UPDATE ${t} SET lease_owner = ${owner}, lease_until = ${until}, attempts = attempts + 1
          WHERE seq IN (
            SELECT p.seq FROM ${t} p
            WHERE p.state = 'pending' AND p.available_at <= ${now}
              AND (p.lease_until IS NULL OR p.lease_until < ${now})
              AND NOT EXISTS (
                SELECT 1 FROM ${t} q WHERE q.lane = p.lane AND q.state = 'pending' AND q.seq < p.seq
              )
            ORDER BY p.seq
            LIMIT ${limit}
          )
          AND state = 'pending' AND (lease_until IS NULL OR lease_until < ${now})
          RETURNING seq, event_key, event, attempts`,
        (rows) =>
          rows
            .map((r) => ({ seq: num(r.seq), key: r.event_key, json: r.event, attempts: num(r.attempts) }))
            .sort((a, b) => a.seq - b.seq)
      ),

    /** Extends the leases this owner holds on the rows whose handlers are running. */
    renew: (owner: string, seqs: ReadonlyArray<number>, until: number) =>
      sql`UPDATE ${t} SET lease_until = ${until}
        WHERE seq IN ${sql.in(seqs)} AND lease_owner = ${owner} AND state = 'pending'`.pipe(Effect.asVoid),

    /** Frees the leases a previous run under the same owner name left behind when it died. */
    recover: (owner: string) =>
      sql`UPDATE ${t} SET lease_owner = NULL, lease_until = NULL
        WHERE lease_owner = ${owner} AND state = 'pending'`.pipe(Effect.asVoid),

    /** Marks handled rows done, many in one statement. */
    complete: (seqs: ReadonlyArray<number>, owner: string, now: number) =>
      sql`UPDATE ${t} SET state = 'done', lease_owner = NULL, lease_until = NULL, settled_at = ${now}
        WHERE seq IN ${sql.in(seqs)} AND lease_owner = ${owner}`.pipe(Effect.asVoid),

    /** Frees the row for another attempt at `availableAt`. */
    retry: (seq: number, owner: string, availableAt: number, error: string) =>
      sql`UPDATE ${t} SET available_at = ${availableAt}, lease_owner = NULL, lease_until = NULL, last_error = ${error}
        WHERE seq = ${seq} AND lease_owner = ${owner}`.pipe(Effect.asVoid),

    /** Moves the row to the dead letters; its lane moves on. */
    bury: (seq: number, owner: string, now: number, error: string) =>
      sql`UPDATE ${t} SET state = 'dead', lease_owner = NULL, lease_until = NULL, last_error = ${error}, settled_at = ${now}
        WHERE seq = ${seq} AND lease_owner = ${owner}`.pipe(Effect.asVoid),

    /** Gives an unfinished attempt back (shutdown): not counted, due at once. */
    release: (seq: number, owner: string) =>
      sql`UPDATE ${t} SET attempts = attempts - 1, lease_owner = NULL, lease_until = NULL
        WHERE seq = ${seq} AND lease_owner = ${owner} AND state = 'pending'`.pipe(Effect.asVoid),

    deadLetters: (limit: number): Effect.Effect<Array<DeadRow>, SqlError.SqlError> =>
      Effect.map(
        sql<{
          event_key: string
          event: string
          attempts: unknown
          last_error: string | null
          received_at: unknown
          settled_at: unknown
        }>`SELECT event_key, event, attempts, last_error, received_at, settled_at FROM ${t}
          WHERE state = 'dead' ORDER BY seq LIMIT ${limit}`,
        (rows) =>
          rows.map((r) => ({
            key: r.event_key,
            json: r.event,
            attempts: num(r.attempts),
            lastError: r.last_error,
            receivedAt: num(r.received_at),
            deadAt: num(r.settled_at)
          }))
      ),

    /** Puts dead letters (one key, or all) back to pending with a fresh attempt budget. */
    replay: (key: string | undefined, now: number) =>
      count(
        sql`UPDATE ${t} SET state = 'pending', attempts = 0, available_at = ${now}, settled_at = NULL
          WHERE state = 'dead' ${key === undefined ? sql`` : sql`AND event_key = ${key}`} RETURNING seq`
      ),

    /** Forgets handled events settled before `before`; their keys no longer dedupe. */
    purge: (before: number) =>
      count(sql`DELETE FROM ${t} WHERE state = 'done' AND settled_at < ${before} RETURNING seq`),

    counts: Effect.map(
      sql<{ state: string; n: unknown }>`SELECT state, COUNT(*) AS n FROM ${t} GROUP BY state`,
      (rows) => {
        const of = (state: string) => num(rows.find((r) => r.state === state)?.n ?? 0)
        return { pending: of("pending"), handled: of("done"), dead: of("dead") }
      }
    )
  }
})
