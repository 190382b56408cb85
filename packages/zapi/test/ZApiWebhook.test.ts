/**
 * The Z-API webhook decoder: every webhook example of the spec replays to the expected event (a
 * new example in the spec is a new case here), a few examples are checked field by field, and
 * property tests feed it arbitrary JSON, truncated examples and examples with broken fields.
 */
import { describe, expect, it } from "@effect/vitest"
import { loadSpec, specPath } from "@pombo/codegen/Spec"
import { deref, operationsOf } from "@pombo/codegen/SpecCheck"
import type { WhatsAppEvent } from "@pombo/core"
import fc from "fast-check"
import { beforeAll } from "vitest"
import { webhooks } from "../src/generated/ZApi.ts"
import * as ZApiWebhook from "../src/ZApiWebhook.ts"

type Event = WhatsAppEvent.WhatsAppEvent

interface Example {
  readonly webhook: string
  readonly name: string
  readonly value: unknown
}

/** What each webhook must decode to: the event's `_tag` and, for messages, the content's `_tag`. */
const expected: Record<keyof typeof webhooks, readonly [Event["_tag"], string?]> = {
  delivery: ["MessageStatus"],
  messageStatus: ["MessageStatus"],
  presenceChat: ["PresenceUpdate"],
  connected: ["ConnectionUpdate"],
  disconnected: ["ConnectionUpdate"],
  receivedText: ["MessageReceived", "Text|Edit"],
  receivedTemplate: ["MessageReceived", "Text|Image|Video|Document|Location"],
  receivedReaction: ["MessageReceived", "Reaction"],
  receivedButtonResponse: ["MessageReceived", "ButtonReply"],
  receivedListResponse: ["MessageReceived", "ListReply"],
  receivedButtons: ["MessageReceived", "Image|Video|Text"],
  receivedPixKey: ["MessageReceived", "Other"],
  receivedCarousel: ["MessageReceived", "Other"],
  receivedImage: ["MessageReceived", "Image"],
  receivedAudio: ["MessageReceived", "Audio"],
  receivedVideo: ["MessageReceived", "Video"],
  receivedContact: ["MessageReceived", "Contacts"],
  receivedDocument: ["MessageReceived", "Document"],
  receivedLocation: ["MessageReceived", "Location"],
  receivedSticker: ["MessageReceived", "Sticker"],
  receivedPaymentRequest: ["MessageReceived", "Other"],
  receivedPayment: ["MessageReceived", "Other"],
  receivedProduct: ["MessageReceived", "Commerce"],
  receivedOrder: ["MessageReceived", "Commerce"],
  receivedReviewAndPay: ["MessageReceived", "Commerce"],
  receivedReviewOrder: ["MessageReceived", "Commerce"],
  receivedPoll: ["MessageReceived", "Poll"],
  receivedPollVote: ["MessageReceived", "PollVote"],
  receivedNewsletterAdminInvite: ["MessageReceived", "Other"],
  receivedPinMessage: ["MessageReceived", "Other"],
  receivedEvent: ["MessageReceived", "Event"],
  receivedEventResponse: ["MessageReceived", "Other"],
  receivedWaitingMessage: ["MessageReceived", "Other"],
  receivedCall: ["MessageReceived", "Call"],
  receivedPaymentNotification: ["MessageReceived", "Notification"],
  receivedGroupMembershipRequest: ["MessageReceived", "Notification"],
  receivedGroupNotification: ["GroupUpdate"],
  receivedNewsletterAdminChange: ["MessageReceived", "Notification"],
  receivedProfileNameUpdate: ["MessageReceived", "Notification"],
  receivedProfilePictureUpdate: ["MessageReceived", "Notification"],
  receivedChatLabelAssociation: ["MessageReceived", "Notification"],
  receivedSystemNotification: ["MessageReceived", "Notification"],
  receivedRevoke: ["MessageReceived", "Deletion"],
  receivedPtv: ["MessageReceived", "Video"],
  receivedLiveLocation: ["MessageReceived", "Location"],
  receivedOtherNotification: ["MessageReceived", "Notification|Call"]
}

const receivedAt = new Date("2025-01-02T03:04:05.000Z")
const context = { receivedAt }

let examples: ReadonlyArray<Example> = []

