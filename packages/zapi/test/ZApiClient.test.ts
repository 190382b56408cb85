/**
 * The Z-API client service and the provider as a whole: configuration from the environment, the
 * capability set, and the rule that the token — part of every Z-API URL — never shows in an
 * error, a log line or a span, on success or failure.
 */

import { describe, expect, it } from "@effect/vitest"
import { ChatId, MessageRef, RetryPolicy, WhatsApp } from "@pombo/core"
import { Cause, ConfigProvider, Duration, Effect, Inspectable, Layer, Logger, Redacted, Tracer } from "effect"
import { HttpClient, HttpClientResponse } from "effect/http"
import { Generated, ZApiClient, ZApiWhatsApp } from "../src/index.ts"
import { baseUrl, clientToken, fake, instanceId, json, type Reply, token, withWhatsApp } from "./FakeZApi.ts"

const to = new ChatId.Contact({ phone: "5511999999999" })
const queued = { zaapId: "Z1", messageId: "M1", id: "M1" }

describe("configuration", () => {
  const withEnv = (env: Record<string, string>) => ConfigProvider.layer(ConfigProvider.fromEnvRecord(env))
  const http = Layer.succeed(
    HttpClient.HttpClient,
    HttpClient.make((request) => Effect.succeed(HttpClientResponse.fromWeb(request, json({ connected: true }))))
  )

  it.effect("layerConfig reads ZAPI_* and gives WhatsApp and the client", () =>
    Effect.gen(function* () {
      const { client, service } = yield* Effect.gen(function* () {
        return { client: yield* ZApiClient.ZApiClient, service: yield* WhatsApp.WhatsApp }
      }).pipe(
        Effect.provide(
          ZApiWhatsApp.layerConfig.pipe(
            Layer.provide(http),
            Layer.provide(
              withEnv({
                ZAPI_INSTANCE_ID: "I1",
                ZAPI_TOKEN: token,
                ZAPI_CLIENT_TOKEN: clientToken,
                ZAPI_BASE_URL: "https://zapi.internal.test"
              })
            )
          )
        )
      )
      expect(service.provider).toBe("zapi")
      expect(client.options.instanceId).toBe("I1")
      expect(Redacted.value(client.options.token)).toBe(token)
      expect(client.options.clientToken && Redacted.value(client.options.clientToken)).toBe(clientToken)
      expect(client.options.baseUrl).toBe("https://zapi.internal.test/")
      expect(Duration.toSeconds(client.options.timeout)).toBe(30)
      expect(client.options.retry).toEqual(RetryPolicy.defaults)
      expect(String(client.options.token)).not.toContain(token)
    })
  )

  it.effect("the optional variables default", () =>
    Effect.gen(function* () {
      const client = yield* ZApiClient.ZApiClient.pipe(
        Effect.provide(
          ZApiClient.layerConfig.pipe(
            Layer.provide(http),
            Layer.provide(withEnv({ ZAPI_INSTANCE_ID: "I1", ZAPI_TOKEN: token }))
          )
        )
      )
      expect(client.options.baseUrl).toBe(Generated.defaultBaseUrl)
      expect(client.options.clientToken).toBeUndefined()
    })
  )

  const failures: ReadonlyArray<[string, Record<string, string>, string]> = [
    ["a missing instance id", { ZAPI_TOKEN: token }, "ZAPI_INSTANCE_ID"],
    ["a missing token", { ZAPI_INSTANCE_ID: "I1" }, "ZAPI_TOKEN"],
    ["a bad base URL", { ZAPI_INSTANCE_ID: "I1", ZAPI_TOKEN: token, ZAPI_BASE_URL: "not a url" }, "ZAPI_BASE_URL"]
  ]
  for (const [name, env, variable] of failures) {
    it.effect(`${name} is a ConfigError naming it`, () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(
          Effect.asVoid(WhatsApp.WhatsApp.pipe(Effect.provide(ZApiWhatsApp.layerConfig)))
        ).pipe(Effect.provide(Layer.merge(http, withEnv(env))))
        expect(error._tag).toBe("ConfigError")
        expect(String(error)).toContain(variable)
        expect(String(error)).not.toContain(token)
      })
    )
  }
})

