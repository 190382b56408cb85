/**
 * The Mega-API webhook decoder: every webhook example of the spec replays to the expected event,
 * hand-picked examples check the normalisation (ids, chats, senders, LIDs, timestamps, wrappers,
 * quotes), and fast-check throws arbitrary, truncated and mutated payloads at it: it never throws,
 * always answers at least one event and keeps the payload as `raw`.
 */
import { isDeepStrictEqual } from "node:util"
import { afterAll, describe, expect, it } from "@effect/vitest"
import { loadSpec, type OpenApiDocument, specPath } from "@pombo/codegen/Spec"
import { deref, operationsOf } from "@pombo/codegen/SpecCheck"
import { ChatId, EpochDate, WhatsAppEvent } from "@pombo/core"
import { Schema } from "effect"
import fc from "fast-check"
import type * as Generated from "../src/generated/MegaApi.ts"
import * as MegaApiWebhook from "../src/MegaApiWebhook.ts"

type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }
type JsonObject = { readonly [key: string]: Json }
type Event = WhatsAppEvent.WhatsAppEvent

/** What each webhook of the spec must decode to. A webhook missing here fails the type check. */
const expected: Record<
  keyof typeof Generated.webhooks,
  { readonly event: Event["_tag"]; readonly content?: WhatsAppEvent.MessageContent["_tag"] }
> = {
  messageConversation: { event: "MessageReceived", content: "Text" },
  messageExtendedText: { event: "MessageReceived", content: "Text" },
  messageEphemeral: { event: "MessageReceived", content: "Text" },
  messageAudio: { event: "MessageReceived", content: "Audio" },
  messageVideo: { event: "MessageReceived", content: "Video" },
  messageImage: { event: "MessageReceived", content: "Image" },
  messageDocument: { event: "MessageReceived", content: "Document" },
  messageLocation: { event: "MessageReceived", content: "Location" },
  messageContact: { event: "MessageReceived", content: "Contacts" },
  messageSticker: { event: "MessageReceived", content: "Sticker" },
  messageContextInfo: { event: "MessageReceived", content: "Commerce" },
  connectionUpdate: { event: "ConnectionUpdate" },
  qrCode: { event: "ConnectionUpdate" },
  connectionStatus: { event: "ConnectionUpdate" },
  messageAck: { event: "MessageStatus" }
}

interface Example {
  readonly webhook: string
  readonly name: string
  readonly value: Json
}

const webhookExamples = (document: OpenApiDocument): Array<Example> =>
  operationsOf(document)
    .filter((operation) => operation.kind === "webhook")
    .flatMap((operation) => {
      const body = deref(document, operation.operation.requestBody)
      const examples = body?.content?.["application/json"]?.examples ?? {}
      return Object.entries<unknown>(examples).map(([name, example]) => ({
        webhook: operation.key,
        name,
        value: (deref(document, example) as { value: Json }).value
      }))
    })

const megaApiDocument = await loadSpec(specPath("megaapi"))
const examples = webhookExamples(megaApiDocument)
const zApiExamples = webhookExamples(await loadSpec(specPath("zapi")))
const example = (webhook: string, name = "webhookSection"): JsonObject => {
  const found = examples.find((candidate) => candidate.webhook === webhook && candidate.name === name)
  if (found === undefined) throw new Error(`no example ${webhook}/${name}`)
  return structuredClone(found.value) as JsonObject
}

const receivedAt = new Date("2025-03-01T12:00:00.000Z")
const decode = (payload: unknown) => MegaApiWebhook.decode(payload, { receivedAt })
const only = (payload: unknown): Event => {
  const events = decode(payload)
  expect(events).toHaveLength(1)
  return events[0]!
}
const message = (payload: unknown): WhatsAppEvent.MessageReceived => {
  const event = only(payload)
  if (event._tag !== "MessageReceived") {
    throw new Error(`expected MessageReceived, got ${event._tag}: ${event._tag === "Unknown" ? event.reason : ""}`)
  }
  return event
}
const unknownReason = (payload: unknown): string => {
  const event = only(payload)
  if (event._tag !== "Unknown") throw new Error(`expected Unknown, got ${event._tag}`)
  return event.reason
}
const contact = (phone: string) => new ChatId.Contact({ phone })
const isEvent = Schema.is(WhatsAppEvent.WhatsAppEvent)

