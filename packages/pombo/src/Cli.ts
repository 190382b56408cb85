/**
 * The `pombo` command line: check or link an instance, send a message, receive webhooks locally, point
 * the vendor at a URL, replay a saved payload, diagnose a setup. Configured like the library —
 * `WHATSAPP_PROVIDER` and that vendor's variables, from the environment or a `.env` file in the
 * working directory (the environment wins) — and never prints a token or a configured secret.
 * A failure prints one line naming what failed (`--json`: `{ "error": { "_tag", "message" } }`)
 * and exits 1.
 */
import { createHmac, randomBytes } from "node:crypto"
import { readFile } from "node:fs/promises"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { ChatId, WhatsApp, type WhatsAppEvent } from "@pombo/core"
import * as WebhookReceiver from "@pombo/core/WebhookReceiver"
import { MegaApiClient } from "@pombo/megaapi"
import { MetaClient } from "@pombo/meta"
import { ZApiClient } from "@pombo/zapi"
import {
  Cause,
  Config,
  ConfigProvider,
  Console,
  Context,
  Data,
  Duration,
  Effect,
  FileSystem,
  Layer,
  Option,
  Redacted
} from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { FetchHttpClient } from "effect/http"
import * as OutboxCommand from "./internal/OutboxCommand.ts"
import * as QrTerminal from "./internal/QrTerminal.ts"
import * as SendCommand from "./internal/SendCommand.ts"
import * as PomboNode from "./node.ts"
import * as Pombo from "./Pombo.ts"
import { createWebhookHandler, metaAppSecret, metaVerifyToken, webhookSecret } from "./Promise.ts"

/** The environment, then `.env` in the working directory for what it lacks. */
const configLayer = Layer.unwrap(
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const env = ConfigProvider.fromEnv()
    if (!(yield* fs.exists(".env").pipe(Effect.orElseSucceed(() => false)))) return ConfigProvider.layer(env)
    const dotenv = yield* ConfigProvider.fromDotEnv().pipe(Effect.orDie)
    return ConfigProvider.layer(ConfigProvider.orElse(env, dotenv))
  })
)

/** `WhatsApp` for the configured vendor, read from the environment and `.env`, sending through undici. */
const whatsappLayer = PomboNode.layerConfig.pipe(Layer.provide(configLayer))

const json = Flag.Boolean("json").pipe(
  Flag.withDescription("Print one JSON document, for scripts"),
  Flag.withDefault(false)
)

const print = (value: unknown) => Console.log(JSON.stringify(value, null, 2))

/** What a failure shows: the error's tag and its message (errors never carry a token). */
const failureOf = (error: unknown): { readonly _tag: string; readonly message: string } => {
  const tag = typeof error === "object" && error !== null && "_tag" in error ? String(error._tag) : "Error"
  const message = error instanceof Error && error.message !== "" ? error.message : String(error)
  // One line: a `ConfigError` renders its path on a line of its own.
  return { _tag: tag, message: message.replace(/\s*\n\s*/g, " ") }
}

/** An error's own message and, for fetch's "fetch failed", the reason beneath (e.g. ECONNREFUSED). */
const causeMessage = (error: unknown): string => {
  const inner = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : ""
  return error instanceof Error ? `${error.message}${inner}` : String(error)
}

/** Runs a command's work: a failure is printed as one line (or JSON) and the exit code set to 1. */
const reported =
  (asJson: boolean) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<void, never, R> =>
    effect.pipe(
      Effect.asVoid,
      Effect.catchCause((cause) => {
        const failure = failureOf(Cause.squash(cause))
        return Effect.andThen(
          asJson ? print({ error: failure }) : Console.error(`✗ ${failure.message}`),
          Effect.sync(() => {
            process.exitCode = 1
          })
        )
      })
    )

