/**
 * `providerOptions.zapi`: Z-API's queue pacing reaches the wire on every send, is checked against
 * the spec's limits, and is refused (by name) on an operation that cannot carry it.
 */
import { describe, expect, it } from "@effect/vitest"
import { ChatId } from "@pombo/core"
import { RecordingHttpClient } from "@pombo/testing"
import { Effect } from "effect"
import { fake, withWhatsApp } from "./ZApiFixture.ts"

const to = new ChatId.Contact({ phone: "5511999999999" })
const queued = RecordingHttpClient.json({ zaapId: "Z1", messageId: "M1", id: "M1" })

describe("providerOptions.zapi", () => {
  it.effect("delayMessage and delayTyping go with a send", () =>
    Effect.gen(function* () {
      const { recorded, layer } = fake(queued)
      yield* withWhatsApp((w) =>
        w.sendText({ to, text: "Olá", providerOptions: { zapi: { delayMessage: 5, delayTyping: 2 } } })
      ).pipe(Effect.provide(layer))
      expect(recorded.map((request) => request.body)).toEqual([
        { phone: "5511999999999", message: "Olá", delayMessage: 5, delayTyping: 2 }
      ])
    })
  )

  it.effect("a value outside the spec's range is refused naming the option; nothing is sent", () =>
    Effect.gen(function* () {
      const { recorded, layer } = fake(queued)
      const error = yield* withWhatsApp((w) =>
        Effect.flip(w.sendText({ to, text: "Olá", providerOptions: { zapi: { delayMessage: 99 } } }))
      ).pipe(Effect.provide(layer))
      expect(error).toMatchObject({ _tag: "InvalidRequest", field: "providerOptions.zapi.delayMessage" })
      expect(recorded).toHaveLength(0)
    })
  )

  it.effect("given to an operation that sends no message, it is refused rather than dropped", () =>
    Effect.gen(function* () {
      const { recorded, layer } = fake(RecordingHttpClient.json({ value: true }))
      const error = yield* withWhatsApp((w) =>
        Effect.flip(w.setProfileName({ name: "Loja", providerOptions: { zapi: { delayMessage: 3 } } }))
      ).pipe(Effect.provide(layer))
      expect(error).toMatchObject({ _tag: "InvalidRequest", field: "providerOptions.zapi" })
      expect(recorded).toHaveLength(0)
    })
  )

  it.effect("another provider's options are ignored", () =>
    Effect.gen(function* () {
      const { recorded, layer } = fake(queued)
      yield* withWhatsApp((w) =>
        w.sendText({ to, text: "Olá", providerOptions: { megaapi: { anything: true } } })
      ).pipe(Effect.provide(layer))
      expect(recorded.map((request) => request.body)).toEqual([{ phone: "5511999999999", message: "Olá" }])
    })
  )
})