/** What every event must satisfy, whatever the input. */
const wellFormed = (payload: unknown, events: ReadonlyArray<Event>) => {
  expect(events.length).toBeGreaterThanOrEqual(1)
  for (const event of events) {
    expect(isEvent(event)).toBe(true)
    expect(event.raw).toBe(payload)
    expect(event.provider).toBe("megaapi")
    expect(event.id.length).toBeGreaterThan(0)
    expect(Number.isNaN(event.timestamp.getTime())).toBe(false)
  }
}

describe("MegaApiWebhook: every webhook example of the spec", () => {
  const counts = { event: new Map<string, number>(), content: new Map<string, number>() }
  const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1)
  afterAll(() => {
    const row = (map: Map<string, number>) => [...map].map(([kind, n]) => `${kind} ${n}`).join(", ")
    console.log(
      `MegaApiWebhook replay: ${examples.length} examples\n  events: ${row(counts.event)}\n  content: ${row(counts.content)}`
    )
  })

  it("has an expectation for every webhook of the spec, and every webhook has an example", () => {
    const webhooks = operationsOf(megaApiDocument)
      .filter((operation) => operation.kind === "webhook")
      .map((operation) => operation.key)
    expect([...webhooks].sort()).toEqual(Object.keys(expected).sort())
    for (const webhook of webhooks) expect(examples.some((candidate) => candidate.webhook === webhook)).toBe(true)
    const handled = [
      ...Object.keys(MegaApiWebhook.messageWebhooks),
      ...MegaApiWebhook.connectionWebhooks,
      ...Object.keys(MegaApiWebhook.liveTrafficWebhooks)
    ]
    expect(handled.sort()).toEqual(Object.keys(expected).sort())
  })

  it.each(examples.map((candidate) => [`${candidate.webhook}/${candidate.name}`, candidate] as const))(
    "%s",
    (_, { webhook, value }) => {
      const events = decode(value)
      wellFormed(value, events)
      const want = expected[webhook as keyof typeof expected]
      expect(want, `no expectation for webhook ${webhook}`).toBeDefined()
      const event = events.find((candidate) => candidate._tag !== "Unknown")
      expect(event, JSON.stringify(events.map((e) => (e._tag === "Unknown" ? e.reason : e._tag)))).toBeDefined()
      expect(event!._tag).toBe(want.event)
      for (const decoded of events) count(counts.event, decoded._tag)
      if (event!._tag === "MessageReceived") {
        count(counts.content, event!.content._tag)
        expect(event!.content._tag).toBe(want.content)
        expect(event!.instance).toBe((value as JsonObject).instance_key)
      }
    }
  )
})

