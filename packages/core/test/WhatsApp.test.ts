import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Stream } from "effect"
import type { Capability } from "../src/index.ts"
import { ChatId, InMemoryWhatsApp, MessageRef, WhatsApp, WhatsAppEvent } from "../src/index.ts"

const to = new ChatId.Contact({ phone: "5511987654321" })
const received = new MessageRef.MessageRef({ chat: to, id: "3EB0C0FFEE", fromMe: false })

const failureOf = <A, E>(effect: Effect.Effect<A, E, WhatsApp.WhatsApp | InMemoryWhatsApp.InMemoryControl>) =>
  Effect.flip(effect)

const provide = <A, E>(
  effect: Effect.Effect<A, E, WhatsApp.WhatsApp | InMemoryWhatsApp.InMemoryControl>,
  options?: InMemoryWhatsApp.Options
) => Effect.provide(effect, InMemoryWhatsApp.layer(options))

describe("input validation, before anything is sent", () => {
  const cases: ReadonlyArray<[string, (w: WhatsApp.Shape) => Effect.Effect<unknown, unknown>, string, string]> = [
    ["empty text", (w) => w.sendText({ to, text: "" }), "text", "blank"],
    ["blank text", (w) => w.sendText({ to, text: "   \n " }), "text", "blank"],
    ["text over WhatsApp's limit", (w) => w.sendText({ to, text: "a".repeat(65_537) }), "text", "65536"],
    [
      "a media URL that is not a URL",
      (w) => w.sendMedia({ to, kind: "image", source: { _tag: "Url", url: "not a url" } }),
      "source.url",
      "absolute URL"
    ],
    [
      "a webhook URL with a line break (a URL parser would silently drop it)",
      (w) => w.setWebhook({ url: "http://a\nb.com/x" }),
      "url",
      "line breaks"
    ],
    [
      "a media URL that is not http",
      (w) => w.sendMedia({ to, kind: "image", source: { _tag: "Url", url: "ftp://example.com/a.png" } }),
      "source.url",
      "http"
    ],
    [
      "base64 that is not base64",
      (w) =>
        w.sendMedia({
          to,
          kind: "document",
          source: { _tag: "Base64", data: "data:image/png;base64,AAAA", mimeType: "image/png" }
        }),
      "source.data",
      "base64"
    ],
    ["latitude out of range", (w) => w.sendLocation({ to, latitude: 91, longitude: 0 }), "latitude", "90"],
    ["longitude out of range", (w) => w.sendLocation({ to, latitude: 0, longitude: -180.5 }), "longitude", "-180"],
    [
      "a list without sections",
      (w) => w.sendList({ to, text: "Menu", buttonText: "Open", sections: [] }),
      "sections",
      "1"
    ],
    [
      "a list with eleven rows",
      (w) =>
        w.sendList({
          to,
          text: "Menu",
          buttonText: "Open",
          sections: [
            { title: "A", rows: Array.from({ length: 6 }, (_, i) => ({ id: `a${i}`, title: `Row ${i}` })) },
            { title: "B", rows: Array.from({ length: 5 }, (_, i) => ({ id: `b${i}`, title: `Row ${i}` })) }
          ]
        }),
      "sections",
      "10 rows"
    ],
    [
      "a list row title over 24 characters",
      (w) =>
        w.sendList({
          to,
          text: "Menu",
          buttonText: "Open",
          sections: [{ title: "A", rows: [{ id: "1", title: "x".repeat(25) }] }]
        }),
      "sections.0.rows.0.title",
      "24"
    ],
    [
      "four buttons",
      (w) =>
        w.sendButtons({
          to,
          text: "Pick",
          buttons: ["a", "b", "c", "d"].map((id) => ({ id, label: id.toUpperCase() }))
        }),
      "buttons",
      "3"
    ],
    ["a poll with one option", (w) => w.sendPoll({ to, name: "Lunch?", options: ["Yes"] }), "options", "2"],
    [
      "a poll allowing more answers than options",
      (w) => w.sendPoll({ to, name: "Lunch?", options: ["Yes", "No"], selectableCount: 3 }),
      "selectableCount",
      "exceed"
    ],
    ["a reaction that is not an emoji", (w) => w.sendReaction({ message: received, emoji: "ok" }), "emoji", "emoji"],
    ["a webhook URL that is not a URL", (w) => w.setWebhook({ url: "localhost:3000/hook" }), "url", "URL"]
  ]

  for (const [name, call, field, detail] of cases) {
    it.effect(`rejects ${name} with InvalidRequest naming ${field}, and sends nothing`, () =>
      provide(
        Effect.gen(function* () {
          const whatsapp = yield* WhatsApp.WhatsApp
          const error: any = yield* Effect.flip(call(whatsapp))
          expect(error._tag).toBe("InvalidRequest")
          expect(error.provider).toBe("in-memory")
          expect(error.field).toBe(field)
          expect(error.detail).toContain(detail)
          expect(yield* InMemoryWhatsApp.sent).toEqual([])
        })
      )
    )
  }

  it.effect("accepts valid content of every kind", () =>
    provide(
      Effect.gen(function* () {
        const w = yield* WhatsApp.WhatsApp
        yield* w.sendText({ to, text: "Olá! *negrito*" })
        yield* w.sendMedia({
          to,
          kind: "image",
          source: { _tag: "Url", url: "https://example.com/a.png" },
          caption: "A"
        })
        yield* w.sendMedia({ to, kind: "voice", source: { _tag: "Base64", data: "T2dnUw==", mimeType: "audio/ogg" } })
        yield* w.sendLocation({ to, latitude: -23.5613, longitude: -46.6565, name: "MASP" })
        yield* w.sendPoll({ to, name: "Lunch?", options: ["Yes", "No"], selectableCount: 2 })
        yield* w.sendReaction({ message: received, emoji: "👍🏽" })
        yield* w.sendReaction({ message: received, emoji: "🇧🇷" })
        expect((yield* InMemoryWhatsApp.sent).map((s) => s.operation)).toEqual([
          "sendText",
          "sendMedia",
          "sendMedia",
          "sendLocation",
          "sendPoll",
          "sendReaction",
          "sendReaction"
        ])
      })
    )
  )
})

