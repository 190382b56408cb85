/**
 * `Pombo.layerConfig`: the vendor picked by `WHATSAPP_PROVIDER`, configured from that vendor's
 * variables only, and every misconfiguration a `ConfigError` naming the variable.
 */
import { describe, expect, it } from "@effect/vitest"
import { ChatId, WhatsApp } from "@pombo/core"
import { RecordingHttpClient } from "@pombo/testing"
import { ConfigProvider, Effect, Layer } from "effect"
import { Pombo } from "../src/index.ts"

const zapiEnv = { ZAPI_INSTANCE_ID: "I1", ZAPI_TOKEN: "Z-SECRET", ZAPI_BASE_URL: "https://zapi.test" }
const megaEnv = { MEGAAPI_INSTANCE_KEY: "K1", MEGAAPI_TOKEN: "M-SECRET", MEGAAPI_BASE_URL: "https://mega.test" }

/** The configured service over a recording fake, and what it sent. */
const configured = (env: Record<string, string>) => {
  const http = RecordingHttpClient.make(RecordingHttpClient.json({ zaapId: "Z1", messageId: "M1", id: "M1" }))
  const layer = Pombo.layerConfigWithoutHttpClient.pipe(
    Layer.provide(Layer.merge(http.layer, ConfigProvider.layer(ConfigProvider.fromEnvRecord(env))))
  )
  return { http, layer }
}

const configError = (env: Record<string, string>) =>
  Effect.flip(WhatsApp.WhatsApp.use(Effect.succeed).pipe(Effect.provide(configured(env).layer)))

describe("Pombo.layerConfig", () => {
  it.effect("WHATSAPP_PROVIDER=zapi gives Z-API, configured from ZAPI_* alone", () =>
    Effect.gen(function* () {
      const { http, layer } = configured({ WHATSAPP_PROVIDER: "zapi", ...zapiEnv })
      const receipt = yield* WhatsApp.WhatsApp.use((w) =>
        w.sendText({ to: new ChatId.Contact({ phone: "5511987654321" }), text: "Olá" })
      ).pipe(Effect.provide(layer))
      expect(receipt.provider).toBe("zapi")
      expect(http.requests.map((request) => request.path)).toEqual(["/instances/I1/token/Z-SECRET/send-text"])
    })
  )

  it.effect("WHATSAPP_PROVIDER=megaapi gives Mega-API, configured from MEGAAPI_* alone", () =>
    Effect.gen(function* () {
      const { layer } = configured({ WHATSAPP_PROVIDER: "megaapi", ...megaEnv })
      const service = yield* WhatsApp.WhatsApp.use(Effect.succeed).pipe(Effect.provide(layer))
      expect(service.provider).toBe("megaapi")
      expect(service.capabilities.has("sendPresence")).toBe(true)
    })
  )

  it.effect("without WHATSAPP_PROVIDER: a ConfigError naming it", () =>
    Effect.gen(function* () {
      expect(String(yield* configError({ ...zapiEnv, ...megaEnv }))).toContain("WHATSAPP_PROVIDER")
    })
  )

  it.effect("an unknown provider: a ConfigError naming WHATSAPP_PROVIDER", () =>
    Effect.gen(function* () {
      expect(String(yield* configError({ WHATSAPP_PROVIDER: "twilio", ...zapiEnv }))).toContain("WHATSAPP_PROVIDER")
    })
  )

  it.effect("the chosen vendor's missing variable: a ConfigError naming it", () =>
    Effect.gen(function* () {
      const { ZAPI_TOKEN: _, ...withoutToken } = zapiEnv
      expect(String(yield* configError({ WHATSAPP_PROVIDER: "zapi", ...withoutToken, ...megaEnv }))).toContain(
        "ZAPI_TOKEN"
      )
      expect(String(yield* configError({ WHATSAPP_PROVIDER: "megaapi", ...zapiEnv }))).toContain("MEGAAPI_INSTANCE_KEY")
    })
  )
})
