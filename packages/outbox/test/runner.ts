/**
 * One cluster runner process for the failover test: the outbox's number entities on
 * `NodeClusterSocket` over Postgres, sending to a fake vendor that appends every request it
 * receives to a shared log file (one JSON line each, written before it answers).
 *
 * Usage: node runner.ts <postgres url> <port> <log file>
 */
import { appendFileSync } from "node:fs"
import { NodeClusterSocket, NodeRuntime } from "@effect/platform-node"
import { PgClient } from "@effect/sql-pg"
import { Clock, Effect, Layer, Option, Redacted } from "effect"
import { RunnerAddress } from "effect/cluster"
import { Dispatcher, Outbox, OutboxCluster, Pacing } from "../src/index.ts"

const [url, port, log] = process.argv.slice(2) as [string, string, string]

const Vendor = Layer.succeed(
  Dispatcher.Dispatcher,
  Dispatcher.Dispatcher.of({
    dispatch: (request) =>
      Effect.gen(function* () {
        const at = yield* Clock.currentTimeMillis
        appendFileSync(log, `${JSON.stringify({ key: request.key, number: request.number, at, pid: process.pid })}\n`)
        yield* Effect.sleep("20 millis")
        return { messageId: `wamid.${request.key}`, at: new Date(at) }
      })
  })
)

const Runner = OutboxCluster.layer({
  pacing: { ...Pacing.off, minGap: "250 millis" },
  pollInterval: "200 millis"
}).pipe(
  Layer.provideMerge(Outbox.layer()),
  Layer.provide(Vendor),
  Layer.provide(
    NodeClusterSocket.layer({
      shardingConfig: {
        runnerAddress: Option.some(RunnerAddress.make("127.0.0.1", Number(port))),
        shardsPerGroup: 30
      }
    })
  ),
  Layer.provide(PgClient.layer({ url: Redacted.make(url) }))
)

Layer.launch(Runner).pipe(NodeRuntime.runMain)
