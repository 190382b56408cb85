/**
 * The outbox's queries. Each is one statement, written once for SQLite and Postgres alike.
 *
 * Every state change is a guarded `UPDATE … WHERE state IN (…) RETURNING *`, so a change that
 * lost a race (a cancel against a claim, a late receipt against a recovery) changes nothing and
 * says so. Number ownership is a lease on the number's row: only the lease holder claims and
 * dispatches that number's sends. The pacing history is `<table>_pacing`, one row per attempt,
 * so a resend never hides the attempt before it.
 */
import { Effect } from "effect"
import { SqlClient, type SqlError } from "effect/sql"
import { migrate } from "./migrations.ts"

/** A send as stored. */
export interface Row {
  readonly seq: number
  readonly key: string
  readonly number: string
  readonly recipient: string
  readonly operation: string
  readonly input: string
  readonly state: string
  readonly attempts: number
  readonly uncertain: number
  readonly availableAt: number
  readonly attemptedAt: number | undefined
  readonly messageId: string | undefined
  readonly error: string | undefined
  readonly createdAt: number
  readonly updatedAt: number
  readonly acceptedAt: number | undefined
  readonly deliveredAt: number | undefined
  readonly readAt: number | undefined
}

/** A number as stored. */
export interface NumberRow {
  readonly number: string
  readonly state: string
  readonly reason: string | undefined
  readonly resumeAt: number | undefined
  readonly warmupStartedAt: number | undefined
  readonly updatedAt: number
}

export type Store = Effect.Success<ReturnType<typeof makeStore>>

type Raw = Record<string, unknown>

const int = (value: unknown) => Number(value)
const optInt = (value: unknown) => (value === null || value === undefined ? undefined : Number(value))
const optStr = (value: unknown) => (value === null || value === undefined ? undefined : String(value))

const toRow = (r: Raw): Row => ({
  seq: int(r.seq),
  key: String(r.send_key),
  number: String(r.number),
  recipient: String(r.recipient),
  operation: String(r.operation),
  input: String(r.input),
  state: String(r.state),
  attempts: int(r.attempts),
  uncertain: int(r.uncertain),
  availableAt: int(r.available_at),
  attemptedAt: optInt(r.attempted_at),
  messageId: optStr(r.message_id),
  error: optStr(r.error),
  createdAt: int(r.created_at),
  updatedAt: int(r.updated_at),
  acceptedAt: optInt(r.accepted_at),
  deliveredAt: optInt(r.delivered_at),
  readAt: optInt(r.read_at)
})

const toNumber = (r: Raw): NumberRow => ({
  number: String(r.number),
  state: String(r.state),
  reason: optStr(r.reason),
  resumeAt: optInt(r.resume_at),
  warmupStartedAt: optInt(r.warmup_started_at),
  updatedAt: int(r.updated_at)
})

