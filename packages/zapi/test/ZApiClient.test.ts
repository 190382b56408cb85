/**
 * The Z-API client service and the provider as a whole: configuration from the environment and
 * the capability set. (That the token never shows is a conformance rule, asserted for every
 * provider in `@pombo/testing`.)
 */

import { describe, expect, it } from "@effect/vitest"
import { ChatId, MessageRef, RetryPolicy, WhatsApp } from "@pombo/core"
import { RecordingHttpClient } from "@pombo/testing"
import { Cause, ConfigProvider, Duration, Effect, Inspectable, Layer, Logger, Redacted, Tracer } from "effect"
import { HttpClient, HttpClientResponse } from "effect/http"
import { Generated, ZApiClient, ZApiWhatsApp } from "../src/index.ts"
import { baseUrl, clientToken, fake, instanceId, token, withWhatsApp } from "./ZApiFixture.ts"

const to = new ChatId.Contact({ phone: "5511999999999" })
const queued = { zaapId: "Z1", messageId: "M1", id: "M1" }

describe("configuration", () => {
  const withEnv = (env: Record<string, string>) => ConfigProvider.layer(ConfigProvider.fromEnvRecord(env))
  const http = Layer.succeed(
    HttpClient.HttpClient,
    HttpClient.make((request) =>
      Effect.succeed(HttpClientResponse.fromWeb(request, RecordingHttpClient.json({ connected: true })))
    )
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
      const { recorded, layer } = fake(RecordingHttpClient.json(queued))
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
