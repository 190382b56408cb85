/**
 * The consumer test's type check: imports every public entry point and uses each one once, so a
 * declaration that does not compile in a consumer's project (any TypeScript, resolution or
 * `exactOptionalPropertyTypes` setting of the matrix) fails the check.
 */
import type * as Core from "@pombo/core"
import * as CoreWebhookReceiver from "@pombo/core/WebhookReceiver"
import * as Inbox from "@pombo/inbox"
import * as InboxModule from "@pombo/inbox/Inbox"
import * as InboxWorker from "@pombo/inbox/InboxWorker"
import * as MegaApi from "@pombo/megaapi"
import * as MegaApiGenerated from "@pombo/megaapi/generated"
import * as Meta from "@pombo/meta"
import * as MetaGenerated from "@pombo/meta/generated"
import * as OpenApi from "@pombo/openapi"
import * as Outbox from "@pombo/outbox"
import * as OutboxDispatcher from "@pombo/outbox/Dispatcher"
import * as OutboxModule from "@pombo/outbox/Outbox"
import * as OutboxCluster from "@pombo/outbox/OutboxCluster"
import * as OutboxMetrics from "@pombo/outbox/OutboxMetrics"
import * as OutboxWorker from "@pombo/outbox/OutboxWorker"
import * as Pacing from "@pombo/outbox/Pacing"
import * as SendOperation from "@pombo/outbox/SendOperation"
import * as Sqlite from "@pombo/sql-sqlite"
import * as SqliteClient from "@pombo/sql-sqlite/SqliteClient"
import * as SqliteMigrator from "@pombo/sql-sqlite/SqliteMigrator"
import * as Testing from "@pombo/testing"
import * as PostgresServer from "@pombo/testing/PostgresServer"
import * as PrismServer from "@pombo/testing/PrismServer"
import * as ZApi from "@pombo/zapi"
import * as ZApiGenerated from "@pombo/zapi/generated"
import { type Config, Effect, type Layer, Redacted } from "effect"
import * as Pombo from "pombo"
import * as PomboInbox from "pombo/inbox"
import * as PomboMegaApi from "pombo/megaapi"
import * as PomboMeta from "pombo/meta"
import { NodeRuntime } from "pombo/node"
import * as PomboOutbox from "pombo/outbox"
import * as PomboPromise from "pombo/promise"
import { WebhookReceiver } from "pombo/receiver"
import * as PomboZApi from "pombo/zapi"

const secret = Redacted.make("webhook-secret")
export const fromEnvironment: Layer.Layer<Pombo.WhatsApp.WhatsApp, Config.ConfigError> = Pombo.Pombo.layerConfig
export const sameService: typeof Core.WhatsApp.WhatsApp = Pombo.WhatsApp.WhatsApp
export const providers = [
  MegaApi.MegaApiWhatsApp.layerConfig,
  ZApi.ZApiWhatsApp.layerConfig,
  Meta.MetaWhatsApp.layerConfig
] as const
export const umbrellaProviders = [
  PomboMegaApi.MegaApiWebhook.decoder,
  PomboZApi.ZApiWebhook.decoder,
  PomboMeta.MetaWebhook.decoder
] as const
export const operations = [MegaApiGenerated.operations, ZApiGenerated.operations, MetaGenerated.operations] as const
export const mock: Layer.Layer<Core.WhatsApp.WhatsApp> = Testing.MockWhatsApp.layer("zapi")
export const startMock: (path: string) => Promise<PrismServer.PrismServer> = PrismServer.start
export const spec: Promise<OpenApi.OpenApiDocument> = OpenApi.load("megaapi")
export const runMain: typeof NodeRuntime.runMain = NodeRuntime.runMain
export const inbox = [Inbox.Inbox.layer, InboxModule.layer, InboxWorker.layer] as const
export const sqlite = [Sqlite.SqliteClient.layer, SqliteClient.layerConfig, SqliteMigrator] as const
export const startPostgres: typeof PostgresServer.start = PostgresServer.start
export const umbrellaInbox = [
  PomboInbox.Inbox.layer,
  PomboInbox.InboxWorker.layer,
  PomboInbox.SqliteClient.layer
] as const
export const outbox = [
  Outbox.Outbox.layer,
  OutboxModule.layer,
  OutboxWorker.layer,
  OutboxCluster.layer,
  OutboxDispatcher.layer,
  OutboxMetrics.dispatched,
  Pacing.defaults,
  SendOperation.names
] as const
/** A typed send: the operation's name picks its input's type. */
export const notify = (outbox: OutboxModule.Outbox, to: Core.ChatId.Contact) =>
  outbox.send({
    key: "order-1",
    number: "zapi:instance",
    operation: "sendText",
    input: { to, text: "Pedido confirmado" }
  })
export const umbrellaOutbox = [
  PomboOutbox.Outbox.layer,
  PomboOutbox.OutboxWorker.layer,
  PomboOutbox.Dispatcher.layer
] as const
export const promiseApi: (config?: PomboPromise.WhatsAppConfig) => Promise<PomboPromise.AsyncWhatsApp> =
  PomboPromise.createWhatsApp
export const webhookHandler: (options: PomboPromise.WebhookOptions) => PomboPromise.WebhookHandler =
  PomboPromise.createWebhookHandler
export const receivers = [
  CoreWebhookReceiver.layer({ decoders: [PomboZApi.ZApiWebhook.decoder], secret, onEvent: () => Effect.void }),
  WebhookReceiver.serverOptions(),
  PomboMeta.MetaWebhook.signature({ appSecret: secret })
] as const