describe("MegaApiWebhook: normalisation", () => {
  it("ids are megaapi:<instance_key>:message:<key.id>", () => {
    expect(message(example("messageConversation")).id).toBe(
      "megaapi:megaapi-sdfsdfgkiiuyHH:message:ED8D5F177503C2F317DDAA63635B06C"
    )
  })

  it("reads the chat and sender with the Brazilian ninth digit, the push name and the message key", () => {
    const event = message(example("messageConversation"))
    expect(event.chat).toEqual(contact("5561999999998"))
    expect(event.sender.phone).toEqual(contact("5561999999998"))
    expect(event.sender.name).toBe("Megaapi")
    expect(event.sender.lid).toBeUndefined()
    expect(event.fromMe).toBe(false)
    expect(event.broadcast).toBe(false)
    expect(event.message.id).toBe("ED8D5F177503C2F317DDAA63635B06C")
    expect(event.message.chat).toEqual(contact("5561999999998"))
    expect(event.message.participant).toBeUndefined()
    expect(event.content).toEqual(new WhatsAppEvent.TextContent({ text: "Megaapi - A melhor api whatsapp" }))
  })

  it("reads messageTimestamp as seconds below 10^12 and milliseconds above, number or string", () => {
    expect(message(example("messageConversation")).timestamp.toISOString()).toBe("2024-01-09T15:47:44.000Z")
    expect(message(example("messageConversation", "deletePage")).timestamp.toISOString()).toBe(
      "2023-07-10T13:15:41.000Z"
    )
    const millis = { ...example("messageConversation"), messageTimestamp: 1704815264123 }
    expect(message(millis).timestamp.toISOString()).toBe("2024-01-09T15:47:44.123Z")
    const unreadable = { ...example("messageConversation"), messageTimestamp: "yesterday" }
    expect(message(unreadable).timestamp).toEqual(receivedAt)
    expect(EpochDate.fromEpoch({ low: 1704815264, high: 0 })?.toISOString()).toBe("2024-01-09T15:47:44.000Z")
  })

  it("unwraps ephemeralMessage and decodes the inner kind", () => {
    const event = message(example("messageEphemeral"))
    expect(event.content).toEqual(new WhatsAppEvent.TextContent({ text: "ola" }))
  })

  it("reads the quoted message and the order of an interactive message (messageContextInfo)", () => {
    const event = message(example("messageContextInfo"))
    expect(event.content).toEqual(new WhatsAppEvent.CommerceContent({ kind: "order" }))
    expect(event.quoted?.id).toBe("0B90675CF538A5889039E8EAAF040")
    expect(event.quoted?.chat).toEqual(contact("5561999999998"))
    expect(event.quoted?.fromMe).toBe(false)
  })

  it("reads voice notes, document pages, stickers and contact cards", () => {
    const audio = message(example("messageAudio")).content
    expect(audio).toMatchObject({ _tag: "Audio", voice: true, seconds: 4, mimeType: "audio/ogg; codecs=opus" })
    expect(message(example("messageDocument")).content).toMatchObject({ _tag: "Document", pages: 9 })
    expect(message(example("messageSticker")).content).toMatchObject({ _tag: "Sticker", animated: true })
    const card = message(example("messageContact")).content
    expect(card).toMatchObject({ _tag: "Contacts", contacts: [{ phones: ["5511999999999"] }] })
  })

  it("reads mentions and replies of an extendedTextMessage", () => {
    const payload = set(example("messageExtendedText"), "message.extendedTextMessage.contextInfo", {
      mentionedJid: ["556199999997@s.whatsapp.net", "98765432109876@lid"],
      stanzaId: "ABCDEF",
      participant: "556199999996@s.whatsapp.net",
      quotedMessage: { conversation: "oi" }
    })
    const event = message(payload)
    expect(event.content).toEqual(
      new WhatsAppEvent.TextContent({ text: "Oi bom dia", mentions: [contact("5561999999997")] })
    )
    // The quoted author is the instance's own number (`jid`).
    expect(event.quoted).toMatchObject({ id: "ABCDEF", fromMe: true })
  })

  it("reads a group message: participant, its LID and phone", () => {
    const payload = set(example("messageConversation"), "key", {
      remoteJid: "120363019502650977@g.us",
      fromMe: false,
      id: "GROUPMSG1",
      participant: "123456789012345@lid",
      participantPn: "556199999997@s.whatsapp.net"
    })
    const event = message(payload)
    expect(event.chat).toEqual(new ChatId.Group({ id: "120363019502650977" }))
    expect(event.sender.phone).toEqual(contact("5561999999997"))
    expect(event.sender.lid).toBe("123456789012345@lid")
    expect(event.message.participant).toEqual(contact("5561999999997"))
  })

  it("reads a one-to-one chat addressed by LID through the phone JID beside it, or says why not", () => {
    const payload = set(example("messageConversation"), "key", {
      remoteJid: "98765432109876:3@lid",
      fromMe: false,
      id: "LIDMSG",
      senderPn: "556199999998@s.whatsapp.net"
    })
    const event = message(payload)
    expect(event.chat).toEqual(contact("5561999999998"))
    expect(event.sender.lid).toBe("98765432109876@lid")
    expect(unknownReason(set(payload, "key.senderPn", undefined))).toContain("LID")
  })

  it("takes the sender of a fromMe message from the instance's own jid", () => {
    const payload = set(example("messageConversation"), "key.fromMe", true)
    const event = message(payload)
    expect(event.fromMe).toBe(true)
    expect(event.message.fromMe).toBe(true)
    expect(event.sender.phone).toEqual(contact("5561999999996"))
  })

  it("turns an unreadable chat id into Unknown with the reason", () => {
    const payload = set(example("messageConversation"), "key.remoteJid", "someone@example.com")
    expect(unknownReason(payload)).toContain("chat id")
  })

  it("turns a modelled messageType that fails its schema into Unknown with the schema's complaint", () => {
    const payload = set(example("messageConversation"), "message.conversation", 42)
    expect(unknownReason(payload)).toContain("does not match the spec")
  })

  it("reads Baileys kinds the spec does not model, and Unknown for the rest", () => {
    const base = example("messageConversation")
    const withContent = (messageType: string, content: Json) => ({
      ...base,
      messageType,
      message: { [messageType]: content }
    })
    expect(message(withContent("reactionMessage", { key: { id: "TARGET" }, text: "👍" })).content).toEqual(
      new WhatsAppEvent.ReactionContent({ emoji: "👍", targetId: "TARGET" })
    )
    expect(message(withContent("protocolMessage", { key: { id: "TARGET" }, type: "REVOKE" })).content).toEqual(
      new WhatsAppEvent.DeletionContent({ targetId: "TARGET" })
    )
    expect(
      message(withContent("protocolMessage", { key: { id: "T" }, type: 14, editedMessage: { conversation: "new" } }))
        .content
    ).toEqual(new WhatsAppEvent.EditContent({ targetId: "T", text: "new" }))
    expect(
      message(withContent("listResponseMessage", { title: "Row", singleSelectReply: { selectedRowId: "r1" } })).content
    ).toEqual(new WhatsAppEvent.ListReplyContent({ id: "r1", title: "Row" }))
    expect(
      message(withContent("buttonsResponseMessage", { selectedButtonId: "b1", selectedDisplayText: "Yes" })).content
    ).toEqual(new WhatsAppEvent.ButtonReplyContent({ id: "b1", label: "Yes" }))
    expect(
      message(withContent("viewOnceMessageV2", { message: { imageMessage: { mimetype: "image/jpeg" } } })).content
    ).toEqual(new WhatsAppEvent.ImageContent({ mimeType: "image/jpeg" }))
    expect(unknownReason(withContent("fancyNewMessage", { a: 1 }))).toContain("fancyNewMessage")
  })

  it("reads polls and votes beside messageContextInfo", () => {
    const bare = set(example("messageContextInfo"), "message.interactiveMessage", undefined)
    const poll = set(bare, "message.pollCreationMessageV3", {
      name: "Lunch?",
      options: [{ optionName: "Yes" }, { optionName: "No" }],
      selectableOptionsCount: 1
    })
    expect(message(poll).content).toEqual(
      new WhatsAppEvent.PollContent({ name: "Lunch?", options: ["Yes", "No"], selectableCount: 1 })
    )
    const vote = set(bare, "message.pollUpdateMessage", {
      pollCreationMessageKey: { id: "POLL" },
      vote: { encPayload: "x" }
    })
    expect(message(vote).content).toEqual(new WhatsAppEvent.PollVoteContent({ pollId: "POLL", selected: [] }))
    expect(unknownReason(bare)).toContain("without a known content kind")
  })

  it("reads connection payloads: disconnected, QR code", () => {
    const disconnected = only(example("connectionUpdate", "illustrative"))
    expect(disconnected).toMatchObject({
      _tag: "ConnectionUpdate",
      state: "disconnected",
      instance: "megaapi-MDa1b2c3d4e5f6"
    })
    expect(disconnected.timestamp).toEqual(receivedAt)
    const qr = only({ instance_key: "megaapi-x", qrcode: "2@abcdef" })
    expect(qr).toMatchObject({ _tag: "ConnectionUpdate", state: "qr", qr: "2@abcdef" })
  })

  it("answers Unknown for every Z-API webhook example, so auto-detection picks the right vendor", () => {
    expect(zApiExamples.length).toBeGreaterThan(0)
    for (const { webhook, name, value } of zApiExamples) {
      const events = decode(value)
      wellFormed(value, events)
      expect(
        events.map((event) => event._tag),
        `${webhook}/${name}`
      ).toEqual(["Unknown"])
    }
  })

  it("is a WebhookDecoder named megaapi", () => {
    expect(MegaApiWebhook.decoder.provider).toBe("megaapi")
    expect(MegaApiWebhook.decoder.decode(example("messageImage"), { receivedAt })[0]?._tag).toBe("MessageReceived")
  })
})

