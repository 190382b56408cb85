/**
 * Meta's webhook payloads as Pombo events, and the proof that a payload came from Meta.
 *
 * **One call, many events.** Meta POSTs `{object: "whatsapp_business_account", entry: [{id,
 * changes: [{field, value}]}]}` and may batch several entries, changes, messages and statuses in
 * one call (webhooks.md:106-120): every message and every status becomes its own event, with its
 * own id — `meta:message:<wamid>` for a message, `meta:status:<wamid>:<status>` for a status (a
 * message is sent, delivered and read: three events). Every other change (a template's review,
 * the number's quality, a user's new BSUID, an account-level error) is one `AccountUpdate` whose
 * `kind` is Meta's field name and whose id is `meta:<field>:<hash of the change>`.
 *
 * **Identity.** A sender is their phone (`wa_id` / `from`) and, from 2026, their business-scoped
 * user id (`user_id`); Meta omits the phone of a user with a username it has not seen the number
 * of, so the chat is then a `ChatId.BusinessScopedUser` and `sender.bsuid` is set either way.
 *
 * **Signatures.** `signature` gives `WebhookReceiver` (option `signatures: { meta: … }`) the check
 * of `X-Hub-Signature-256` — `sha256=` and the hex HMAC-SHA256 of the body bytes Meta sent, keyed
 * with the app secret, compared in constant time — and the answer to the GET verification
 * (`hub.mode=subscribe`, `hub.verify_token`, `hub.challenge`).
 *
 * Times are Unix seconds (strings); media arrive as media ids (fetch them with
 * `MetaClient.client.retrieveMediaUrl`), kept in `raw`.
 */

import { createHmac, createSecretKey, timingSafeEqual } from "node:crypto"
import {
  EpochDate,
  WhatsAppEvent as Event,
  MessageRef,
  PayloadHash,
  WebhookDecoder,
  type WhatsAppEvent
} from "@pombo/core"
import type * as WebhookReceiver from "@pombo/core/WebhookReceiver"
import { Predicate, Redacted } from "effect"
import { contactOf, userOf } from "./internal/wire.ts"
import { provider } from "./MetaError.ts"

type Json = Readonly<Record<string, unknown>>

const record = (value: unknown): Json | undefined =>
  Predicate.isObject(value) && !Array.isArray(value) ? (value as Json) : undefined
const list = (value: unknown): ReadonlyArray<unknown> => (Array.isArray(value) ? value : [])
const str = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined)
const num = (value: unknown): number | undefined => {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value
  return typeof n === "number" && Number.isFinite(n) ? n : undefined
}

/** The message's content by Meta's `type`. */
const contentOf = (message: Json): Event.MessageContent => {
  const type = str(message.type) ?? "unknown"
  const body = record(message[type])
  switch (type) {
    case "text":
      return new Event.TextContent({ text: str(body?.body) ?? "" })
    case "image":
      return new Event.ImageContent({ mimeType: str(body?.mime_type), caption: str(body?.caption) })
    case "video":
      return new Event.VideoContent({ mimeType: str(body?.mime_type), caption: str(body?.caption) })
    case "audio":
      return new Event.AudioContent({ mimeType: str(body?.mime_type), voice: body?.voice === true })
    case "document":
      return new Event.DocumentContent({
        mimeType: str(body?.mime_type),
        caption: str(body?.caption),
        fileName: str(body?.filename)
      })
    case "sticker":
      return new Event.StickerContent({ mimeType: str(body?.mime_type), animated: body?.animated === true })
    case "location": {
      const latitude = num(body?.latitude)
      const longitude = num(body?.longitude)
      if (latitude === undefined || longitude === undefined) return new Event.OtherContent({ kind: "location" })
      return new Event.LocationContent({
        latitude,
        longitude,
        name: str(body?.name),
        address: str(body?.address),
        url: str(body?.url)
      })
    }
    case "contacts":
      return new Event.ContactsContent({
        contacts: list(message.contacts).flatMap((card) => {
          const c = record(card)
          if (c === undefined) return []
          const name = str(record(c.name)?.formatted_name) ?? str(record(c.name)?.first_name) ?? ""
          const phones = list(c.phones).flatMap((p) => {
            const phone = str(record(p)?.wa_id) ?? str(record(p)?.phone)
            return phone === undefined ? [] : [phone]
          })
          return [new Event.SharedContact({ name, phones })]
        })
      })
    case "reaction":
      return new Event.ReactionContent({ emoji: str(body?.emoji) ?? "", targetId: str(body?.message_id) ?? "" })
    case "button":
      return new Event.ButtonReplyContent({ id: str(body?.payload), label: str(body?.text) ?? "" })
    case "interactive": {
      const reply = record(body?.button_reply)
      if (reply !== undefined) return new Event.ButtonReplyContent({ id: str(reply.id), label: str(reply.title) ?? "" })
      const row = record(body?.list_reply)
      if (row !== undefined) {
        return new Event.ListReplyContent({
          id: str(row.id),
          title: str(row.title) ?? "",
          description: str(row.description)
        })
      }
      return new Event.OtherContent({ kind: `interactive:${str(body?.type) ?? "unknown"}` })
    }
    case "order":
      return new Event.CommerceContent({ kind: "order", id: str(body?.catalog_id) })
    case "system":
      return new Event.NotificationContent({ kind: str(body?.type) ?? "system" })
    default:
      return new Event.OtherContent({ kind: type, text: str(record(message.errors)?.message) })
  }
}