describe("InMemoryWhatsApp", () => {
  it.effect("records sends and answers realistic receipts", () =>
    provide(
      Effect.gen(function* () {
        const w = yield* WhatsApp.WhatsApp
        const receipt = yield* w.sendText({ to, text: "Seu pedido saiu para entrega" })
        expect(receipt.provider).toBe("in-memory")
        expect(receipt.message.id).toMatch(/^3EB0[0-9A-F]{20}$/)
        expect(receipt.message.fromMe).toBe(true)
        expect(receipt.message.chat).toEqual(to)
        const [sent] = yield* InMemoryWhatsApp.sent
        expect(sent?.input).toEqual({ to, text: "Seu pedido saiu para entrega" })
        expect(sent?.receipt).toBe(receipt)
        expect((yield* w.listChats()).map((c) => c.chat)).toEqual([to])
      })
    )
  )

  it.effect("fails operations outside its configured capabilities with Unsupported", () =>
    provide(
      Effect.gen(function* () {
        const w = yield* WhatsApp.WhatsApp
        expect([...w.capabilities].sort()).toEqual(["getStatus", "sendText"])
        const error = yield* Effect.flip(w.sendPoll({ to, name: "Q", options: ["a", "b"] }))
        expect(error).toMatchObject({ _tag: "Unsupported", provider: "in-memory", operation: "sendPoll" })
        expect(error.message).toBe("in-memory does not support sendPoll")
      }),
      { capabilities: ["sendText", "getStatus"] satisfies Array<Capability.Capability> }
    )
  )

  it.effect("declares every operation when no subset is given", () =>
    provide(
      Effect.gen(function* () {
        const w = yield* WhatsApp.WhatsApp
        const { all } = yield* Effect.promise(() => import("../src/Capability.ts"))
        expect([...w.capabilities]).toEqual(all)
      })
    )
  )

  it.effect("fails with NotConnected while disconnected and recovers when reconnected", () =>
    provide(
      Effect.gen(function* () {
        const w = yield* WhatsApp.WhatsApp
        const control = yield* InMemoryWhatsApp.InMemoryControl
        yield* control.setConnected(false)
        expect((yield* w.getStatus()).connected).toBe(false)
        expect((yield* failureOf(w.sendText({ to, text: "oi" })))._tag).toBe("NotConnected")
        expect((yield* w.getQrCode()).image).toMatch(/^data:image\/png;base64,/)
        yield* control.setConnected(true)
        expect((yield* w.sendText({ to, text: "oi" })).provider).toBe("in-memory")
      })
    )
  )

  it.effect("answers RecipientNotFound for numbers that are not on WhatsApp", () =>
    provide(
      Effect.gen(function* () {
        const w = yield* WhatsApp.WhatsApp
        const error = yield* Effect.flip(w.sendText({ to, text: "oi" }))
        expect(error._tag).toBe("RecipientNotFound")
        expect((yield* w.isOnWhatsApp({ phone: to })).exists).toBe(false)
      }),
      { onWhatsApp: (phone) => phone !== to.phone }
    )
  )

  it.effect("keeps groups as state the group operations change", () =>
    provide(
      Effect.gen(function* () {
        const w = yield* WhatsApp.WhatsApp
        const ana = new ChatId.Contact({ phone: "5521988887777" })
        const created = yield* w.createGroup({ subject: "Equipe", participants: [to] })
        yield* w.addParticipants({ group: created.group, participants: [ana] })
        yield* w.promoteParticipants({ group: created.group, participants: [ana] })
        yield* w.removeParticipants({ group: created.group, participants: [to] })
        const group = yield* w.getGroup({ group: created.group })
        expect(group.participants.map((p) => [p.contact.phone, p.role])).toEqual([
          ["5511900000000", "superadmin"],
          ["5521988887777", "admin"]
        ])
        expect((yield* w.getGroupInviteLink({ group: created.group })).url).toMatch(/^https:\/\/chat\.whatsapp\.com\//)
        yield* w.sendText({ to: created.group, text: "Bom dia, equipe" })
        yield* w.leaveGroup({ group: created.group })
        expect(yield* w.listGroups()).toEqual([])
        const error = yield* Effect.flip(w.sendText({ to: created.group, text: "oi" }))
        expect(error._tag).toBe("RecipientNotFound")
      })
    )
  )

  it.effect("delivers pushed inbound events to subscribers", () =>
    provide(
      Effect.gen(function* () {
        const control = yield* InMemoryWhatsApp.InMemoryControl
        const event = new WhatsAppEvent.MessageStatus({
          id: "status-1",
          provider: "in-memory",
          timestamp: new Date(0),
          raw: {},
          messageId: "3EB0C0FFEE",
          status: "read"
        })
        const collected = yield* Stream.take(control.events, 1).pipe(Stream.runCollect, Effect.forkChild)
        yield* Effect.yieldNow
        yield* InMemoryWhatsApp.push(event)
        const events = yield* Fiber.join(collected)
        expect([...events]).toEqual([event])
      })
    )
  )

  it.effect("remembers the webhook URL", () =>
    provide(
      Effect.gen(function* () {
        const w = yield* WhatsApp.WhatsApp
        expect((yield* w.getWebhook()).url).toBeUndefined()
        yield* w.setWebhook({ url: "https://example.com/webhooks/whatsapp" })
        expect((yield* w.getWebhook()).url).toBe("https://example.com/webhooks/whatsapp")
      })
    )
  )

  it("builds from a layer that can be composed", () => {
    const layer: Layer.Layer<WhatsApp.WhatsApp> = InMemoryWhatsApp.layer()
    expect(Layer.isLayer(layer)).toBe(true)
  })
})
