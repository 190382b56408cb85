/**
 * `pnpm demo`: one program, run twice — first with `WHATSAPP_PROVIDER=megaapi`, then `zapi` —
 * against both vendors' mock servers started in-process from the specs. No credentials, no
 * network. Prints what each provider answered, side by side.
 */
import { specPath } from "@pombo/codegen/Spec"
import { PrismServer } from "@pombo/testing"
import { ConfigProvider, Effect, Layer, Result } from "effect"
import { ChatId, Pombo, WhatsApp } from "pombo"

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

try {
  const started = performance.now()
  const results = [await runWith(environments.megaapi), await runWith(environments.zapi)]
  const width = (column: ReadonlyArray<string>) => Math.max(...column.map((cell) => cell.length))
  const rows = results[0]!.steps.map(([name], i) => [name, ...results.map((r) => r.steps[i]?.[1] ?? "")])
  const header = ["step", ...results.map((r) => `WHATSAPP_PROVIDER=${r.provider}`)]
  const widths = header.map((_, c) => Math.min(60, width([header[c]!, ...rows.map((row) => row[c]!)])))
  const line = (cells: ReadonlyArray<string>) =>
    cells
      .map((cell, c) => (cell.length > widths[c]! ? `${cell.slice(0, widths[c]! - 1)}…` : cell.padEnd(widths[c]!)))
      .join(" │ ")
  console.log("One program, two providers, swapped by configuration (mock servers from openapi/*.yaml):\n")
  console.log(line(header))
  console.log(widths.map((w) => "─".repeat(w)).join("─┼─"))
  for (const row of rows) console.log(line(row))
  console.log(`\nfinished in ${Math.round(performance.now() - started)} ms`)
} finally {
  await Promise.all([megaapi.close(), zapi.close()])
}