describe("capabilities", () => {
  it.effect("are exactly the operations the spec backs; the others are Unsupported", () =>
    Effect.gen(function* () {
      const { recorded, layer } = fake(json(queued))
      yield* withWhatsApp((w) =>
        Effect.gen(function* () {
          expect(w.capabilities).toEqual(new Set(Object.keys(Generated.capabilities)))
          const presence = yield* Effect.flip(w.sendPresence({ chat: to, presence: "composing" }))
          expect(presence).toMatchObject({ _tag: "Unsupported", provider: "zapi", operation: "sendPresence" })
          const webhook = yield* Effect.flip(w.getWebhook())
          expect(webhook).toMatchObject({ _tag: "Unsupported", provider: "zapi", operation: "getWebhook" })
        })
      ).pipe(Effect.provide(layer))
      expect(recorded).toHaveLength(0)
    })
  )
})

describe("the token never shows", () => {
  const secrets = [token, encodeURIComponent(token), clientToken, instanceId, baseUrl.replace("https://", "")]
  const leaks = (text: string) => secrets.filter((secret) => text.includes(secret))

  const renderings = (error: unknown): Array<string> => [
    String(error),
    JSON.stringify(error),
    (error as Error).message,
    Inspectable.toStringUnknown(error),
    Inspectable.toStringUnknown(Inspectable.toJson(error)),
    Cause.pretty(Cause.fail(error))
  ]

  /** Answers that echo the request back, as a misbehaving vendor or proxy might. */
  const echoing: ReadonlyArray<Reply> = [
    json(queued),
    json({ error: `Cannot POST ${baseUrl}/instances/${instanceId}/token/${token}/send-text` }, 400),
    json({ error: `token ${token} is not valid` }, 401),
    json({ message: `upstream /instances/${instanceId}/token/${token}/send-text failed` }, 502),
    new Response(`<html>${baseUrl}/instances/${instanceId}/token/${token}</html>`, { status: 500 }),
    json({ zaapId: 1, messageId: `${baseUrl}/token/${token}` }),
    json({ zaapId: `/token/${token}` }),
    "refused",
    "reset",
    "silence"
  ]

  it.live("in errors, log lines and spans, on success and failure", () =>
    Effect.gen(function* () {
      const lines: Array<string> = []
      const logger = Logger.make((options) => {
        lines.push(Logger.formatLogFmt.log(options))
      })
      const spans: Array<Tracer.NativeSpan> = []
      const tracer = Tracer.make({
        span: (options) => {
          const span = new Tracer.NativeSpan(options)
          spans.push(span)
          return span
        }
      })
      const errors: Array<unknown> = []
      for (const reply of echoing) {
        const { layer } = fake(reply, { retry: RetryPolicy.none, timeout: "10 millis" })
        const exit = yield* withWhatsApp((w) =>
          Effect.all([w.sendText({ to, text: "hi" }), w.getStatus(), w.markRead({ message: receivedRef })], {
            mode: "result"
          })
        ).pipe(
          Effect.provide(layer),
          Effect.tap((results) =>
            Effect.forEach(results, (result) =>
              result._tag === "Failure"
                ? Effect.andThen(
                    Effect.sync(() => errors.push(result.failure)),
                    Effect.logError(result.failure)
                  )
                : Effect.logInfo("ok", result.success)
            )
          ),
          Effect.withTracer(tracer),
          Effect.provide(Logger.layer([logger])),
          Effect.exit
        )
        expect(exit._tag).toBe("Success")
      }
      // Every failing answer failed, and with the expected kinds of error.
      expect(new Set(errors.map((error) => (error as { _tag: string })._tag))).toEqual(
        new Set(["InvalidRequest", "Unauthorized", "ProviderUnavailable", "UnexpectedResponse"])
      )
      for (const error of errors)
        for (const rendering of renderings(error)) expect([leaks(rendering), rendering]).toEqual([[], rendering])
      expect(lines.length).toBeGreaterThan(errors.length)
      for (const line of lines) expect([leaks(line), line]).toEqual([[], line])
      expect(spans.map((span) => span.name)).toContain("WhatsApp.sendText")
      expect(spans.map((span) => span.name)).toContain("ZApi.sendText")
      for (const span of spans) {
        // What exporters send: name, attributes, events and the failure's rendering. (The raw
        // exit of the generated span also holds Z-API's error body as received: see the report.)
        const failure =
          span.status._tag === "Ended" && span.status.exit._tag === "Failure"
            ? Cause.pretty(span.status.exit.cause)
            : ""
        const rendered = span.name + JSON.stringify([...span.attributes, ...span.events]) + failure
        expect([leaks(rendered), rendered]).toEqual([[], rendered])
      }
    })
  )
})

const receivedRef = new MessageRef.MessageRef({ chat: to, id: "ABC", fromMe: false })