/** One received message of a `messages` change. */
const messageEvent = (
  message: Json,
  value: Json,
  instance: string | undefined,
  receivedAt: Date,
  raw: unknown
): WhatsAppEvent.WhatsAppEvent | undefined => {
  const id = str(message.id)
  const from = str(message.from)
  // A `user_changed_user_id` system message has no `from`: the user is its new BSUID.
  const bsuid = str(message.from_user_id) ?? str(message.user_id) ?? str(record(message.system)?.user_id)
  const profile = list(value.contacts)
    .map(record)
    .find(
      (c) =>
        c !== undefined && ((from !== undefined && c.wa_id === from) || (bsuid !== undefined && c.user_id === bsuid))
    )
  const senderBsuid = bsuid ?? str(profile?.user_id)
  const chat = userOf(from, senderBsuid)
  if (id === undefined || chat === undefined) return undefined
  const quotedId = str(record(message.context)?.id)
  return new Event.MessageReceived({
    id: `${provider}:message:${id}`,
    provider,
    instance,
    timestamp: EpochDate.fromEpoch(message.timestamp) ?? receivedAt,
    raw,
    message: new MessageRef.MessageRef({ chat, id, fromMe: false }),
    chat,
    sender: new Event.Sender({
      phone: contactOf(from),
      bsuid: senderBsuid,
      name: str(record(profile?.profile)?.name)
    }),
    fromMe: false,
    content: contentOf(message),
    quoted: quotedId === undefined ? undefined : new MessageRef.MessageRef({ chat, id: quotedId, fromMe: true })
  })
}

const deliveryStatuses = new Set(["sent", "delivered", "read", "failed", "played"])

/** One status of a `messages` change. */
const statusEvent = (
  status: Json,
  instance: string | undefined,
  receivedAt: Date,
  raw: unknown
): WhatsAppEvent.WhatsAppEvent | undefined => {
  const id = str(status.id)
  const state = str(status.status)
  if (id === undefined || state === undefined || !deliveryStatuses.has(state)) return undefined
  const errors = list(status.errors).flatMap((e) => {
    const error = record(e)
    if (error === undefined) return []
    const details = str(record(error.error_data)?.details)
    return [[error.code, str(error.title) ?? str(error.message), details].filter((p) => p !== undefined).join(" ")]
  })
  return new Event.MessageStatus({
    id: `${provider}:status:${id}:${state}`,
    provider,
    instance,
    timestamp: EpochDate.fromEpoch(status.timestamp) ?? receivedAt,
    raw,
    messageId: id,
    chat: userOf(status.recipient_id, status.recipient_user_id),
    status: state as Event.DeliveryStatus,
    error: errors.length === 0 ? undefined : errors.join("; ")
  })
}

/** A readable summary of an account-level change. */
const summaryOf = (field: string, value: Json): string | undefined => {
  switch (field) {
    case "message_template_status_update": {
      const name = str(value.message_template_name)
      const language = str(value.message_template_language)
      const reason = str(value.reason)
      return `template ${name ?? "?"} (${language ?? "?"}): ${str(value.event) ?? "?"}${reason && reason !== "NONE" ? ` (${reason})` : ""}`
    }
    case "phone_number_quality_update":
      return `${str(value.display_phone_number) ?? "number"}: ${str(value.event) ?? "?"}, limit ${str(value.current_limit) ?? "?"}`
    default:
      return str(value.event) ?? str(value.message)
  }
}

