/**
 * One cluster runner process for the failover test (`failover.ts` is the scenario): the outbox's
 * number entities on `NodeClusterSocket` over Postgres, sending to a fake vendor that appends
 * every request it receives to a shared log file (one JSON line each, written before it
 * answers). The vendor refuses the `gone` recipients and never answers the first request for the
 * `hung` one.
 *
 * Usage: node runner.ts <postgres url> <port> <log file> <skip | resend>
 */
import { appendFileSync, readFileSync } from "node:fs"
import { NodeClusterSocket, NodeRuntime } from "@effect/platform-node"
import { PgClient } from "@effect/sql-pg"
import { WhatsAppError } from "@pombo/core"
import { Clock, Effect, Layer, Option, Redacted } from "effect"
import { RunnerAddress } from "effect/cluster"
import { Dispatcher, Outbox, OutboxCluster } from "../src/index.ts"
import { gone, hung, pacing, sharding } from "./failover.ts"

const [url, port, log, onUncertain] = process.argv.slice(2) as [string, string, string, "skip" | "resend"]

const Vendor = Layer.succeed(
  Dispatcher.Dispatcher,
  Dispatcher.Dispatcher.of({
    dispatch: (request) =>
      Effect.gen(function* () {
        const at = yield* Clock.currentTimeMillis
        // Only its first request hangs: a resend goes through.
        const first = request.key === hung && !readFileSync(log, "utf8").includes(JSON.stringify(hung))
        appendFileSync(log, `${JSON.stringify({ key: request.key, number: request.number, at, pid: process.pid })}\n`)
        if (first) return yield* Effect.never
        yield* Effect.sleep("20 millis")
        if (request.key.endsWith(`/${gone}`)) {
          return yield* new WhatsAppError.RecipientNotFound({
            provider: request.number.slice(0, request.number.indexOf(":")),
            operation: request.operation,
            detail: "not on WhatsApp"
          })
        }
        return { messageId: `wamid.${request.key}`, at: new Date(at) }
      })
  })
)

const Runner = OutboxCluster.layer({ pacing, onUncertain, pollInterval: "200 millis" }).pipe(
  Layer.provideMerge(Outbox.layer()),
  Layer.provide(Vendor),
  Layer.provide(
    NodeClusterSocket.layer({
      shardingConfig: { ...sharding, runnerAddress: Option.some(RunnerAddress.make("127.0.0.1", Number(port))) }
    })
  ),
  Layer.provide(PgClient.layer({ url: Redacted.make(url) }))
)

Layer.launch(Runner).pipe(NodeRuntime.runMain)
