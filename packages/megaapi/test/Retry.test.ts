import { describe, expect, it } from "@effect/vitest"
import { ChatId, WhatsApp } from "@pombo/core"
import { Effect, Fiber } from "effect"
import { TestClock } from "effect/testing"
import { type Answer, example, fakeHttp, providerLayer } from "./FakeMegaApi.ts"

const to = new ChatId.Contact({ phone: "5511999999999" })

const scripted = (answers: ReadonlyArray<Answer>, call: (w: WhatsApp.Shape) => Effect.Effect<unknown, unknown>) => {
  const http = fakeHttp((_, index) => answers[Math.min(index, answers.length - 1)]!)
  return Effect.map(
    Effect.result(WhatsApp.WhatsApp.use(call).pipe(Effect.provide(providerLayer(http.client)))),
    (result) => ({ result, requests: http.requests.length })
  )
}

describe("retries", () => {
  it.effect("a read is retried after a 503", () =>
    Effect.gen(function* () {
      const { result, requests } = yield* scripted(
        [
          { status: 503, body: "busy" },
          { status: 200, body: example("instanceStatus") }
        ],
        (w) => w.getStatus()
      )
      expect(result._tag).toBe("Success")
      expect(requests).toBe(2)
    })
  )

  it.effect("a send is not retried after a 500: never sent twice", () =>
    Effect.gen(function* () {
      const { result, requests } = yield* scripted(
        [
          { status: 500, body: { error: true, message: "unstable" } },
          { status: 200, body: example("sendText") }
        ],
        (w) => w.sendText({ to, text: "Olá" })
      )
      expect(result).toMatchObject({ _tag: "Failure", failure: { _tag: "ProviderUnavailable", notSent: false } })
      expect(requests).toBe(1)
    })
  )

  it.effect("a send is retried after the connection was refused", () =>
    Effect.gen(function* () {
      const { result, requests } = yield* scripted(["refused", { status: 200, body: example("sendText") }], (w) =>
        w.sendText({ to, text: "Olá" })
      )
      expect(result._tag).toBe("Success")
      expect(requests).toBe(2)
    })
  )

  it.effect("a send that times out is ProviderUnavailable, possibly sent, and not retried", () =>
    Effect.gen(function* () {
      const http = fakeHttp((_, index) => (index === 0 ? "hang" : { status: 200, body: example("sendText") }))
      const fiber = yield* WhatsApp.WhatsApp.use((w) => w.sendText({ to, text: "Olá" })).pipe(
        Effect.provide(providerLayer(http.client, { timeout: "5 seconds" })),
        Effect.flip,
        Effect.forkChild
      )
      yield* TestClock.adjust("6 seconds")
      const error = yield* Fiber.join(fiber)
      expect(error).toMatchObject({ _tag: "ProviderUnavailable", notSent: false })
      expect((error as { detail: string }).detail).toContain("Timeout")
      expect(http.requests.length).toBe(1)
    })
  )
})
