/**
 * `pnpm demo`: one program, run three times — with `WHATSAPP_PROVIDER=megaapi`, `zapi`, then
 * `meta` — against the three vendors' mock servers started in-process from the specs. No
 * credentials, no network. Prints what each provider answered, side by side; then posts one
 * documented webhook of each vendor to a running webhook receiver (Meta's signed with its app
 * secret, the others through the secret URL) and prints the normalised events side by side.
 */
import { createHmac } from "node:crypto"
import { createServer } from "node:http"
import { NodeHttpServer } from "@effect/platform-node"
import { loadSpec } from "@pombo/codegen/Spec"
import { deref } from "@pombo/codegen/SpecCheck"
import { specPath } from "@pombo/openapi"
import { PrismServer } from "@pombo/testing"
import { ConfigProvider, Effect, Exit, Layer, Queue, Redacted, Result, Scope } from "effect"
import { HttpRouter, HttpServer } from "effect/http"
import { ChatId, Pombo, WhatsApp, type WhatsAppEvent } from "pombo"
import * as MegaApi from "pombo/megaapi"
import * as Meta from "pombo/meta"
import { WebhookReceiver } from "pombo/receiver"
import * as ZApi from "pombo/zapi"

/** One step of the program: what it does, and a short account of what came back. */
type Step = readonly [step: string, outcome: string]

const outcome = <A>(
  result: Result.Result<A, { readonly _tag: string; readonly message: string }>,
  show: (a: A) => string
) => (Result.isSuccess(result) ? show(result.success) : `${result.failure._tag}: ${result.failure.message}`)

/** The application: it only knows `WhatsApp`. */
const program = Effect.gen(function* () {
  const whatsapp = yield* WhatsApp.WhatsApp
  const to = yield* ChatId.contact("(11) 98765-4321")
  const steps: Array<Step> = []
  const step = function* <A>(
    name: string,
    effect: Effect.Effect<A, { readonly _tag: string; readonly message: string }>,
    show: (a: A) => string
  ) {
    steps.push([name, outcome(yield* Effect.result(effect), show)])
  }
  yield* step("status", whatsapp.getStatus(), (s) =>
    s.connected ? `connected ${s.phone ? ChatId.display(s.phone) : ""}` : "not connected"
  )
  yield* step(
    "send text",
    whatsapp.sendText({ to, text: "Seu pedido #1234 saiu para entrega 🚚" }),
    (r) => `accepted ${r.message.id}`
  )
  yield* step(
    "send image (URL)",
    whatsapp.sendMedia({
      to,
      kind: "image",
      source: { _tag: "Url", url: "https://example.com/nota-fiscal.png" },
      caption: "Nota fiscal"
    }),
    (r) => `accepted ${r.message.id}`
  )
  yield* step(
    "send location",
    whatsapp.sendLocation({ to, latitude: -23.5613, longitude: -46.6565, name: "MASP", address: "Av. Paulista, 1578" }),
    (r) => `accepted ${r.message.id}`
  )
  yield* step(
    "send list",
    whatsapp.sendList({
      to,
      text: "Como podemos ajudar?",
      buttonText: "Ver opções",
      sections: [
        {
          title: "Atendimento",
          rows: [
            { id: "pedido", title: "Meu pedido" },
            { id: "troca", title: "Trocas" }
          ]
        }
      ]
    }),
    (r) => `accepted ${r.message.id}`
  )
  yield* step(
    "list groups",
    whatsapp.listGroups(),
    (groups) => `${groups.length} group(s)${groups[0] ? `: ${groups[0].subject}` : ""}`
  )
  yield* step("send empty text", whatsapp.sendText({ to, text: " " }), () => "accepted?!")
  return { provider: whatsapp.provider, steps }
})

const megaapi = await PrismServer.start(specPath("megaapi"))
const zapi = await PrismServer.start(specPath("zapi"))
const meta = await PrismServer.start(specPath("meta"))
const metaAppSecret = "demo-app-secret"

/** The environment each run would have in production, pointed at the mock servers. */
const environments = {
  megaapi: {
    WHATSAPP_PROVIDER: "megaapi",
    MEGAAPI_BASE_URL: megaapi.url,
    MEGAAPI_INSTANCE_KEY: "demo-instance",
    MEGAAPI_TOKEN: "demo-token"
  },
  zapi: {
    WHATSAPP_PROVIDER: "zapi",
    ZAPI_BASE_URL: zapi.url,
    ZAPI_INSTANCE_ID: "DEMO-INSTANCE",
    ZAPI_TOKEN: "demo-token",
    ZAPI_CLIENT_TOKEN: "demo-client-token"
  },
  meta: {
    WHATSAPP_PROVIDER: "meta",
    META_BASE_URL: meta.url,
    META_ACCESS_TOKEN: "demo-token",
    META_PHONE_NUMBER_ID: "106540352242922"
  }
}

const runWith = (environment: Record<string, string>) =>
  Effect.runPromise(
    program.pipe(
      Effect.provide(
        Pombo.layerConfig.pipe(Layer.provide(ConfigProvider.layer(ConfigProvider.fromUnknown(environment))))
      )
    )
  )

