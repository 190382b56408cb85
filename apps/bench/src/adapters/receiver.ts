/**
 * Adapter: Pombo's webhook receiver as the receiver figures run it — `WebhookReceiver.layer`
 * with every vendor's decoder on node:http, a handler that accepts every event, defaults
 * otherwise; or, with `POMBO_BENCH_INBOX` set (`{ "sqlite": file }` or `{ "postgres": url }`),
 * `InboxReceiver.layer` — the durable inbox on that store, its worker draining to the same
 * handler. Run as a child process (`import.meta.main`), it listens on a free local port and tells
 * the parent once its routes are served; imported, it says which path each vendor posts to.
 */
import { createServer } from "node:http"
import { NodeHttpServer } from "@effect/platform-node"
import { PgClient } from "@effect/sql-pg"
import { WebhookReceiver } from "@pombo/core"
import { InboxReceiver } from "@pombo/inbox"
import { MegaApiWebhook } from "@pombo/megaapi"
import { MetaWebhook } from "@pombo/meta"
import { ZApiWebhook } from "@pombo/zapi"
import { Effect, Layer, Redacted, Scope } from "effect"
import { HttpRouter, HttpServer } from "effect/http"
import { serveParent } from "../Child.ts"
import type { Vendor } from "./spec.ts"

const secret = "bench-webhook-secret"

/** Where `vendor` posts its webhooks (the per-vendor route, secret in the path). */
export const pathOf = (vendor: Vendor): string => `/webhooks/${vendor}/${secret}`

/** Which store the durable inbox contestant runs on (`POMBO_BENCH_INBOX`, JSON). */
export type InboxStore = { readonly sqlite: string } | { readonly postgres: string }

/** The environment of a receiver child on `store`. */
export const inboxEnv = (store: InboxStore): Record<string, string> => ({ POMBO_BENCH_INBOX: JSON.stringify(store) })

if (import.meta.main) {
  const options = {
    decoders: [MegaApiWebhook.decoder, ZApiWebhook.decoder, MetaWebhook.decoder],
    secret: Redacted.make(secret),
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
        Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" }))
      ),
      scope
    )
  )
  const url = await Effect.runPromise(
    HttpServer.addressFormattedWith(Effect.succeed).pipe(Effect.provideContext(context))
  )
  serveParent({ port: Number(new URL(url).port) })
}
