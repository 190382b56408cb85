/**
 * Adapter: Pombo's inbound side as the decode, group and receiver figures use it — bytes in,
 * events out — and the vendor knowledge those figures need (which payload is a group
 * notification, where a message id sits). The only module of the bench's decode figures that
 * imports Pombo; when the decoders change shape, this is what follows.
 */
import type { WebhookDecoder, WhatsAppEvent } from "@pombo/core"
import * as WebhookReceiver from "@pombo/core/WebhookReceiver"
import { MegaApiWebhook } from "@pombo/megaapi"
import { MetaWebhook } from "@pombo/meta"
import { ZApiWebhook } from "@pombo/zapi"
import type { Vendor, WebhookExample } from "./spec.ts"

const decoders = {
  megaapi: MegaApiWebhook.decoder,
  zapi: ZApiWebhook.decoder,
  meta: MetaWebhook.decoder
} satisfies Record<Vendor, WebhookDecoder.WebhookDecoder>

// A fixed receive time: the figures measure decoding, not the clock.
const context = { receivedAt: new Date("2026-11-29T12:00:00Z") }
const utf8 = new TextDecoder()

/** Bytes → events with one vendor's decoder, as the receiver's per-vendor route does it. */
export const decodeBytes =
  (vendor: Vendor) =>
  (bytes: Uint8Array): ReadonlyArray<WhatsAppEvent.WhatsAppEvent> =>
    decoders[vendor].decode(JSON.parse(utf8.decode(bytes)), context)

/** Bytes → events through every vendor's decoder, as the receiver's auto-detecting route does it. */
export const autoDecodeBytes = (bytes: Uint8Array): ReadonlyArray<WhatsAppEvent.WhatsAppEvent> =>
  WebhookReceiver.decodeWith([decoders.megaapi, decoders.zapi, decoders.meta], JSON.parse(utf8.decode(bytes)), context)

/** The kind an event counts as in the throughput figures: message content, `Status`, or its tag. */
export const kindOf = (event: WhatsAppEvent.WhatsAppEvent): string => {
  switch (event._tag) {
    case "MessageReceived":
      return event.content._tag
    case "MessageStatus":
      return "Status"
    default:
      return event._tag
  }
}

/** Whether the decoder recognised the payload (a bench of `Unknown`s would measure nothing). */
export const recognised = (events: ReadonlyArray<WhatsAppEvent.WhatsAppEvent>): boolean =>
  events.length > 0 && events.every((event) => event._tag !== "Unknown")

/** The message kinds most traffic is made of, whose throughput has a goal. */
export const commonKinds = ["Text", "Image", "Audio", "Video", "Document", "Status"] as const

/** The documented example a group notification of any size is grown from (only Z-API documents one). */
export const groupExample = { vendor: "zapi", name: "receivedGroupNotification/participantAdded" } as const

/**
 * The group notification `example` with `participants` distinct Brazilian mobile numbers added,
 * and a check that its decoding lists them all.
 */
export const groupNotification = (example: WebhookExample, participants: number) => {
  const payload = JSON.parse(example.bytes.toString()) as Record<string, unknown>
  payload.notificationParameters = Array.from({ length: participants }, (_, i) => `55119${String(10_000_000 + i)}`)
  const bytes = Buffer.from(JSON.stringify(payload))
  const events = decodeBytes(example.vendor)(bytes)
  const event = events[0]
  if (events.length !== 1 || event?._tag !== "GroupUpdate" || event.participants.length !== participants) {
    throw new Error(
      `the ${participants}-participant group notification does not decode to one GroupUpdate listing them`
    )
  }
  return bytes
}

type Payload = Record<string, unknown>

/** The chats the receiver's load comes from, in turn: a durable inbox delivers each chat in order, the chats side by side. */
export const receiverChats = 64

/**
 * The documented message each vendor posts to the receiver under load, with a fresh message id
 * per request (the receiver drops redeliveries of an id) from one of `receiverChats` chats: the
 * documented sender's number with its last four digits replaced (`chat` stands for them).
 */
export const receiverLoad = {
  megaapi: {
    name: "messageConversation/webhookSection",
    withId: (payload: Payload, id: string, chat: string): Payload => ({
      ...payload,
      key: { ...(payload.key as object), id, remoteJid: `55619999${chat}@s.whatsapp.net` }
    })
  },
  zapi: {
    name: "receivedText/text",
    withId: (payload: Payload, id: string, chat: string): Payload => ({
      ...payload,
      messageId: id,
      phone: `554499999${chat}`
    })
  },
  meta: {
    name: "messageText/textPlain",
    withId: (payload: Payload, id: string, chat: string): Payload => {
      const [entry] = payload.entry as Array<{
        changes: Array<{ value: { messages: Array<Payload>; contacts: Array<Payload> } }>
      }>
      const [change] = entry!.changes
      const [message] = change!.value.messages
      const [contact] = change!.value.contacts
      const value = {
        ...change!.value,
        contacts: [{ ...contact, wa_id: `1650555${chat}` }],
        messages: [{ ...message, id, from: `1650555${chat}` }]
      }
      return { ...payload, entry: [{ ...entry, changes: [{ ...change, value }] }] }
    }
  }
} satisfies Record<Vendor, { name: string; withId: (payload: Payload, id: string, chat: string) => Payload }>

/** `example` as the body of the n-th request of the receiver's load (see `receiverLoad`). */
export const receiverBody = (example: WebhookExample): ((n: number, id: string) => string) => {
  const [id, chat] = ["__bench-message-id__", "__bench-chat__"]
  const text = JSON.stringify(receiverLoad[example.vendor].withId(JSON.parse(example.bytes.toString()), id, chat))
  if (text.split(id).length !== 2 || !text.includes(chat))
    throw new Error(`cannot place a message id and a chat in ${example.name}`)
  return (n, fresh) => text.replace(id, fresh).replaceAll(chat, String(1000 + (n % receiverChats)))
}
