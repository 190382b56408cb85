import { createServer } from "node:http"
import { NodeRuntime } from "@effect/platform-node"
import { Config, Effect, Layer } from "effect"
import * as MegaApi from "pombo/megaapi"
import { WebhookReceiver } from "pombo/receiver"
import * as ZApi from "pombo/zapi"

const Webhooks = Layer.effectDiscard(
  Effect.gen(function* () {
    const listener = yield* WebhookReceiver.toNodeListener({
      decoders: [MegaApi.MegaApiWebhook.decoder, ZApi.ZApiWebhook.decoder],
      secret: yield* Config.Redacted("POMBO_WEBHOOK_SECRET"),
      onEvent: (event) => Effect.log(`received ${event._tag}`, event.id)
    })
    const server = createServer(WebhookReceiver.serverOptions(), listener)
    yield* Effect.acquireRelease(
      Effect.sync(() => server.listen(3000)),
      () => Effect.callback<void>((resume) => void server.close(() => resume(Effect.void)))
    )
  })
)

Layer.launch(Webhooks).pipe(NodeRuntime.runMain)
