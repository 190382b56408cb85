/**
 * Adapter: the outbox as the outbox figures use it — `Outbox` + `OutboxWorker` with pacing off,
 * dispatching through `Dispatcher.layer` over Z-API's `WhatsApp` (effect's fetch client) to the
 * local stand-in, stored in SQLite (a temporary file) or Postgres (a URL). The only module of the
 * outbox figures that imports Pombo.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { NodeClusterSocket } from "@effect/platform-node"
import { PgClient } from "@effect/sql-pg"
import { ChatId, WhatsApp } from "@pombo/core"
import { Dispatcher, Outbox, OutboxCluster, OutboxWorker, Pacing } from "@pombo/outbox"
import { SqliteClient } from "@pombo/sql-sqlite"
import { ZApiClient, ZApiWhatsApp } from "@pombo/zapi"
import { Effect, Layer, ManagedRuntime, Option, Redacted, Stream } from "effect"
import { RunnerAddress, SqlMessageStorage, SqlRunnerStorage } from "effect/cluster"
import { FetchHttpClient } from "effect/http"
import { SqlClient } from "effect/sql"
import { message } from "./send.ts"

/** The sending numbers a batch is spread over: each is driven by its own loop. */
export const numbers = ["zapi:bench-1", "zapi:bench-2", "zapi:bench-3", "zapi:bench-4"] as const

const token = Redacted.make("bench-token")

/** Z-API's `WhatsApp` over effect's fetch client, pointed at the stand-in. */
const zapi = (baseUrl: string) =>
  ZApiWhatsApp.layer.pipe(
    Layer.provide(ZApiClient.layer({ instanceId: "BENCH-INSTANCE", token, clientToken: token, baseUrl })),
    Layer.provide(FetchHttpClient.layer)
  )

/** One outbox over one store, and a direct `WhatsApp.sendText` to the same stand-in. */
export interface OutboxSenders {
  /** `WhatsApp.sendText`, directly: the floor of an outbox send. */
  readonly direct: Effect.Effect<unknown, unknown>
  /** Stores `n` sends over `numbers` and waits until the vendor accepted every one. */
  readonly batch: (n: number) => Promise<void>
  readonly close: () => Promise<void>
}

/** The outbox over SQLite in a temporary directory, or over the Postgres at `postgresUrl`. */
export const makeOutbox = async (baseUrl: string, postgresUrl?: string): Promise<OutboxSenders> => {
  const dir = postgresUrl === undefined ? mkdtempSync(join(tmpdir(), "pombo-bench-outbox-")) : undefined
  const store: Layer.Layer<SqlClient.SqlClient, unknown> =
    dir === undefined
      ? PgClient.layer({ url: Redacted.make(postgresUrl!) })
      : SqliteClient.layer({ filename: join(dir, "outbox.db") })
  const whatsapp = zapi(baseUrl)
  const runtime = ManagedRuntime.make(
    OutboxWorker.layer({ pacing: Pacing.off, pollInterval: "1 minute" }).pipe(
      // Local sends wake the worker; `watch` needs no polling here either.
      Layer.provideMerge(Outbox.layer({ pollInterval: "1 minute" })),
      Layer.provide(Dispatcher.layer),
      Layer.provideMerge(whatsapp),
      Layer.provide(store),
      Layer.orDie
    )
  )
  const { outbox, service } = await runtime.runPromise(
    Effect.all({ outbox: Effect.service(Outbox.Outbox), service: Effect.service(WhatsApp.WhatsApp) })
  )
  const to = await Effect.runPromise(ChatId.contact(message.to))
  let next = 0
  const accepted = (key: string) =>
    outbox.watch(key).pipe(
      Stream.takeUntil((status) => status.state !== "queued" && status.state !== "sending"),
      Stream.runLast,
      Effect.flatMap((status) =>
        status._tag === "Some" && status.value.state === "accepted"
          ? Effect.void
          : Effect.die(new Error(`outbox send ${key} ended ${JSON.stringify(status)}`))
      )
    )
  return {
    direct: service.sendText({ to, text: message.text }),
    batch: (n) =>
      runtime.runPromise(
        Effect.gen(function* () {
          const keys = Array.from({ length: n }, () => `bench-${next++}`)
          const lasts = new Map<string, string>()
          for (const [i, key] of keys.entries()) {
            const number = numbers[i % numbers.length]!
            yield* outbox.send({ key, number, operation: "sendText", input: { to, text: message.text } })
            lasts.set(number, key)
          }
          // One recipient per number: its sends leave in order, so the last one accepted means all were.
          yield* Effect.forEach(lasts.values(), accepted, { concurrency: "unbounded", discard: true })
        })
      ),
    close: async () => {
      await runtime.dispose()
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
    }
  }
}

/**
 * One cluster runner (run in its own process by `children/outboxRunner.ts`): the number entities
 * on `NodeClusterSocket` over Postgres, pacing off, sending through Z-API to the stand-in.
 */
export const runnerLayer = (postgresUrl: string, port: number, baseUrl: string) =>
  OutboxCluster.layer({ pacing: Pacing.off, pollInterval: "100 millis" }).pipe(
    Layer.provideMerge(Outbox.layer()),
    Layer.provide(Dispatcher.layer),
    Layer.provide(zapi(baseUrl)),
    Layer.provide(
      NodeClusterSocket.layer({
        shardingConfig: { runnerAddress: Option.some(RunnerAddress.make("127.0.0.1", port)), shardsPerGroup: 30 }
      })
    ),
    Layer.provide(PgClient.layer({ url: Redacted.make(postgresUrl) }))
  )

/** The outbox's and the cluster's tables on a fresh database, and sends stored there for the runners. */
export const makeClusterClient = async (postgresUrl: string) => {
  const runtime = ManagedRuntime.make(
    Layer.mergeAll(Outbox.layer(), SqlMessageStorage.layerMigrations({}), SqlRunnerStorage.layerMigrations({})).pipe(
      Layer.provideMerge(PgClient.layer({ url: Redacted.make(postgresUrl) })),
      Layer.orDie
    )
  )
  const { outbox, sql } = await runtime.runPromise(
    Effect.all({ outbox: Effect.service(Outbox.Outbox), sql: Effect.service(SqlClient.SqlClient) })
  )
  const to = await Effect.runPromise(ChatId.contact(message.to))
  const count = (query: Effect.Effect<ReadonlyArray<{ readonly n: unknown }>, unknown>) =>
    runtime.runPromise(Effect.map(Effect.orDie(query), (rows) => Number(rows[0]?.n ?? 0)))
  let next = 0
  return {
    runners: () => count(sql`SELECT COUNT(*) AS n FROM cluster_runners`),
    accepted: () => count(sql`SELECT COUNT(*) AS n FROM pombo_outbox WHERE state = 'accepted'`),
    /** Stores `n` sends spread over `numbers` (the runners find them by polling). */
    store: (n: number, over: ReadonlyArray<string>) =>
      runtime.runPromise(
        Effect.forEach(
          Array.from({ length: n }, () => next++),
          (i) =>
            outbox.send({
              key: `cluster-${i}`,
              number: over[i % over.length]!,
              operation: "sendText",
              input: { to, text: message.text }
            }),
          { discard: true }
        )
      ),
    close: () => runtime.dispose()
  }
}
