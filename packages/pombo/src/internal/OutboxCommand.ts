/**
 * `pombo outbox status <key>` and `pombo outbox tail`: read the outbox's store — the SQLite file
 * or Postgres URL in `POMBO_OUTBOX_STORE` (or `--store`) — from outside the application that sends.
 * A Postgres URL carries a password: it is never printed, and a failure names only the store kind.
 */
import { existsSync } from "node:fs"
import { Outbox } from "@pombo/outbox"
import { SqliteClient } from "@pombo/sql-sqlite"
import { Config, Console, Data, Effect, Layer, Option, Redacted, Stream } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import type { SqlClient } from "effect/sql"

/** `POMBO_OUTBOX_STORE`: the outbox's SQLite file, or a `postgres://` URL. */
export const storeConfig: Config.Config<Redacted.Redacted<string>> = Config.Redacted("POMBO_OUTBOX_STORE")

/** The store cannot be opened as given. */
export class OutboxStoreError extends Data.TaggedError("OutboxStoreError")<{ readonly message: string }> {}

const isPostgres = (location: string) => /^postgres(ql)?:\/\//i.test(location)

/** A layer failing with `message` whatever went wrong: a driver's error may carry the URL. */
const failingWith = (message: string) => (): Layer.Layer<SqlClient.SqlClient, OutboxStoreError> => {
  const failure: Effect.Effect<Layer.Layer<SqlClient.SqlClient>, OutboxStoreError> = Effect.fail(
    new OutboxStoreError({ message })
  )
  return Layer.unwrap(failure)
}

/** The `SqlClient` of the store: Postgres for a URL (`@effect/sql-pg`, loaded only then), else a SQLite file that must exist. */
const storeLayer = (location: Redacted.Redacted<string>): Layer.Layer<SqlClient.SqlClient, OutboxStoreError> => {
  const value = Redacted.value(location)
  if (isPostgres(value)) {
    return Layer.unwrap(
      Effect.map(
        Effect.tryPromise({
          try: () => import("@effect/sql-pg"),
          catch: () =>
            new OutboxStoreError({
              message: "a Postgres outbox needs @effect/sql-pg, which is not installed: npm install @effect/sql-pg"
            })
        }),
        ({ PgClient }) =>
          PgClient.layer({ url: location }).pipe(
            Layer.catchCause(failingWith("could not open the Postgres outbox store (its URL is not shown)"))
          )
      )
    )
  }
  if (!existsSync(value)) {
    return failingWith(`no outbox store at ${JSON.stringify(value)} (a SQLite file)`)()
  }
  return SqliteClient.layer({ filename: value }).pipe(
    Layer.catchCause(failingWith(`could not open the SQLite outbox store ${JSON.stringify(value)}`))
  )
}

const store = Flag.Redacted("store").pipe(
  Flag.withDescription("The outbox's SQLite file or postgres:// URL (default: POMBO_OUTBOX_STORE)"),
  Flag.optional
)
const table = Flag.String("table").pipe(
  Flag.withDescription("The outbox's table (default pombo_outbox)"),
  Flag.withDefault("pombo_outbox")
)

/** `Outbox` over the store named by `--store` or `POMBO_OUTBOX_STORE`. */
const outboxLayer = (flags: { readonly store: Option.Option<Redacted.Redacted<string>>; readonly table: string }) =>
  Layer.unwrap(
    Effect.map(Option.isSome(flags.store) ? Effect.succeed(flags.store.value) : storeConfig, (location) =>
      Outbox.layer({ table: flags.table }).pipe(Layer.provide(storeLayer(location)))
    )
  )

/** A status as `--json` prints it: dates in ISO 8601, the error as its tag and message. */
export const statusJson = (status: Outbox.Status) => ({
  key: status.key,
  number: status.number,
  recipient: status.recipient,
  operation: status.operation,
  state: status.state,
  attempts: status.attempts,
  uncertainAttempts: status.uncertainAttempts,
  messageId: status.messageId,
  error: status.error === undefined ? undefined : { _tag: status.error._tag, message: status.error.message },
  createdAt: status.createdAt.toISOString(),
  updatedAt: status.updatedAt.toISOString(),
  acceptedAt: status.acceptedAt?.toISOString(),
  deliveredAt: status.deliveredAt?.toISOString(),
  readAt: status.readAt?.toISOString()
})

const ok = new Set<Outbox.State>(["accepted", "delivered", "read"])

/** One line per status: time of the change, key, state, where it goes and what came of it. */
export const describeStatus = (status: Outbox.Status): string =>
  [
    status.updatedAt.toISOString().slice(11, 19),
    ` ${ok.has(status.state) ? "✓" : status.state === "failed" || status.state === "uncertain" ? "✗" : "·"} ${status.key}`,
    ` ${status.state.padEnd(9)}`,
    ` ${status.number} → ${status.recipient} (${status.operation}`,
    status.attempts > 1 ? `, ${status.attempts} attempts` : "",
    ")",
    status.messageId === undefined ? "" : ` message ${status.messageId}`,
    status.error === undefined ? "" : ` — ${status.error.message}`
  ].join("")

/** The send with `key` is not in the store. */
export class SendNotFound extends Data.TaggedError("SendNotFound")<{ readonly key: string }> {
  override get message() {
    return `no send with key ${JSON.stringify(this.key)} in the outbox`
  }
}

/**
 * The `outbox` command. `report` prints a failure (one line, or JSON with `--json`) and sets the
 * exit code; `config` provides the configuration (the environment and `.env`).
 */
export const command = <R>(options: {
  readonly json: Flag.Flag<boolean>
  readonly report: (asJson: boolean) => <A, E, R2>(effect: Effect.Effect<A, E, R2>) => Effect.Effect<void, never, R2>
  readonly config: Layer.Layer<never, never, R>
}) => {
  const { json, report } = options
  const print = (value: unknown) => Console.log(JSON.stringify(value, null, 2))
  const status = Command.make(
    "status",
    { key: Argument.String("key").pipe(Argument.withDescription("The send's idempotency key")), store, table, json },
    (flags) =>
      Effect.gen(function* () {
        const outbox = yield* Outbox.Outbox
        const found = yield* outbox.status(flags.key)
        if (found === undefined) return yield* new SendNotFound({ key: flags.key })
        if (flags.json) return yield* print(statusJson(found))
        yield* Console.log(describeStatus(found))
      }).pipe(Effect.provide(outboxLayer(flags)), Effect.provide(options.config), report(flags.json))
  ).pipe(Command.withDescription("Show where one send is: queued, sending, accepted, delivered, read, failed…"))

  const tail = Command.make("tail", { store, table, json }, (flags) =>
    Effect.gen(function* () {
      const outbox = yield* Outbox.Outbox
      // Started before it is announced: a change made once the user (or a script) reads the
      // announcement is shown.
      const changes = yield* outbox.tail
      // On stderr, so that stdout stays one JSON object a line with --json.
      yield* Console.error("Following the outbox (Ctrl-C to stop)")
      yield* Stream.runForEach(changes, (change) =>
        Console.log(flags.json ? JSON.stringify(statusJson(change)) : describeStatus(change))
      )
    }).pipe(Effect.provide(outboxLayer(flags)), Effect.provide(options.config), report(flags.json))
  ).pipe(Command.withDescription("Print every status change as it happens (--json: one JSON object a line)"))

  return Command.make("outbox").pipe(
    Command.withDescription("Follow the durable outbox's sends"),
    Command.withSubcommands([status, tail])
  )
}
