/**
 * `Dispatcher.make` / `layer`: a stored send becomes the `WhatsApp` call it was made for — the
 * operation by name, the input decoded with its schema — with the typing time shown as presence
 * "composing" or passed as Z-API's `delayTyping`, and the number's connection read from `getStatus`.
 */
import { describe, expect, it } from "@effect/vitest"
import { ChatId, InMemoryWhatsApp, MessageRef, type WhatsApp } from "@pombo/core"
import { RecordingHttpClient } from "@pombo/testing"
import { ZApiClient, ZApiWhatsApp } from "@pombo/zapi"
import { Clock, Duration, Effect, Fiber, Layer, Redacted, Result } from "effect"
import { TestClock } from "effect/testing"
import { Dispatcher, SendOperation } from "../src/index.ts"

const to = new ChatId.Contact({ phone: "5511999999999" })
const quoted = new MessageRef.MessageRef({ chat: to, id: "3EB0QUOTED", fromMe: false })

/** The request the outbox would hand over for this send, stored and read back as JSON. */
const stored = <N extends SendOperation.Name>(
  operation: N,
  input: SendOperation.Input<N>,
  typing: Duration.Input = Duration.zero
): Dispatcher.DispatchRequest => {
  const encoded = Result.getOrThrow(SendOperation.encode("test", operation, input))
  return {
    key: `key-${operation}`,
    number: "in-memory:i1",
    operation,
    input: JSON.parse(encoded.input),
    recipient: encoded.recipient,
    typing: Duration.fromInputUnsafe(typing)
  }
}

const inMemory = (options?: InMemoryWhatsApp.Options) =>
  Effect.map(InMemoryWhatsApp.make(options), ({ whatsapp, control }) => ({ whatsapp, control }))

