/**
 * Adapter: Pombo's webhook receiver as the receiver figures run it — `WebhookReceiver.layer`
 * with every vendor's decoder on node:http, Meta's route checking its `X-Hub-Signature-256`, a
 * handler that accepts every event, defaults otherwise; or, with `POMBO_BENCH_INBOX` set
 * (`{ "sqlite": file }` or `{ "postgres": url }`), `InboxReceiver.layer` — the durable inbox on
 * that store, its worker draining to the same handler. Run as a child process
 * (`import.meta.main`), it listens on a free local port, tells the parent once its routes are
 * served, and answers `{ settle: true }` once its inbox has nothing left to deliver; imported, it
 * says where and how each vendor posts.
 */
import { createHmac } from "node:crypto"
import { createServer } from "node:http"
import { NodeHttpServer } from "@effect/platform-node"
import { PgClient } from "@effect/sql-pg"
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

/** Which store the durable inbox contestant runs on (`POMBO_BENCH_INBOX`, JSON). */
export type InboxStore = { readonly sqlite: string } | { readonly postgres: string }

/** The environment of a receiver child on `store`. */
export const inboxEnv = (store: InboxStore): Record<string, string> => ({ POMBO_BENCH_INBOX: JSON.stringify(store) })

if (import.meta.main) {
  const options = {
    decoders: [MegaApiWebhook.decoder, ZApiWebhook.decoder, MetaWebhook.decoder],
    secret: Redacted.make(secret),
    signatures: { meta: MetaWebhook.signature({ appSecret: Redacted.make(appSecret) }) },
    onEvent: () => Effect.void,
    accessLog: false
  } as const
  const store: InboxStore | undefined = process.env.POMBO_BENCH_INBOX
    ? JSON.parse(process.env.POMBO_BENCH_INBOX)
    : undefined
  const receiver =
    store === undefined
      ? WebhookReceiver.layer(options)
      : InboxReceiver.layer({
          ...options,
          store: "sqlite" in store ? store.sqlite : PgClient.layer({ url: Redacted.make(store.postgres) })
        }).pipe(Layer.orDie)
  const scope = await Effect.runPromise(Scope.make())
  const context = await Effect.runPromise(
    Layer.buildWithScope(
      HttpRouter.serve(receiver, { disableListenLog: true }).pipe(
        // Idle keep-alive connections kept as long as the bare floor keeps them: between its bursts
        // a server idles while the others are loaded, and a connection closed just as the load
        // generator reuses it would fail the run ("socket hang up").
        Layer.provideMerge(
          NodeHttpServer.layer(() => createServer({ keepAliveTimeout: 60_000 }), { port: 0, host: "127.0.0.1" })
        )
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
