/**
 * One outbox cluster runner for the outbox figures, in its own process (as a deployment runs
 * them): `node outboxRunner.ts <postgres url> <port> <stand-in url>`. Ready once its layer is
 * built; exits when the bench disconnects.
 */
import { NodeRuntime } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import { runnerLayer } from "../adapters/outbox.ts"
import { serveParent } from "../Child.ts"

const [url, port, baseUrl] = process.argv.slice(2) as [string, string, string]

Effect.gen(function* () {
  yield* Layer.build(runnerLayer(url, Number(port), baseUrl))
  serveParent({ port: Number(port) })
  return yield* Effect.never
}).pipe(Effect.scoped, NodeRuntime.runMain)