/** A copy of `value` with the value at `path` replaced (or deleted, for `undefined`). */
const mutate = (value: Json, path: ReadonlyArray<string | number>, replacement: Json | undefined): Json => {
  const copy = structuredClone(value)
  let node = copy as Record<string | number, unknown>
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>
  const last = path[path.length - 1]!
  if (replacement === undefined) {
    if (Array.isArray(node)) node.splice(Number(last), 1)
    else delete node[last]
  } else node[last] = replacement
  return copy
}

/** A copy of `payload` with the value at a dotted path replaced (deleted, for `undefined`). */
const set = (payload: Json, path: string, value: Json | undefined): Json => mutate(payload, path.split("."), value)

describe("MegaApiWebhook: event ids", () => {
  it("gives the same payload, redelivered (or with its keys reordered), the same ids", () => {
    for (const { value } of examples) {
      const again = JSON.parse(JSON.stringify(value)) as JsonObject
      const reordered = Object.fromEntries(Object.entries(again).reverse())
      const ids = decode(value).map((event) => event.id)
      expect(decode(again).map((event) => event.id)).toEqual(ids)
      expect(decode(reordered).map((event) => event.id)).toEqual(ids)
    }
  })

  it("gives different messages different ids; only the docs' copies of one message share one", () => {
    const byId = new Map<string, Array<Example>>()
    for (const candidate of examples) {
      for (const event of decode(candidate.value)) byId.set(event.id, [...(byId.get(event.id) ?? []), candidate])
    }
    for (const [id, sharing] of byId) {
      if (sharing.length < 2) continue
      const keys = sharing.map(({ value }) => {
        const object = value as { readonly instance_key?: Json; readonly key?: { readonly id?: Json } }
        return object.key === undefined ? JSON.stringify(value) : `${object.instance_key}:${object.key.id}`
      })
      expect(new Set(keys).size, `${id} is shared by ${sharing.map((s) => `${s.webhook}/${s.name}`)}`).toBe(1)
    }
    // The forwardMessage, quoteMessage and readChat pages copy one message: one id.
    expect(message(example("messageConversation", "forwardPage")).id).toBe(
      message(example("messageConversation", "quotePage")).id
    )
    expect(message(example("messageConversation")).id).not.toBe(
      message(example("messageConversation", "deletePage")).id
    )
  })

  it("gives different unrecognised payloads different ids", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        const same = isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)))
        const idA = decode(a)[0]!.id
        const idB = decode(b)[0]!.id
        expect(idA === idB).toBe(same)
      }),
      { numRuns: 500 }
    )
  })
})
