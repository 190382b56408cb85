/**
 * Adapter: Pombo's webhook receiver as the receiver figures run it — every vendor's decoder,
 * Meta's route checking its `X-Hub-Signature-256`, a handler that accepts every event, defaults
 * otherwise — served by one of its two entry points (`POMBO_BENCH_RECEIVER`, JSON, see
 * `ReceiverSetup`): `WebhookReceiver.toNodeListener` on a plain `node:http` server (the default)
 * or `WebhookReceiver.layer` on effect's `NodeHttpServer`; optionally with stand-in decoders (one
 * fixed event per call, so that only the receiver's plumbing shows), or as the durable inbox
 * (`InboxReceiver.layer`, an effect route) on a store, its worker draining to the same handler.
 * Run as a child process (`import.meta.main`), it listens on a free local port, tells the parent
 * once its routes are served, and answers `{ settle: true }` once its inbox has nothing left to
 * deliver; imported, it says where and how each vendor posts.
 */
import { createHmac } from "node:crypto"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { NodeHttpServer } from "@effect/platform-node"
import { PgClient } from "@effect/sql-pg"
import { type WebhookDecoder, WhatsAppEvent } from "@pombo/core"
import * as WebhookReceiver from "@pombo/core/WebhookReceiver"
import { Inbox, InboxReceiver } from "@pombo/inbox"
import { MegaApiWebhook } from "@pombo/megaapi"
import { MetaWebhook } from "@pombo/meta"
import { ZApiWebhook } from "@pombo/zapi"
import { Context, Effect, Layer, Redacted, Scope } from "effect"
import { HttpRouter, HttpServer } from "effect/http"
import { serveParent } from "../Child.ts"
import type { Vendor } from "./spec.ts"

const secret = "bench-webhook-secret"
const appSecret = "bench-meta-app-secret"

/** How `vendor` posts its webhooks: Meta signs each call (its own route), the others put the secret in the path. */
export const requestOf = (
  vendor: Vendor
): { readonly path: string; readonly headers?: (body: string) => Readonly<Record<string, string>> } =>
  vendor === "meta"
    ? {
        path: "/webhooks/meta",
        headers: (body) => ({
          "x-hub-signature-256": `sha256=${createHmac("sha256", appSecret).update(body).digest("hex")}`
        })
      }
    : { path: `/webhooks/${vendor}/${secret}` }

/** Which store the durable inbox contestant runs on. */
export type InboxStore = { readonly sqlite: string } | { readonly postgres: string }

/** How a receiver child serves: its entry point, its decoders, and the durable inbox's store if any. */
export interface ReceiverSetup {
  /** `"listener"`: `toNodeListener` on node:http; `"route"`: `layer` on effect's NodeHttpServer. */
  readonly entry: "listener" | "route"
  /** `"standIn"`: decoders that build one fixed event per call whatever the payload. */
  readonly decoders: "vendor" | "standIn"
  /** With a store, `InboxReceiver.layer` (an effect route) on it. */
  readonly inbox?: InboxStore | undefined
}

/** The environment of a receiver child set up as `setup`. */
export const receiverEnv = (setup: ReceiverSetup): Record<string, string> => ({
  POMBO_BENCH_RECEIVER: JSON.stringify(setup)
})

/**
 * A decoder standing in for `provider`'s: one delivery receipt per call, with a fresh id (so the
 * dedupe store keeps working as with real events), without reading the payload or checking the
 * event's schema.
 */
const standIn = (provider: string): WebhookDecoder.WebhookDecoder => {
  let calls = 0
  return {
    provider,
    decode: (payload, context) => [
      WhatsAppEvent.makeTrusted(WhatsAppEvent.MessageStatus, {
        id: `${provider}:stand-in:${calls++}`,
        provider,
        timestamp: context.receivedAt,
        raw: payload,
        messageId: "stand-in",
        status: "delivered"
      })
    ]
  }
}

if (import.meta.main) {
  const setup: ReceiverSetup = process.env.POMBO_BENCH_RECEIVER
    ? JSON.parse(process.env.POMBO_BENCH_RECEIVER)
    : { entry: "listener", decoders: "vendor" }
  const options = {
    decoders:
      setup.decoders === "standIn"
        ? ([standIn("megaapi"), standIn("zapi"), standIn("meta")] as const)
        : ([MegaApiWebhook.decoder, ZApiWebhook.decoder, MetaWebhook.decoder] as const),
    secret: Redacted.make(secret),
    signatures: { meta: MetaWebhook.signature({ appSecret: Redacted.make(appSecret) }) },
    onEvent: () => Effect.void,
    accessLog: false
  }
  // Idle keep-alive connections kept as long as the bare floor keeps them: between its bursts
  // a server idles while the others are loaded, and a connection closed just as the load
  // generator reuses it would fail the run ("socket hang up").
  const keepAlive = { keepAliveTimeout: 60_000 }
  const scope = await Effect.runPromise(Scope.make())
  const store = setup.inbox
  if (setup.entry === "listener" && store === undefined) {
    const listener = await Effect.runPromise(WebhookReceiver.toNodeListener(options).pipe(Scope.provide(scope)))
    const server = createServer(keepAlive, listener)
    server.listen(0, "127.0.0.1", () => serveParent({ port: (server.address() as AddressInfo).port }, () => null))
  } else {
    const receiver =
      store === undefined
        ? WebhookReceiver.layer(options)
        : InboxReceiver.layer({
            ...options,
            store: "sqlite" in store ? store.sqlite : PgClient.layer({ url: Redacted.make(store.postgres) })
          }).pipe(Layer.orDie)
    const context = await Effect.runPromise(
      Layer.buildWithScope(
        HttpRouter.serve(receiver, { disableListenLog: true }).pipe(
          Layer.provideMerge(NodeHttpServer.layer(() => createServer(keepAlive), { port: 0, host: "127.0.0.1" }))
        ),
        scope
      )
    )
    const url = await Effect.runPromise(
      HttpServer.addressFormattedWith(Effect.succeed).pipe(Effect.provideContext(context))
    )
    // The inbox's worker goes on delivering after a burst: waiting for it keeps that work out of
    // the next contestant's burst (it would otherwise compete for the same two cores).
    const inbox = Context.getOption(context, Inbox.Inbox)
    const settled = Effect.gen(function* () {
      if (inbox._tag === "None") return
      const startedAt = Date.now()
      while (true) {
        const counts = yield* inbox.value.counts
        if (counts.pending === 0) return
        if (Date.now() - startedAt > 60_000) {
          // Measuring on beats stopping the run; the warning says the next burst had company.
          return yield* Effect.logWarning(`bench: the inbox did not settle within 60 s: ${JSON.stringify(counts)}`)
        }
        yield* Effect.sleep("20 millis")
      }
    }).pipe(Effect.orDie)
    serveParent({ port: Number(new URL(url).port) }, (message) =>
      message.settle === true ? Effect.runPromise(settled) : null
    )
  }
}