beforeAll(async () => {
  const document = await loadSpec(specPath("zapi"))
  examples = operationsOf(document)
    .filter((op) => op.kind === "webhook")
    .flatMap((op) => {
      const body: { content?: Record<string, { examples?: Record<string, unknown> }> } | undefined = deref(
        document,
        op.operation.requestBody
      )
      return Object.entries(body?.content?.["application/json"]?.examples ?? {}).map(([name, raw]) => ({
        webhook: op.key,
        name,
        value: (deref(document, raw) as { value: unknown }).value
      }))
    })
})

type Json = Record<string, unknown>

const example = (webhook: string, name?: string): Json => {
  const found = examples.find(
    (candidate) => candidate.webhook === webhook && (name === undefined || candidate.name === name)
  )
  if (found === undefined) throw new Error(`no example ${webhook}/${name}`)
  return structuredClone(found.value) as Json
}

const one = (payload: unknown): Event => {
  const events = ZApiWebhook.decode(payload, context)
  expect(events).toHaveLength(1)
  return events[0]!
}

const received = (payload: unknown): WhatsAppEvent.MessageReceived => {
  const event = one(payload)
  if (event._tag !== "MessageReceived") throw new Error(`expected MessageReceived, got ${JSON.stringify(event)}`)
  return event
}

const contentTag = (event: Event): string | undefined =>
  event._tag === "MessageReceived" ? event.content._tag : undefined

const assertWellFormed = (events: ReadonlyArray<Event>, payload: unknown) => {
  expect(events.length).toBeGreaterThanOrEqual(1)
  for (const event of events) {
    expect(event.raw).toBe(payload)
    expect(event.provider).toBe("zapi")
    expect(event.id.length).toBeGreaterThan(0)
    expect(event.timestamp).toBeInstanceOf(Date)
    expect(Number.isNaN(event.timestamp.getTime())).toBe(false)
  }
}