export const makeStore = Effect.fnUntraced(function* (table: string) {
  const sql = yield* SqlClient.SqlClient
  yield* migrate(table)
  const t = sql(table)
  const n = sql(`${table}_numbers`)
  const a = sql(`${table}_pacing`)
  /**
   * Moves an attempt's pacing time from its claim to when its dispatch returned: the request
   * left at the latest then, so pacing from it keeps every gap whenever the request really left
   * (after the typing time, a slow connection, a busy event loop).
   */
  const left = (seq: number, attempt: number, at: number) =>
    sql`UPDATE ${a} SET at = ${at} WHERE seq = ${seq} AND attempt = ${attempt}`
  const one = <E, R>(rows: Effect.Effect<ReadonlyArray<Raw>, E, R>) =>
    Effect.map(rows, (r) => (r[0] === undefined ? undefined : toRow(r[0])))
  const oneNumber = <E, R>(rows: Effect.Effect<ReadonlyArray<Raw>, E, R>) =>
    Effect.map(rows, (r) => (r[0] === undefined ? undefined : toNumber(r[0])))

  return {
    /** Stores a new send unless its key exists; returns the stored row and whether it was new. */
    insert: (send: {
      readonly key: string
      readonly number: string
      readonly recipient: string
      readonly operation: string
      readonly input: string
      readonly campaign: string | undefined
      readonly now: number
    }): Effect.Effect<{ readonly row: Row; readonly created: boolean }, SqlError.SqlError> =>
      Effect.gen(function* () {
        yield* sql`INSERT INTO ${n} (number, state, updated_at) VALUES (${send.number}, 'active', ${send.now})
          ON CONFLICT (number) DO NOTHING`
        const inserted = yield* one(sql<Raw>`
          INSERT INTO ${t} (send_key, number, recipient, operation, input, state, attempts, uncertain,
            available_at, created_at, updated_at, campaign)
          VALUES (${send.key}, ${send.number}, ${send.recipient}, ${send.operation}, ${send.input}, 'queued', 0, 0,
            ${send.now}, ${send.now}, ${send.now}, ${send.campaign ?? null})
          ON CONFLICT (send_key) DO NOTHING RETURNING *`)
        if (inserted !== undefined) return { row: inserted, created: true }
        const existing = yield* one(sql<Raw>`SELECT * FROM ${t} WHERE send_key = ${send.key}`)
        // The row exists: the conflict said so, and rows are never deleted.
        return { row: existing as Row, created: false }
      }),

    get: (key: string) => one(sql<Raw>`SELECT * FROM ${t} WHERE send_key = ${key}`),

    /** How many of a campaign's sends are in each state. */
    campaignCounts: (campaign: string) =>
      Effect.map(
        sql<{
          state: string
          n: unknown
        }>`SELECT state, COUNT(*) AS n FROM ${t} WHERE campaign = ${campaign} GROUP BY state`,
        (rows) => new Map(rows.map((r) => [r.state, Number(r.n)] as const))
      ),

    cancel: (key: string, now: number) =>
      one(sql<Raw>`UPDATE ${t} SET state = 'cancelled', updated_at = ${now}
        WHERE send_key = ${key} AND state = 'queued' RETURNING *`),

    /** Moves an accepted (or delivered) send forward; never backwards. */
    advance: (number: string, messageId: string, state: "delivered" | "read", at: number) =>
      one(
        state === "delivered"
          ? sql<Raw>`UPDATE ${t} SET state = 'delivered', delivered_at = ${at}, updated_at = ${at}
              WHERE message_id = ${messageId} AND number = ${number} AND state = 'accepted' RETURNING *`
          : sql<Raw>`UPDATE ${t} SET state = 'read', read_at = ${at}, delivered_at = COALESCE(delivered_at, ${at}),
              updated_at = ${at}
              WHERE message_id = ${messageId} AND number = ${number} AND state IN ('accepted', 'delivered') RETURNING *`
      ),

    /** Numbers with sends to make or to recover, except stopped ones. */
    numbersWithWork: Effect.map(
      sql<{ number: string }>`SELECT DISTINCT o.number FROM ${t} o JOIN ${n} m ON m.number = o.number
        WHERE o.state IN ('queued', 'sending') AND m.state <> 'stopped'`,
      (rows) => rows.map((r) => r.number)
    ),

    /** Takes the number's lease when it is free, expired, or already this owner's. */
    acquire: (number: string, owner: string, now: number, until: number) =>
      Effect.map(
        sql`UPDATE ${n} SET owner = ${owner}, lease_until = ${until}
          WHERE number = ${number} AND (owner IS NULL OR owner = ${owner} OR lease_until < ${now}) RETURNING number`,
        (rows) => rows.length === 1
      ),

    /** Extends this owner's lease; false when another owner took it. */
    renew: (number: string, owner: string, until: number) =>
      Effect.map(
        sql`UPDATE ${n} SET lease_until = ${until} WHERE number = ${number} AND owner = ${owner} RETURNING number`,
        (rows) => rows.length === 1
      ),

    release: (number: string, owner: string) =>
      sql`UPDATE ${n} SET owner = NULL, lease_until = NULL WHERE number = ${number} AND owner = ${owner}`.pipe(
        Effect.asVoid
      ),

    number: (number: string) => oneNumber(sql<Raw>`SELECT * FROM ${n} WHERE number = ${number}`),

    /** Sets the number's state; `from` guards against overwriting a newer decision. */
    setNumber: (
      number: string,
      change: { readonly state: string; readonly reason: string | undefined; readonly resumeAt: number | undefined },
      now: number
    ) =>
      oneNumber(sql<Raw>`UPDATE ${n} SET state = ${change.state}, reason = ${change.reason ?? null},
        resume_at = ${change.resumeAt ?? null}, updated_at = ${now} WHERE number = ${number} RETURNING *`),

    /**
     * Sends of the number whose attempt started but whose outcome was never stored. Their attempt
     * time becomes `now`: the previous owner's request left at the latest when it died, which
     * was before now, so pacing from now keeps the gap whenever it actually left.
     */
    interrupted: (number: string, now: number) =>
      Effect.gen(function* () {
        yield* sql`UPDATE ${a} SET at = ${now} WHERE number = ${number} AND EXISTS (
          SELECT 1 FROM ${t} s WHERE s.seq = ${a}.seq AND s.attempts = ${a}.attempt AND s.state = 'sending')`
        const rows = yield* sql<Raw>`UPDATE ${t} SET state = 'uncertain', uncertain = uncertain + 1,
          attempted_at = ${now}, updated_at = ${now}
          WHERE number = ${number} AND state = 'sending' RETURNING *`
        return rows.map(toRow)
      }),

    /** Puts an uncertain send back in line (the `resend` policy). */
    requeueUncertain: (seq: number, now: number) =>
      one(sql<Raw>`UPDATE ${t} SET state = 'queued', available_at = ${now}, updated_at = ${now}
        WHERE seq = ${seq} AND state = 'uncertain' RETURNING *`),

    /** The oldest queued sends of the number, in order. */
    queued: (number: string, limit: number) =>
      Effect.map(
        sql<Raw>`SELECT * FROM ${t} WHERE number = ${number} AND state = 'queued' ORDER BY seq LIMIT ${limit}`,
        (rows) => rows.map(toRow)
      ),

    /**
     * The number's attempts since `since`, ascending, with their recipients: every request that
     * left or may have left, a resent one's first attempt included.
     */
    attempts: (number: string, since: number) =>
      Effect.map(
        sql<{ at: unknown; recipient: string }>`SELECT at, recipient FROM ${a}
          WHERE number = ${number} AND at > ${since} ORDER BY at`,
        (rows) => rows.map((r) => ({ at: int(r.at), recipient: r.recipient }))
      ),

    /** Drops the number's attempts up to `before`, older than any pacing window. */
    forget: (number: string, before: number) =>
      Effect.asVoid(sql`DELETE FROM ${a} WHERE number = ${number} AND at <= ${before}`),

    /** Drops an attempt whose request provably never left: it is not part of the pacing history. */
    unsent: (seq: number, attempt: number) =>
      Effect.asVoid(sql`DELETE FROM ${a} WHERE seq = ${seq} AND attempt = ${attempt}`),

    /**
     * Records the attempt before the request leaves, in the send and in the number's pacing
     * history; starts the warm-up on the first one.
     */
    claim: (seq: number, number: string, now: number) =>
      Effect.gen(function* () {
        const row = yield* one(sql<Raw>`UPDATE ${t} SET state = 'sending', attempts = attempts + 1,
          attempted_at = ${now}, updated_at = ${now} WHERE seq = ${seq} AND state = 'queued' RETURNING *`)
        if (row !== undefined) {
          yield* sql`INSERT INTO ${a} (seq, attempt, number, recipient, at)
            VALUES (${row.seq}, ${row.attempts}, ${number}, ${row.recipient}, ${now})`
          yield* sql`UPDATE ${n} SET warmup_started_at = ${now}
            WHERE number = ${number} AND warmup_started_at IS NULL`
        }
        return row
      }).pipe(sql.withTransaction),

    /**
     * Stores the receipt. A receipt is the proof the vendor took the message, so it also settles a
     * send that a recovery marked uncertain meanwhile (or requeued, before it went again).
     */
    accept: (seq: number, attempt: number, messageId: string, at: number, dispatchedAt: number, now: number) =>
      Effect.andThen(
        left(seq, attempt, now),
        one(sql<Raw>`UPDATE ${t} SET state = 'accepted', message_id = ${messageId}, accepted_at = ${at},
        attempted_at = ${dispatchedAt}, error = NULL, updated_at = ${now}
        WHERE seq = ${seq} AND state IN ('sending', 'uncertain', 'queued') AND message_id IS NULL RETURNING *`)
      ),

    /**
     * Ends an attempt in `failed` or `uncertain`, or puts it back in line (`queued`). Like
     * `accept`, it records when the request left (`attempted_at`) and, for pacing, when its
     * dispatch returned (`now`).
     */
    settle: (
      seq: number,
      attempt: number,
      state: "failed" | "uncertain" | "queued",
      error: string,
      availableAt: number,
      dispatchedAt: number,
      now: number
    ) =>
      Effect.andThen(
        left(seq, attempt, now),
        one(sql<Raw>`UPDATE ${t} SET state = ${state}, error = ${error}, available_at = ${availableAt},
          attempted_at = ${dispatchedAt}, uncertain = uncertain + ${state === "uncertain" ? 1 : 0}, updated_at = ${now}
          WHERE seq = ${seq} AND state = 'sending' RETURNING *`)
      )
  }
})