/** `pombo status`: whether the instance is connected, and to which account. */
const status = Command.make("status", { json }, ({ json: asJson }) =>
  Effect.gen(function* () {
    const service = yield* Effect.service(WhatsApp.WhatsApp)
    const answer = yield* service.getStatus()
    const phone = answer.phone === undefined ? undefined : ChatId.display(answer.phone)
    if (asJson) {
      return yield* print({ provider: service.provider, connected: answer.connected, phone, name: answer.name })
    }
    yield* Console.log(
      answer.connected
        ? `✓ ${service.provider}: connected${phone === undefined ? "" : ` as ${phone}`}${answer.name === undefined ? "" : ` (${answer.name})`}`
        : `✗ ${service.provider}: not connected — run \`pombo connect\``
    )
  }).pipe(Effect.provide(whatsappLayer), reported(asJson))
).pipe(Command.withDescription("Show whether the instance is connected"))

/** Sends one operation's input read from the arguments, and prints the receipt. */
const sendWith: SendCommand.Run<FileSystem.FileSystem> = (operation, input, asJson) =>
  Effect.gen(function* () {
    const value = yield* input
    const service = yield* Effect.service(WhatsApp.WhatsApp)
    const receipt = yield* SendCommand.call(service, operation, value)
    const output: SendCommand.SendOutput = {
      provider: receipt.provider,
      operation,
      to: ChatId.display(receipt.message.chat),
      messageId: receipt.message.id,
      acceptedAt: receipt.acceptedAt.toISOString()
    }
    if (asJson) return yield* print(output)
    yield* Console.log(`✓ sent to ${output.to} via ${output.provider} (message ${output.messageId})`)
  }).pipe(Effect.provide(whatsappLayer), reported(asJson))

const send = Command.make("send").pipe(
  Command.withDescription("Send a message: text, media, location, contacts, buttons, a poll, a template…"),
  Command.withSubcommands(SendCommand.commands(sendWith, json))
)

/** One line per event: time, kind, and what a person would want to see of it. */
export const describeEvent = (event: WhatsAppEvent.WhatsAppEvent): string => {
  const time = event.timestamp.toISOString().slice(11, 19)
  const head = `${time}  ${event._tag.padEnd(16)}`
  switch (event._tag) {
    case "MessageReceived": {
      const from = event.fromMe ? "me" : event.sender.phone ? ChatId.display(event.sender.phone) : "?"
      const name = event.sender.name ? ` (${event.sender.name})` : ""
      const content = event.content
      const body = "text" in content && typeof content.text === "string" ? `: ${JSON.stringify(content.text)}` : ""
      return `${head}${ChatId.display(event.chat)}  from ${from}${name}  ${content._tag}${body}`
    }
    case "MessageStatus":
      return `${head}message ${event.messageId} ${event.status}${event.error ? ` (${event.error})` : ""}`
    default:
      return `${head}id ${event.id}`
  }
}

const port = Flag.Int("port").pipe(Flag.withDescription("Local port (0: any free one)"), Flag.withDefault(3000))
const providerFlag = Flag.Literals("provider", Pombo.providers).pipe(
  Flag.withDescription("Whose payloads to decode (default: WHATSAPP_PROVIDER)"),
  Flag.optional
)

const optionalSecret = Config.option(webhookSecret)

