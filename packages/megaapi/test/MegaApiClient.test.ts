import { describe, expect, it } from "@effect/vitest"
import { WhatsApp } from "@pombo/core"
import { RecordingHttpClient } from "@pombo/testing"
import { ConfigProvider, Duration, Effect, Layer, Redacted } from "effect"
import { HttpClient } from "effect/http"
import * as MegaApiClient from "../src/MegaApiClient.ts"
import * as MegaApiWhatsApp from "../src/MegaApiWhatsApp.ts"
import { example } from "./MegaApiFixture.ts"

const fromEnv = (env: Record<string, string>) =>
  Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnv({ env }))

const configured = () => {
  const http = RecordingHttpClient.make(() => ({ status: 200, body: example("instanceStatus") }))
  const layer = MegaApiWhatsApp.layerConfig.pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient, http.httpClient)))
  return { http, layer }
}

const client = MegaApiClient.MegaApiClient.use(Effect.succeed)

describe("layerConfig", () => {
  it.effect("reads the instance, token and host from the environment", () =>
    Effect.gen(function* () {
      const { http, layer } = configured()
      const { options } = yield* Effect.andThen(
        WhatsApp.WhatsApp.use((w) => w.getStatus()),
        client
      ).pipe(Effect.provide(layer))
      expect(http.requests[0]?.path).toBe("/rest/instance/megaapi-ABC")
      expect(http.requests[0]?.headers.authorization).toBe("Bearer SECRET-TOKEN-123")
      expect(options.baseUrl).toBe("https://api2.megaapi.com.br")
      expect(Redacted.isRedacted(options.token)).toBe(true)
      expect(Duration.toSeconds(options.timeout)).toBe(30)
    }).pipe(
      fromEnv({
        MEGAAPI_INSTANCE_KEY: "megaapi-ABC",
        MEGAAPI_TOKEN: "SECRET-TOKEN-123",
        MEGAAPI_HOST: "api2.megaapi.com.br"
      })
    )
  )

  it.effect("MEGAAPI_BASE_URL overrides the host (mock servers)", () =>
    Effect.gen(function* () {
      const { layer } = configured()
      const { options } = yield* client.pipe(Effect.provide(layer))
      expect(options.baseUrl).toBe("http://127.0.0.1:4010")
    }).pipe(fromEnv({ MEGAAPI_INSTANCE_KEY: "k", MEGAAPI_TOKEN: "t", MEGAAPI_BASE_URL: "http://127.0.0.1:4010" }))
  )

  const failures: ReadonlyArray<[string, Record<string, string>, string]> = [
    ["no host nor base URL", { MEGAAPI_INSTANCE_KEY: "k", MEGAAPI_TOKEN: "t" }, "MEGAAPI_HOST"],
    ["no token", { MEGAAPI_INSTANCE_KEY: "k", MEGAAPI_HOST: "api2.megaapi.com.br" }, "MEGAAPI_TOKEN"],
    ["no instance key", { MEGAAPI_TOKEN: "t", MEGAAPI_HOST: "api2.megaapi.com.br" }, "MEGAAPI_INSTANCE_KEY"],
    [
      "a base URL that is not a URL",
      { MEGAAPI_INSTANCE_KEY: "k", MEGAAPI_TOKEN: "t", MEGAAPI_BASE_URL: "localhost:4010" },
      "MEGAAPI_BASE_URL"
    ],
    [
      "a host with a path",
      { MEGAAPI_INSTANCE_KEY: "k", MEGAAPI_TOKEN: "t", MEGAAPI_HOST: "x.com/evil" },
      "MEGAAPI_HOST"
    ]
  ]
  for (const [name, env, variable] of failures) {
    it.effect(`${name}: a ConfigError naming ${variable}`, () =>
      Effect.gen(function* () {
        const { layer } = configured()
        const error = yield* Effect.flip(client.pipe(Effect.provide(layer)))
        expect(error._tag).toBe("ConfigError")
        expect(String(error)).toContain(variable)
      }).pipe(fromEnv(env))
    )
  }
})