describe("Dispatcher over WhatsApp", () => {
  it.effect("calls the stored operation with its input decoded, answering the vendor's message id", () =>
    Effect.gen(function* () {
      const { whatsapp, control } = yield* inMemory()
      const dispatcher = Dispatcher.make(() => whatsapp)
      const text = { to, text: "Seu pedido saiu para entrega", mentions: [to] }
      const reply = { message: quoted, text: "Obrigado!" }
      const media = {
        to,
        kind: "image",
        source: { _tag: "Url", url: "https://example.com/a.png" },
        caption: "a"
      } as const
      const receipts = [
        yield* dispatcher.dispatch(stored("sendText", text)),
        yield* dispatcher.dispatch(stored("reply", reply)),
        yield* dispatcher.dispatch(stored("sendMedia", media))
      ]
      const sent = yield* control.sent
      expect(sent.map((s) => [s.operation, s.input])).toEqual([
        ["sendText", text],
        ["reply", reply],
        ["sendMedia", media]
      ])
      // Decoded back into the core's own values, not plain JSON objects.
      expect((sent[1]!.input as typeof reply).message).toBeInstanceOf(MessageRef.MessageRef)
      expect(receipts.map((r) => r.messageId)).toEqual(sent.map((s) => s.receipt.message.id))
      expect(receipts.map((r) => r.at)).toEqual(sent.map((s) => s.receipt.acceptedAt))
    })
  )

  it.effect("shows presence composing for the typing time before the send, where the provider can", () =>
    Effect.gen(function* () {
      const { whatsapp } = yield* inMemory()
      const calls: Array<{ readonly call: string; readonly at: number }> = []
      const logged =
        <A extends ReadonlyArray<unknown>, B, E>(call: string, f: (...a: A) => Effect.Effect<B, E>) =>
        (...a: A) =>
          Effect.flatMap(Clock.currentTimeMillis, (at) => {
            calls.push({ call, at })
            return f(...a)
          })
      const watched: WhatsApp.Shape = {
        ...whatsapp,
        sendPresence: logged("sendPresence composing", whatsapp.sendPresence),
        sendText: logged("sendText", whatsapp.sendText)
      }
      const fiber = yield* Effect.forkChild(
        Dispatcher.make(() => watched).dispatch(stored("sendText", { to, text: "oi" }, "2 seconds")),
        { startImmediately: true }
      )
      yield* TestClock.adjust("1999 millis")
      expect(calls.map((c) => c.call)).toEqual(["sendPresence composing"])
      yield* TestClock.adjust("1 millis")
      yield* Fiber.join(fiber)
      expect(calls).toEqual([
        { call: "sendPresence composing", at: 0 },
        { call: "sendText", at: 2000 }
      ])
    })
  )

  it.effect("a provider that cannot show presence still sends, at once", () =>
    Effect.gen(function* () {
      const { whatsapp, control } = yield* inMemory({ capabilities: ["sendText"] })
      yield* Dispatcher.make(() => whatsapp).dispatch(stored("sendText", { to, text: "oi" }, "2 seconds"))
      expect((yield* control.sent).map((s) => s.operation)).toEqual(["sendText"])
    })
  )

  it.effect("on Z-API the typing time goes as delayTyping (1–15 s), unless the caller set one", () =>
    Effect.gen(function* () {
      const http = RecordingHttpClient.make(() => RecordingHttpClient.json({ zaapId: "Z1", messageId: "M1", id: "M1" }))
      const zapi = ZApiWhatsApp.layer.pipe(
        Layer.provide(
          ZApiClient.layer({ instanceId: "I1", token: Redacted.make("T"), baseUrl: "https://api.z-api.test" })
        ),
        Layer.provide(http.layer)
      )
      const dispatcher = yield* Dispatcher.Dispatcher.pipe(Effect.provide(Dispatcher.layer.pipe(Layer.provide(zapi))))
      const receipt = yield* dispatcher.dispatch(stored("sendText", { to, text: "olá" }, "2400 millis"))
      yield* dispatcher.dispatch(stored("sendText", { to, text: "olá" }, "40 seconds"))
      yield* dispatcher.dispatch(
        stored(
          "sendText",
          { to, text: "olá", providerOptions: { zapi: { delayTyping: 5, delayMessage: 3 } } },
          "2 seconds"
        )
      )
      yield* dispatcher.dispatch(stored("sendText", { to, text: "olá" }))
      expect(receipt.messageId).toBe("M1")
      expect(http.requests.map((r) => r.body)).toEqual([
        { phone: "5511999999999", message: "olá", delayTyping: 2 },
        { phone: "5511999999999", message: "olá", delayTyping: 15 },
        { phone: "5511999999999", message: "olá", delayTyping: 5, delayMessage: 3 },
        { phone: "5511999999999", message: "olá" }
      ])
    })
  )

  it.effect("probes a number's connection with getStatus", () =>
    Effect.gen(function* () {
      const { whatsapp, control } = yield* inMemory({ connected: false })
      const dispatcher = Dispatcher.make(() => whatsapp)
      expect(yield* dispatcher.connected!("in-memory:i1")).toBe(false)
      yield* control.setConnected(true)
      expect(yield* dispatcher.connected!("in-memory:i1")).toBe(true)
    })
  )

  it.effect(
    "fails a send it cannot make with a typed refusal: an unknown number, an input that no longer decodes",
    () =>
      Effect.gen(function* () {
        const { whatsapp, control } = yield* inMemory()
        const dispatcher = Dispatcher.make((number) => (number === "in-memory:i1" ? whatsapp : undefined))
        const unknown = yield* Effect.flip(
          dispatcher.dispatch({ ...stored("sendText", { to, text: "oi" }), number: "zapi:other" })
        )
        expect(unknown).toMatchObject({ _tag: "InvalidRequest", provider: "zapi", field: "number" })
        const corrupt = yield* Effect.flip(
          dispatcher.dispatch({ ...stored("sendText", { to, text: "oi" }), input: { to: "5511999999999", text: "oi" } })
        )
        expect(corrupt).toMatchObject({ _tag: "InvalidRequest", operation: "sendText", field: "input" })
        expect(yield* control.sent).toEqual([])
      })
  )
})

describe("SendOperation", () => {
  it("is every operation of WhatsApp that answers a SendReceipt", () => {
    expect(SendOperation.names).toEqual([
      "sendText",
      "sendMedia",
      "sendLocation",
      "sendContacts",
      "sendLinkPreview",
      "sendList",
      "sendButtons",
      "sendPoll",
      "sendReaction",
      "reply",
      "sendTemplate",
      "forwardMessage"
    ])
  })

  it("derives the recipient from the input's chat", () => {
    const group = new ChatId.Group({ id: "120363019502650977" })
    const of = <N extends SendOperation.Name>(operation: N, input: SendOperation.Input<N>) =>
      Result.getOrThrow(SendOperation.encode("test", operation, input)).recipient
    expect(of("sendText", { to, text: "oi" })).toBe("+5511999999999")
    expect(of("sendLocation", { to: group, latitude: -23.5, longitude: -46.6 })).toBe("group:120363019502650977")
    expect(of("sendReaction", { message: quoted, emoji: "👍" })).toBe("+5511999999999")
  })
})