/** `pombo webhook listen`: the receiver on a local port, each event printed as it arrives. */
const listen = Command.make("listen", { port, provider: providerFlag }, (flags) =>
  Effect.gen(function* () {
    const provider = Option.isSome(flags.provider) ? flags.provider.value : yield* Pombo.provider
    // Meta signs its calls with the app secret: its route carries no secret.
    const signed = provider === "meta"
    const configured = signed ? Option.none() : yield* optionalSecret
    const secret = Option.getOrElse(configured, () => Redacted.make(randomBytes(24).toString("hex")))
    const meta = signed
      ? {
          appSecret: yield* metaAppSecret,
          verifyToken: Option.getOrUndefined(yield* Config.option(metaVerifyToken))
        }
      : {}
    const handler = yield* Effect.acquireRelease(
      Effect.sync(() =>
        createWebhookHandler({
          provider,
          secret,
          ...meta,
          accessLog: false,
          onEvent: (event) => console.log(describeEvent(event))
        })
      ),
      (handler) => Effect.promise(() => handler.close())
    )
    const server = yield* Effect.acquireRelease(
      Effect.callback<ReturnType<typeof createServer>, Error>((resume) => {
        const server = createServer(WebhookReceiver.serverOptions(), (request, response) => {
          void handler.node(request, response)
        })
        // A port in use (or any listen error) is a one-line failure, not an unhandled 'error' event.
        server.once("error", (error: NodeJS.ErrnoException) => {
          resume(
            Effect.fail(
              new Error(
                error.code === "EADDRINUSE"
                  ? `port ${flags.port} on 127.0.0.1 is in use: pick another with --port`
                  : `could not listen on 127.0.0.1:${flags.port}: ${error.message}`
              )
            )
          )
        })
        server.listen(flags.port, "127.0.0.1", () => {
          resume(Effect.succeed(server))
        })
      }),
      (server) =>
        Effect.callback<void>((resume) => {
          server.close(() => resume(Effect.void))
        })
    )
    const address = server.address() as AddressInfo
    const shown = Option.isSome(configured) ? "$POMBO_WEBHOOK_SECRET" : Redacted.value(secret)
    const base = `http://127.0.0.1:${address.port}/webhooks/${provider}`
    yield* Console.log(
      [
        `Listening for ${provider} webhooks (Ctrl-C to stop)`,
        ...(signed
          ? [
              `  URL     ${base}`,
              "  auth    X-Hub-Signature-256 checked with META_APP_SECRET (not shown)",
              `  verify  ${meta.verifyToken === undefined ? "set META_VERIFY_TOKEN to answer Meta's GET check" : "META_VERIFY_TOKEN answers Meta's GET check"}`
            ]
          : [
              `  URL     ${base}/${shown}`,
              Option.isSome(configured)
                ? "  secret  POMBO_WEBHOOK_SECRET (not shown)"
                : `  secret  ${shown}  (generated for this session; set POMBO_WEBHOOK_SECRET to keep one)`
            ]),
        "Expose it with a tunnel and run `pombo webhook set <public URL>`; `pombo webhook replay <file>` posts a saved payload.",
        ""
      ].join("\n")
    )
    return yield* Effect.never
  }).pipe(Effect.scoped, Effect.provide(configLayer), reported(false))
).pipe(Command.withDescription("Receive webhooks locally and print each event"))