describe("ZApiWebhook", () => {
  describe("replays every webhook example of the spec", () => {
    it("covers every documented webhook", () => {
      expect(new Set(examples.map((e) => e.webhook))).toEqual(new Set(Object.keys(webhooks)))
      expect(Object.keys(expected).sort()).toEqual(Object.keys(webhooks).sort())
    })

    it("decodes each example to its expected event", () => {
      const counts = new Map<string, number>()
      const failures: Array<string> = []
      for (const { webhook, name, value } of examples) {
        const events = ZApiWebhook.decode(value, context)
        assertWellFormed(events, value)
        const [tag, content] = expected[webhook as keyof typeof webhooks]
        for (const event of events) {
          const kind = contentTag(event)
          const key = kind === undefined ? event._tag : `${event._tag}/${kind}`
          counts.set(key, (counts.get(key) ?? 0) + 1)
          if (event._tag !== tag) {
            failures.push(`${webhook}/${name}: ${event._tag} ${event._tag === "Unknown" ? event.reason : ""}`)
          } else if (content !== undefined && !content.split("|").includes(kind ?? "")) {
            failures.push(`${webhook}/${name}: content ${kind}, expected ${content}`)
          }
        }
      }
      expect(failures).toEqual([])
      const rows = [...counts.entries()].sort(([a], [b]) => a.localeCompare(b))
      console.log(
        `Z-API webhook replay: ${examples.length} examples → ${rows.reduce((n, [, c]) => n + c, 0)} events\n` +
          rows.map(([key, count]) => `  ${key.padEnd(36)} ${count}`).join("\n")
      )
    })
  })

  describe("normalises", () => {
    it("a text message: ids, chat with the ninth digit, sender phone and LID, milliseconds", () => {
      const payload = example("receivedText", "text")
      payload.phone = "554499999999" // written without the ninth digit
      const event = received(payload)
      expect(event.id).toBe("zapi:A20DA9C0183A2D35A260F53F5D2B9244:receivedText:A20DA9C0183A2D35A260F53F5D2B9244")
      expect(event.instance).toBe("A20DA9C0183A2D35A260F53F5D2B9244")
      expect(event.chat).toMatchObject({ _tag: "Contact", phone: "5544999999999" })
      expect(event.message).toMatchObject({ id: "A20DA9C0183A2D35A260F53F5D2B9244", fromMe: false })
      expect(event.message.chat).toMatchObject({ _tag: "Contact", phone: "5544999999999" })
      expect(event.sender).toMatchObject({ phone: { phone: "5544999999999" }, lid: "81896604192873@lid", name: "name" })
      expect(event.timestamp.toISOString()).toBe(new Date(1632228638000).toISOString())
      expect(event.content).toMatchObject({ _tag: "Text", text: "test" })
      expect(event.quoted).toBeUndefined()
      expect(event.broadcast).toBe(false)
    })

    it("seconds in the disconnected callback", () => {
      const event = one(example("disconnected"))
      expect(event).toMatchObject({
        _tag: "ConnectionUpdate",
        state: "disconnected",
        reason: "Device has been disconnected"
      })
      expect(event.timestamp.toISOString()).toBe(new Date(1580163342 * 1000).toISOString())
    })

    it("chatLid as the sender's LID in a one-to-one chat", () => {
      const event = received(example("receivedTemplate", "text"))
      expect(event.sender.lid).toBe("81896604192873@lid")
      expect(event.content).toMatchObject({ _tag: "Text", text: "message text" })
    })

    it("the participant of a group message (phone, LID, MessageRef participant)", () => {
      const payload = example("receivedText", "text")
      Object.assign(payload, {
        phone: "120363019502650977-group",
        isGroup: true,
        participantPhone: "554498888888",
        participantLid: "1234567890@lid"
      })
      const event = received(payload)
      expect(event.chat).toMatchObject({ _tag: "Group", id: "120363019502650977" })
      expect(event.message.participant).toMatchObject({ phone: "5544998888888" })
      expect(event.sender).toMatchObject({ phone: { phone: "5544998888888" }, lid: "1234567890@lid" })
    })

    it("own messages: the sender is the connected number", () => {
      const event = received(example("receivedCarousel"))
      expect(event.fromMe).toBe(true)
      expect(event.sender.phone).toMatchObject({ phone: "5544999999999" })
      expect(event.content).toMatchObject({ _tag: "Other", kind: "carousel" })
    })

    it("an unreadable chat becomes Unknown with the reason", () => {
      const payload = example("receivedText", "text")
      payload.phone = "not-a-phone"
      const event = one(payload)
      expect(event._tag).toBe("Unknown")
      expect(event._tag === "Unknown" && event.reason).toContain("unreadable chat")
      expect(event.raw).toBe(payload)
    })

    it("view-once and disappearing messages as their plain content", () => {
      const image = received(example("receivedImage"))
      expect(image.content).toMatchObject({ _tag: "Image", url: "https://", mimeType: "image/jpeg" })
      const payload = example("receivedVideo", "ptv")
      payload.messageExpirationSeconds = 86400
      expect(received(payload).content._tag).toBe("Video")
    })

    it("a voice note", () => {
      expect(received(example("receivedAudio")).content).toMatchObject({ _tag: "Audio", voice: true, seconds: 10 })
    })

    it("edits, with an id of their own", () => {
      const edit = received(example("receivedText", "edited"))
      expect(edit.content).toMatchObject({ _tag: "Edit", targetId: edit.message.id, text: "test (edited)" })
      expect(edit.id).not.toBe(received(example("receivedText", "text")).id)
    })

    it("status replies quote the status broadcast", () => {
      const event = received(example("receivedText", "statusReply"))
      expect(event.quoted?.chat).toMatchObject({ _tag: "Broadcast", id: "status" })
      expect(event.quoted?.fromMe).toBe(true)
    })

    it("ads are read with adReplyOf", () => {
      const event = received(example("receivedText", "fromAd"))
      expect(ZApiWebhook.adReplyOf(event)).toMatchObject({ sourceType: "ad", sourceId: "23722824350495506" })
      expect(ZApiWebhook.adReplyOf(received(example("receivedText", "text")))).toBeUndefined()
    })

    it("deletions", () => {
      const event = received(example("receivedRevoke"))
      expect(event.content).toMatchObject({ _tag: "Deletion", targetId: "3EB0796DC6B777C0C7CD" })
    })

    it("quoted messages: replies, reactions and event answers", () => {
      const button = received(example("receivedButtonResponse"))
      expect(button.content).toMatchObject({ _tag: "ButtonReply", id: "1", label: "Great" })
      expect(button.quoted).toMatchObject({ id: "A20DA9C0183A2D35A260F53F5D2B9244", fromMe: true })
      const reaction = received(example("receivedReaction"))
      expect(reaction.content).toMatchObject({ _tag: "Reaction", emoji: "❤️", targetId: "3EB0796DC6B777C0C7CD" })
      expect(reaction.quoted).toMatchObject({ id: "3EB0796DC6B777C0C7CD", fromMe: true })
      const answer = received(example("receivedEventResponse"))
      expect(answer.quoted).toMatchObject({
        id: "D2D612289D9E8F62307D72409A8D9DC3",
        chat: { _tag: "Group", id: "120363239161320697" },
        participant: { phone: "5544999999988" }
      })
    })

    it("one MessageStatus per id, without duplicates", () => {
      const payload = example("messageStatus", "read")
      payload.ids = ["AAA", "BBB", "AAA"]
      const events = ZApiWebhook.decode(payload, context)
      expect(events.map((e) => e._tag)).toEqual(["MessageStatus", "MessageStatus"])
      expect(events.map((e) => e._tag === "MessageStatus" && [e.messageId, e.status])).toEqual([
        ["AAA", "read"],
        ["BBB", "read"]
      ])
      expect(new Set(events.map((e) => e.id)).size).toBe(2)
    })

    it("statuses map to sent, delivered, read and played", () => {
      const statuses = examples
        .filter((e) => e.webhook === "messageStatus")
        .flatMap((e) => ZApiWebhook.decode(e.value, { receivedAt }))
        .map((e) => (e._tag === "MessageStatus" ? e.status : e._tag))
      // The two group examples (live traffic) add a read of two ids and a play.
      expect(statuses.sort()).toEqual(["delivered", "played", "played", "read", "read", "read", "read", "sent"])
    })

    it("deliveries: sent, or failed with the error", () => {
      expect(one(example("delivery"))).toMatchObject({ _tag: "MessageStatus", status: "sent", timestamp: receivedAt })
      const failed = example("delivery")
      failed.error = "number does not exist"
      expect(one(failed)).toMatchObject({ status: "failed", error: "number does not exist" })
    })

    it("group participant changes as GroupUpdate", () => {
      const event = one(example("receivedGroupNotification", "participantAdded"))
      expect(event).toMatchObject({
        _tag: "GroupUpdate",
        group: { _tag: "Group", id: "120363019502650977" },
        action: "add",
        participants: [{ phone: { phone: "5544988888888" } }],
        by: { phone: { phone: "5544999999999" } }
      })
    })

    it("calls", () => {
      expect(received(example("receivedCall", "incoming")).content).toMatchObject({ _tag: "Call", status: "offered" })
      expect(received(example("receivedCall", "missed")).content).toMatchObject({ _tag: "Call", status: "missed" })
    })

    it("presence", () => {
      expect(one(example("presenceChat", "composing"))).toMatchObject({
        _tag: "PresenceUpdate",
        presence: "composing",
        chat: { phone: "5544999999999" }
      })
    })
  })

  describe("event ids", () => {
    it("the same payload twice gives the same ids", () => {
      for (const { value } of examples) {
        const first = ZApiWebhook.decode(value, context).map((e) => e.id)
        const again = ZApiWebhook.decode(structuredClone(value), { receivedAt: new Date() }).map((e) => e.id)
        expect(again).toEqual(first)
      }
    })

    it("different examples give different ids, unless the docs reuse one message id for one webhook", () => {
      const byId = new Map<string, Array<Example>>()
      for (const e of examples) {
        for (const event of ZApiWebhook.decode(e.value, context)) {
          byId.set(event.id, [...(byId.get(event.id) ?? []), e])
        }
      }
      const collisions = [...byId.entries()].filter(([, list]) => list.length > 1)
      for (const [, list] of collisions) {
        const keys = new Set(list.map((e) => `${e.webhook}:${(e.value as { messageId?: string }).messageId}`))
        expect(keys.size).toBe(1)
      }
      expect(ZApiWebhook.decode(example("receivedText", "text"), context)[0]!.id).not.toBe(
        ZApiWebhook.decode(example("receivedImage"), context)[0]!.id
      )
      expect(one(example("presenceChat", "composing")).id).not.toBe(one(example("presenceChat", "paused")).id)
    })
  })

  it("is a WebhookReceiver decoder", () => {
    expect(ZApiWebhook.decoder.provider).toBe("zapi")
    expect(ZApiWebhook.decoder.decode({}, { receivedAt })[0]!._tag).toBe("Unknown")
  })
})
