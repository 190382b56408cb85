/**
 * The process the crash tests kill: `InboxReceiver.layer` with both vendors' decoders on
 * node:http (127.0.0.1, a free port, told to the parent over IPC), on the store the parent names.
 * Its handler appends each handled message id to an append-only log — the record of what the
 * application saw, kept apart from the inbox. `mode` makes it fail at random or hang. SIGTERM
 * shuts it down gracefully (`NodeRuntime.runMain`); SIGKILL is the crash.
 */
import { appendFileSync } from "node:fs"
import { createServer } from "node:http"
import { NodeHttpServer, NodeRuntime } from "@effect/platform-node"
import type { WhatsAppEvent } from "@pombo/core"
import { MegaApiWebhook } from "@pombo/megaapi"
import { ZApiWebhook } from "@pombo/zapi"
import { Effect, Layer, Redacted } from "effect"
import { HttpRouter, HttpServer } from "effect/http"
import { clientOf, type Location } from "../../../testing/test/location.ts"
import { InboxReceiver } from "../../src/index.ts"

/** What the parent passes in `POMBO_CRASH_CHILD` (JSON). */
export interface ChildConfig {
  readonly location: Location
  readonly log: string
  /** `ok`: handle every event; `flaky`: fail a quarter of attempts at random; `hang`: never finish. */
  readonly mode: "ok" | "flaky" | "hang"
  readonly secret: string
  /** Also the receiver's and the worker's shutdown deadline. */
  readonly shutdownTimeout: `${number} seconds`
  readonly concurrency: number
  readonly maxAttempts: number
}

const config: ChildConfig = JSON.parse(process.env.POMBO_CRASH_CHILD ?? "")

const messageId = (event: WhatsAppEvent.WhatsAppEvent) =>
  event._tag === "MessageReceived" ? event.message.id : event.id

const handler = (event: WhatsAppEvent.WhatsAppEvent): Effect.Effect<void, string> =>
  Effect.suspend((): Effect.Effect<void, string> => {
    if (config.mode === "hang") return Effect.never
    if (config.mode === "flaky" && Math.random() < 0.25) return Effect.fail("flaky handler failed at random")
    // Synchronous: once it returns the line is in the kernel's page cache, which a SIGKILL keeps.
    appendFileSync(config.log, `${messageId(event)}\n`)
    return Effect.void
  })

const receiver = InboxReceiver.layer({
  decoders: [MegaApiWebhook.decoder, ZApiWebhook.decoder],
  secret: Redacted.make(config.secret),
  accessLog: false,
  shutdownTimeout: config.shutdownTimeout,
  store: clientOf(config.location),
  onEvent: handler,
  worker: {
    concurrency: config.concurrency,
    maxAttempts: config.maxAttempts,
    backoff: "20 millis",
    maxBackoff: "200 millis",
    pollInterval: "100 millis",
    shutdownTimeout: config.shutdownTimeout,
    // The same name at every start: a restart takes back its leftover leases at once.
    owner: "crash-test-receiver"
  }
})

// Announced once the routes are served: the server listens before they are (while the inbox
// migrates), and a call arriving then would wait on a socket nobody answers.
const announce = Layer.effectDiscard(
  HttpServer.addressFormattedWith((url) => Effect.sync(() => process.send?.({ port: Number(new URL(url).port) })))
)

announce.pipe(
  Layer.provide(
    HttpRouter.serve(receiver, { disableListenLog: true, disableLogger: true }).pipe(
      Layer.provideMerge(
        NodeHttpServer.layer(createServer, {
          port: 0,
          host: "127.0.0.1",
          // Keep-alive connections still posting would otherwise hold the server open at shutdown.
          gracefulShutdownTimeout: config.shutdownTimeout
        })
      )
    )
  ),
  Layer.launch,
  NodeRuntime.runMain
)