/** A URL with the secret segment of a webhook path shown as `<secret>`. */
const redactUrl = (url: string): string => url.replace(/(\/webhooks\/[^/]+\/)[^/?#]+/, "$1<secret>")

const setWebhook = Command.make(
  "set",
  { url: Argument.String("url").pipe(Argument.withDescription("Your receiver's public HTTPS URL")), json },
  ({ url, json: asJson }) =>
    Effect.gen(function* () {
      const service = yield* Effect.service(WhatsApp.WhatsApp)
      yield* service.setWebhook({ url })
      if (asJson) return yield* print({ provider: service.provider, url: redactUrl(url) })
      yield* Console.log(`✓ ${service.provider} now posts its webhooks to ${redactUrl(url)}`)
    }).pipe(Effect.provide(whatsappLayer), reported(asJson))
).pipe(Command.withDescription("Point the vendor's webhooks at a URL"))

const replay = Command.make(
  "replay",
  {
    file: Argument.String("file").pipe(Argument.withDescription("A saved webhook payload (JSON)")),
    url: Flag.String("url").pipe(
      Flag.withDescription(
        "The receiver (default: http://127.0.0.1:3000/webhooks/<provider>/$POMBO_WEBHOOK_SECRET; Meta: …/webhooks/meta)"
      ),
      Flag.optional
    ),
    json
  },
  (flags) =>
    Effect.gen(function* () {
      const url = Option.isSome(flags.url)
        ? flags.url.value
        : (yield* Pombo.provider) === "meta"
          ? "http://127.0.0.1:3000/webhooks/meta"
          : `http://127.0.0.1:3000/webhooks/${yield* Pombo.provider}/${Redacted.value(yield* webhookSecret)}`
      const body = yield* Effect.tryPromise({
        try: () => readFile(flags.file),
        catch: (error) => new Error(`could not read ${flags.file}: ${causeMessage(error)}`)
      })
      // Meta's route checks the signature over the bytes: sign them as Meta would.
      const appSecret = /\/webhooks\/meta\/?(?:[?#]|$)/.test(url)
        ? Option.getOrUndefined(yield* Config.option(metaAppSecret))
        : undefined
      const signature =
        appSecret === undefined
          ? {}
          : {
              "x-hub-signature-256": `sha256=${createHmac("sha256", Redacted.value(appSecret)).update(body).digest("hex")}`
            }
      const response = yield* Effect.tryPromise({
        try: () =>
          fetch(url, {
            method: "POST",
            headers: { "content-type": "application/json", ...signature },
            body,
            signal: AbortSignal.timeout(30_000)
          }),
        // The URL may carry the secret: only its redacted form is shown.
        catch: (error) => new Error(`could not post to ${redactUrl(url)}: ${causeMessage(error)}`)
      })
      const ok = response.status >= 200 && response.status < 300
      if (flags.json) yield* print({ url: redactUrl(url), status: response.status })
      else yield* Console.log(`${ok ? "✓" : "✗"} POST ${redactUrl(url)} → ${response.status}`)
      if (!ok) process.exitCode = 1
    }).pipe(Effect.provide(configLayer), reported(flags.json))
).pipe(Command.withDescription("Post a saved webhook payload to a receiver (signed with META_APP_SECRET for Meta)"))

const webhook = Command.make("webhook").pipe(
  Command.withDescription("Receive, configure and replay webhooks"),
  Command.withSubcommands([listen, setWebhook, replay])
)

/** One check of `pombo doctor`: what was checked, and the fix when it failed. */
interface Check {
  readonly name: string
  readonly ok: boolean
  readonly detail: string
  readonly fix?: string | undefined
}

const timeout = Flag.Int("timeout").pipe(
  Flag.withDescription("Seconds to wait for the vendor's host"),
  Flag.withDefault(5)
)

/** The configured vendor's server, from its client's resolved options. */
const baseUrlOf = (provider: Pombo.Provider) =>
  (provider === "megaapi"
    ? Effect.map(Effect.service(MegaApiClient.MegaApiClient), (client) => client.options.baseUrl).pipe(
        Effect.provide(MegaApiClient.layerConfig)
      )
    : provider === "meta"
      ? Effect.map(Effect.service(MetaClient.MetaClient), (client) => client.options.baseUrl).pipe(
          Effect.provide(MetaClient.layerConfig)
        )
      : Effect.map(Effect.service(ZApiClient.ZApiClient), (client) => client.options.baseUrl).pipe(
          Effect.provide(ZApiClient.layerConfig)
        )
  ).pipe(Effect.provide(FetchHttpClient.layer))

const doctor = Command.make("doctor", { json, timeout }, (flags) =>
  Effect.gen(function* () {
    const checks: Array<Check> = []
    const check = (result: Check) =>
      Effect.sync(() => checks.push(result)).pipe(
        Effect.andThen(
          flags.json
            ? Effect.void
            : Console.log(
                `${result.ok ? "✓" : "✗"} ${result.name}: ${result.detail}${result.fix ? `\n    fix: ${result.fix}` : ""}`
              )
        )
      )
    const configured = yield* Effect.result(
      Effect.all({ provider: Pombo.provider, baseUrl: Effect.flatMap(Pombo.provider, baseUrlOf) })
    )
    if (configured._tag === "Failure") {
      yield* check({
        name: "configuration",
        ok: false,
        detail: failureOf(configured.failure).message,
        fix: "set WHATSAPP_PROVIDER (megaapi, zapi or meta) and that vendor's variables, in the environment or .env"
      })
    } else {
      const { provider, baseUrl } = configured.success
      yield* check({ name: "configuration", ok: true, detail: `WHATSAPP_PROVIDER=${provider}` })
      const host = new URL(baseUrl).host
      const started = Date.now()
      const reached = yield* Effect.result(
        Effect.tryPromise(() => fetch(baseUrl, { method: "HEAD", signal: AbortSignal.timeout(flags.timeout * 1000) }))
      )
      yield* check(
        reached._tag === "Success"
          ? { name: "reachability", ok: true, detail: `${host} answered in ${Date.now() - started} ms` }
          : {
              name: "reachability",
              ok: false,
              detail: `${host} did not answer within ${flags.timeout} s`,
              fix: "check the network, a proxy or firewall, and the vendor's base URL variable"
            }
      )
      // Built in the command's scope: the HTTP client's connections live until the checks are done.
      const service = Context.get(yield* Layer.build(whatsappLayer), WhatsApp.WhatsApp)
      const statusResult = yield* Effect.result(service.getStatus())
      if (statusResult._tag === "Failure") {
        const failure = failureOf(statusResult.failure)
        yield* check({
          name: "credentials",
          ok: false,
          detail: failure.message,
          fix:
            failure._tag === "Unauthorized"
              ? "copy the instance id/key and token(s) again from the vendor's panel"
              : "see the error; retry once the vendor answers"
        })
      } else {
        yield* check(
          statusResult.success.connected
            ? { name: "credentials", ok: true, detail: "accepted; the instance is connected" }
            : {
                name: "credentials",
                ok: false,
                detail: "accepted, but the instance is not connected",
                fix: "run `pombo connect` and scan the QR code"
              }
        )
        const info = yield* Effect.result(service.getWebhook())
        if (info._tag === "Failure") {
          yield* check(
            info.failure._tag === "Unsupported"
              ? {
                  name: "webhook",
                  ok: true,
                  detail: `${provider} cannot report its webhook URL: check it in its panel`
                }
              : { name: "webhook", ok: false, detail: failureOf(info.failure).message }
          )
        } else {
          const url = info.success.url
          // Meta signs its calls, so its route carries no secret: `/webhooks/meta`.
          const route = provider === "meta" ? /\/webhooks\/meta$/ : /\/webhooks\/[^/]+\/[^/?#]+$/
          const receiver = url === undefined ? undefined : route.test(new URL(url).pathname)
          yield* check(
            url === undefined
              ? {
                  name: "webhook",
                  ok: false,
                  detail: "not configured",
                  fix: "run `pombo webhook set <your receiver's URL>`"
                }
              : !url.startsWith("https://")
                ? {
                    name: "webhook",
                    ok: false,
                    detail: `${redactUrl(url)} is not HTTPS`,
                    fix: "serve the receiver over HTTPS"
                  }
                : !receiver
                  ? {
                      name: "webhook",
                      ok: false,
                      detail: `${redactUrl(url)} does not look like a Pombo receiver`,
                      fix: "point it at …/webhooks/<provider>/<secret>: `pombo webhook set <url>`"
                    }
                  : { name: "webhook", ok: true, detail: redactUrl(url) }
          )
        }
      }
    }
    if (flags.json) yield* print({ ok: checks.every((c) => c.ok), checks })
    if (!checks.every((c) => c.ok)) process.exitCode = 1
  }).pipe(Effect.scoped, Effect.provide(configLayer), reported(flags.json))
).pipe(Command.withDescription("Check the configuration, the vendor, the credentials and the webhook"))

const spinner = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

/** Not connected within `connect`'s timeout. */
class NotConnectedInTime extends Data.TaggedError("NotConnectedInTime")<{ readonly seconds: number }> {
  override get message() {
    return `the instance did not connect within ${this.seconds} s: run \`pombo connect\` again`
  }
}

/**
 * `pombo connect`: links the instance to a phone. Draws the QR code (a new one every `--refresh`
 * seconds, before WhatsApp expires it) or shows a pairing code for `--phone`, then waits with a
 * spinner until the vendor reports the instance connected.
 */
const connect = Command.make(
  "connect",
  {
    phone: Flag.String("phone").pipe(
      Flag.withDescription("Link by typing a code on this phone instead of scanning a QR code"),
      Flag.optional
    ),
    timeout: Flag.Finite("timeout").pipe(Flag.withDescription("Seconds to wait for the phone"), Flag.withDefault(180)),
    refresh: Flag.Finite("refresh").pipe(
      Flag.withDescription("Seconds before a new QR code is drawn (WhatsApp expires them)"),
      Flag.withDefault(20)
    ),
    interval: Flag.Finite("interval").pipe(Flag.withDescription("Seconds between status checks"), Flag.withDefault(2))
  },
  (flags) =>
    Effect.gen(function* () {
      const service = yield* Effect.service(WhatsApp.WhatsApp)
      const tty = process.stdout.isTTY === true
      const write = (text: string) => Effect.sync(() => process.stdout.write(text))
      if ((yield* service.getStatus()).connected) return yield* Console.log(`✓ ${service.provider}: already connected`)
      if (Option.isSome(flags.phone)) {
        const phone = yield* ChatId.contact(flags.phone.value)
        const { code } = yield* service.getPairingCode({ phone })
        yield* Console.log(
          `Pairing code for ${ChatId.display(phone)}: ${code}\nOn the phone: WhatsApp › Linked devices › Link a device › Link with phone number instead.`
        )
      }
      const deadline = Date.now() + flags.timeout * 1000
      let nextQr = 0
      let drawn = 0
      for (let frame = 0; ; frame++) {
        if (Date.now() >= deadline) return yield* new NotConnectedInTime({ seconds: flags.timeout })
        if (Option.isNone(flags.phone) && Date.now() >= nextQr) {
          const qr = yield* service.getQrCode()
          const grid = QrTerminal.read(qr.image)
          const picture =
            grid === undefined
              ? "(this QR image could not be drawn; open it from the vendor's panel)"
              : QrTerminal.draw(grid)
          const text = `${picture}\nScan it: WhatsApp › Linked devices › Link a device (a new code every ${flags.refresh} s)\n`
          // On a terminal the new code replaces the old one; in a log each one follows the last.
          if (tty && drawn > 0) yield* write(`\r\x1b[${drawn}A\x1b[J`)
          yield* write(text)
          drawn = text.split("\n").length - 1
          nextQr = Date.now() + flags.refresh * 1000
        }
        if (tty) yield* write(`\r${spinner[frame % spinner.length]} waiting for the phone…`)
        yield* Effect.sleep(Duration.seconds(flags.interval))
        const status = yield* service.getStatus()
        if (status.connected) {
          const as = status.phone === undefined ? "" : ` as ${ChatId.display(status.phone)}`
          return yield* Console.log(`${tty ? "\r\x1b[K" : ""}✓ ${service.provider}: connected${as}`)
        }
      }
    }).pipe(Effect.provide(whatsappLayer), reported(false))
).pipe(Command.withDescription("Link the instance to a phone: QR code, or a pairing code with --phone"))

/** `@pombo/testing` is not installed: `pombo mock` needs it. */
class MockServersMissing extends Data.TaggedError("MockServersMissing")<{ readonly package: string }> {
  override get message() {
    return `pombo mock runs the mock servers of ${this.package}, which is not installed: npm install --save-dev ${this.package}`
  }
}

const mockPort = (vendor: string, name: string, port: number) =>
  Flag.Int(`${vendor}-port`).pipe(
    Flag.withDescription(`Port of the ${name} mock (default ${port}; 0: any free port)`),
    Flag.optional
  )

/**
 * `pombo mock`: every vendor's Prism mock on local ports until Ctrl-C, with the variables that
 * point Pombo at each. The mocks come from `@pombo/testing` (an optional peer dependency: a
 * development tool, not needed to send a message), loaded only here.
 */
const mock = Command.make(
  "mock",
  {
    megaapi: mockPort("megaapi", "Mega-API", 4010),
    zapi: mockPort("zapi", "Z-API", 4020),
    meta: mockPort("meta", "Meta", 4030)
  },
  (flags) =>
    Effect.gen(function* () {
      const MockServers = yield* Effect.tryPromise({
        try: () => import("@pombo/testing/MockServers"),
        catch: (cause) =>
          cause instanceof Error &&
          "code" in cause &&
          cause.code === "ERR_MODULE_NOT_FOUND" &&
          cause.message.includes("@pombo/testing")
            ? new MockServersMissing({ package: "@pombo/testing" })
            : cause
      })
      const ports = Object.fromEntries(
        Object.entries(flags).flatMap(([vendor, port]) => (Option.isSome(port) ? [[vendor, port.value]] : []))
      )
      const servers = yield* Effect.acquireRelease(
        Effect.tryPromise(() => MockServers.start(ports)),
        (servers) => Effect.promise(() => servers.close()).pipe(Effect.andThen(Console.log("\nmock servers stopped")))
      )
      const { urls, credentials: c } = { urls: servers.urls, credentials: MockServers.credentials }
      yield* Console.log(
        [
          "Pombo mock servers (Prism: each request is checked against the vendor's OpenAPI document,",
          "answered with its documented examples; any credentials of the right form work)",
          "",
          `  Mega-API  ${urls.megaapi}`,
          `  Z-API     ${urls.zapi}`,
          `  Meta      ${urls.meta}`,
          "",
          "Point Pombo at one (then e.g. `pombo status`, `pombo send text <phone> Olá`):",
          `  WHATSAPP_PROVIDER=megaapi MEGAAPI_BASE_URL=${urls.megaapi} MEGAAPI_INSTANCE_KEY=${c.megaapi.instanceKey} MEGAAPI_TOKEN=${c.megaapi.token}`,
          `  WHATSAPP_PROVIDER=zapi ZAPI_BASE_URL=${urls.zapi} ZAPI_INSTANCE_ID=${c.zapi.instanceId} ZAPI_TOKEN=${c.zapi.token} ZAPI_CLIENT_TOKEN=${c.zapi.clientToken}`,
          `  WHATSAPP_PROVIDER=meta META_BASE_URL=${urls.meta} META_ACCESS_TOKEN=${c.meta.accessToken} META_PHONE_NUMBER_ID=${c.meta.phoneNumberId}`,
          "",
          "Ctrl-C to stop."
        ].join("\n")
      )
      return yield* Effect.never
    }).pipe(Effect.scoped, reported(false))
).pipe(Command.withDescription("Run every vendor's mock server locally, for trying Pombo without credentials"))

/** The root command. */
export const pombo = Command.make("pombo").pipe(
  Command.withDescription(
    "Pombo: WhatsApp over Mega-API, Z-API and Meta's Cloud API from the terminal. Configured by WHATSAPP_PROVIDER and that vendor's variables, from the environment or a .env file; never prints a token."
  ),
  Command.withSubcommands([
    status,
    connect,
    send,
    webhook,
    doctor,
    OutboxCommand.command({ json, report: reported, config: configLayer }),
    mock
  ])
)

/** Runs the command line with the process's arguments. */
export const run = (version: string) => Command.run(pombo, { version })