/** One account-level change (or a `messages` change carrying only errors) as an `AccountUpdate`. */
const accountEvent = (
  field: string,
  change: unknown,
  value: Json,
  entryTime: unknown,
  receivedAt: Date,
  raw: unknown
): WhatsAppEvent.WhatsAppEvent => {
  const error = record(list(value.errors)[0])
  const code = error === undefined ? undefined : num(error.code)
  const errorText =
    error === undefined
      ? undefined
      : [str(error.title) ?? str(error.message), str(record(error.error_data)?.details)]
          .filter((part) => part !== undefined)
          .join(": ")
  return new Event.AccountUpdate({
    id: `${provider}:${field}:${PayloadHash.of(change)}`,
    provider,
    instance: str(record(value.metadata)?.phone_number_id),
    timestamp: EpochDate.fromEpoch(value.timestamp ?? entryTime) ?? receivedAt,
    raw,
    kind: error === undefined ? field : `${field}:error`,
    detail: errorText ?? summaryOf(field, value),
    vendorCode: code === undefined ? undefined : String(code)
  })
}

const decodePayload = (
  payload: unknown,
  context: WebhookDecoder.Context
): ReadonlyArray<WhatsAppEvent.WhatsAppEvent> => {
  const root = record(payload)
  if (root === undefined || root.object !== "whatsapp_business_account") {
    return [WebhookDecoder.unknown(provider, payload, context, "not a WhatsApp Business Account webhook")]
  }
  const events: Array<WhatsAppEvent.WhatsAppEvent> = []
  for (const entry of list(root.entry)) {
    for (const change of list(record(entry)?.changes)) {
      const value = record(record(change)?.value)
      const field = str(record(change)?.field)
      if (field === undefined || value === undefined) {
        events.push(WebhookDecoder.unknown(provider, change, context, "a change without field or value"))
        continue
      }
      const messages = list(value.messages)
      const statuses = list(value.statuses)
      if (field !== "messages" || (messages.length === 0 && statuses.length === 0)) {
        events.push(accountEvent(field, change, value, record(entry)?.time, context.receivedAt, payload))
        continue
      }
      const instance = str(record(value.metadata)?.phone_number_id)
      for (const message of messages) {
        const m = record(message)
        const event = m === undefined ? undefined : messageEvent(m, value, instance, context.receivedAt, payload)
        events.push(event ?? WebhookDecoder.unknown(provider, message, context, "a message without id or sender"))
      }
      for (const status of statuses) {
        const s = record(status)
        const event = s === undefined ? undefined : statusEvent(s, instance, context.receivedAt, payload)
        events.push(event ?? WebhookDecoder.unknown(provider, status, context, "a status without id or known state"))
      }
    }
  }
  return events
}

/** The Meta decoder for `WebhookReceiver`: never throws (see `WebhookDecoder.make`). */
export const decoder: WebhookDecoder.WebhookDecoder = WebhookDecoder.make({ provider, decode: decodePayload })

/**
 * Turns one Meta webhook payload into events (one per message and per status it carries). Never
 * throws: anything it cannot read becomes an `Unknown` event with the reason.
 */
export const decode = (
  payload: unknown,
  context?: Partial<WebhookDecoder.Context>
): ReadonlyArray<WhatsAppEvent.WhatsAppEvent> =>
  decoder.decode(payload, { receivedAt: context?.receivedAt ?? new Date() })

/** What the signature check and the handshake need (`MetaClient.options` has both). */
export interface SignatureOptions {
  /** The app secret (`META_APP_SECRET`) Meta signs every call with. */
  readonly appSecret: Redacted.Redacted<string>
  /** The verify token (`META_VERIFY_TOKEN`) entered with the callback URL; without it the GET handshake is refused. */
  readonly verifyToken?: Redacted.Redacted<string> | undefined
}

const signaturePattern = /^sha256=([0-9a-f]{64})$/i

/** Constant-time equality of two strings, whatever their lengths (both are hashed first). */
const sameText = (a: string, b: string): boolean => {
  const digest = (text: string) => createHmac("sha256", "pombo/meta/compare").update(text, "utf8").digest()
  return timingSafeEqual(digest(a), digest(b))
}

/** Meta's signature check and GET handshake, for `WebhookReceiver`'s `signatures` option. */
export const signature = (options: SignatureOptions): WebhookReceiver.WebhookSignature => {
  // A `KeyObject` made once: a call does not convert the secret into key bytes again.
  const key = createSecretKey(Buffer.from(Redacted.value(options.appSecret), "utf8"))
  return {
    verify: (headers, body) => {
      const presented = signaturePattern.exec(headers["x-hub-signature-256"]?.trim() ?? "")
      if (presented === null) return false
      const expected = createHmac("sha256", key).update(body).digest()
      return timingSafeEqual(Buffer.from(presented[1]!, "hex"), expected)
    },
    handshake: (query) => {
      const token = options.verifyToken
      const challenge = query.get("hub.challenge")
      const presented = query.get("hub.verify_token")
      if (token === undefined || query.get("hub.mode") !== "subscribe" || challenge === null || presented === null) {
        return undefined
      }
      return sameText(presented, Redacted.value(token)) ? challenge : undefined
    }
  }
}