/** The first documented example of one of `vendor`'s webhooks, straight from its spec. */
const documentedWebhook = async (vendor: "megaapi" | "zapi" | "meta", webhook: string) => {
  const document = await loadSpec(specPath(vendor))
  const body = deref(document, deref(document, document.webhooks[webhook]).post.requestBody)
  const first = Object.values<unknown>(body.content["application/json"].examples)[0]
  return deref(document, first).value as unknown
}

/** Starts the webhook receiver with every decoder, posts one payload per vendor, returns the events. */
const receiveOneOfEach = async (payloads: {
  readonly megaapi: unknown
  readonly zapi: unknown
  readonly meta: unknown
}) => {
  const scope = await Effect.runPromise(Scope.make())
  try {
    const events = await Effect.runPromise(Queue.unbounded<WhatsAppEvent.WhatsAppEvent>())
    const receiver = WebhookReceiver.layer({
      decoders: [MegaApi.MegaApiWebhook.decoder, ZApi.ZApiWebhook.decoder, Meta.MetaWebhook.decoder],
      secret: Redacted.make("demo-webhook-secret"),
      signatures: { meta: Meta.MetaWebhook.signature({ appSecret: Redacted.make(metaAppSecret) }) },
      onEvent: (event) => Queue.offer(events, event),
      accessLog: false
    })
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
    const received: Record<string, WhatsAppEvent.WhatsAppEvent> = {}
    for (const vendor of ["megaapi", "zapi", "meta"] as const) {
      const body = JSON.stringify(payloads[vendor])
      // Meta signs the body with the app secret instead of calling a secret URL.
      const signature = `sha256=${createHmac("sha256", metaAppSecret).update(body).digest("hex")}`
      const response = await fetch(
        vendor === "meta" ? `${url}/webhooks/meta` : `${url}/webhooks/${vendor}/demo-webhook-secret`,
        {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...(vendor === "meta" ? { "x-hub-signature-256": signature } : {})
          },
          body
        }
      )
      if (response.status !== 200) throw new Error(`receiver answered ${response.status}`)
      received[vendor] = await Effect.runPromise(Queue.take(events))
    }
    return received
  } finally {
    await Effect.runPromise(Scope.close(scope, Exit.void))
  }
}

/** The fields of an event worth showing, as table rows. */
const describeEvent = (event: WhatsAppEvent.WhatsAppEvent): Array<[string, string]> => {
  const rows: Array<[string, string]> = [
    ["event", event._tag],
    ["id", event.id],
    ["timestamp", event.timestamp.toISOString()]
  ]
  if (event._tag === "MessageReceived") {
    const sender = event.sender.phone ? ChatId.display(event.sender.phone) : "?"
    rows.push(
      ["chat", ChatId.display(event.chat)],
      ["sender", `${sender}${event.sender.name ? ` (${event.sender.name})` : ""}`],
      ["content", `${event.content._tag}${"text" in event.content ? `: ${event.content.text}` : ""}`],
      ["fromMe", String(event.fromMe)]
    )
  }
  return rows
}

/** A plain-text table, cells cut at 60 characters. */
const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>) => {
  const widths = header.map((_, c) => Math.min(60, Math.max(...[header, ...rows].map((row) => (row[c] ?? "").length))))
  const line = (cells: ReadonlyArray<string>) =>
    cells
      .map((cell, c) => (cell.length > widths[c]! ? `${cell.slice(0, widths[c]! - 1)}…` : cell.padEnd(widths[c]!)))
      .join(" │ ")
  return [line(header), widths.map((w) => "─".repeat(w)).join("─┼─"), ...rows.map(line)].join("\n")
}

try {
  const started = performance.now()
  const results = [
    await runWith(environments.megaapi),
    await runWith(environments.zapi),
    await runWith(environments.meta)
  ]
  const rows = results[0]!.steps.map(([name], i) => [name, ...results.map((r) => r.steps[i]?.[1] ?? "")])
  console.log("One program, three providers, swapped by configuration (mock servers from openapi/*.yaml):\n")
  console.log(table(["step", ...results.map((r) => `WHATSAPP_PROVIDER=${r.provider}`)], rows))

  const events = await receiveOneOfEach({
    megaapi: await documentedWebhook("megaapi", "messageConversation"),
    zapi: await documentedWebhook("zapi", "receivedText"),
    meta: await documentedWebhook("meta", "messageText")
  })
  const mega = describeEvent(events.megaapi!)
  const z = describeEvent(events.zapi!)
  const m = describeEvent(events.meta!)
  const labels = [...new Set([...mega.map(([k]) => k), ...z.map(([k]) => k), ...m.map(([k]) => k)])]
  const value = (rows: Array<[string, string]>, key: string) => rows.find(([k]) => k === key)?.[1] ?? ""
  console.log("\nOne documented webhook of each vendor, posted to the receiver, as one event model:\n")
  console.log(
    table(
      ["field", "Mega-API messageConversation", "Z-API ReceivedCallback (text)", "Meta messages (text)"],
      labels.map((k) => [k, value(mega, k), value(z, k), value(m, k)])
    )
  )
  console.log(`\nfinished in ${Math.round(performance.now() - started)} ms`)
} finally {
  await Promise.all([megaapi.close(), zapi.close(), meta.close()])
}
