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
 *
 * **Fast.** The decoder dispatches on Meta's own fields (`object`, each change's `field`, a
 * message's `type`, `statuses`) and reads the payload directly, tolerating what the spec leaves
 * out; no schema decodes it. Events are built with `WhatsAppEvent.makeTrusted` from values checked
 * here, and each number of a payload is read once. `decoderByConstructors` runs every validating
 * constructor instead, with the same events (`MetaWebhookFastPath.test.ts` compares them on
 * payloads derived from the generated webhook schemas and on every documented example).
 */

import { createHmac, createSecretKey, timingSafeEqual } from "node:crypto"
import { type ChatId, EpochDate, WhatsAppEvent as Event, MessageRef, PayloadHash, WebhookDecoder } from "@pombo/core"
import type * as WebhookReceiver from "@pombo/core/WebhookReceiver"
import { Predicate, Redacted } from "effect"
import { contactOf, userOf } from "./internal/wire.ts"
import { provider } from "./MetaError.ts"

type Json = Readonly<Record<string, unknown>>
type AnyEvent = Event.WhatsAppEvent

const record = (value: unknown): Json | undefined =>
  Predicate.isObject(value) && !Array.isArray(value) ? (value as Json) : undefined
const list = (value: unknown): ReadonlyArray<unknown> => (Array.isArray(value) ? value : [])
const str = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined)
const num = (value: unknown): number | undefined => {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value
  return typeof n === "number" && Number.isFinite(n) ? n : undefined
}

/**
 * How one decoding builds what it returns. The decoder builds events and their parts with
 * `WhatsAppEvent.makeTrusted` from values read and checked here (strings, finite numbers,
 * non-empty ids, known statuses, `ChatId`s from `WhatsAppId`), and reads each number of a payload
 * once; `decoderByConstructors` runs every validating constructor and reads every number afresh,
 * and the property tests hold the two equal.
 */
interface Build {
  readonly make: <C extends Event.TrustedClass>(Class: C, fields: ConstructorParameters<C>[0]) => InstanceType<C>
  /** The contact of a `wa_id` / `from` / `recipient_id` (see `internal/wire.ts`). */
  readonly contact: (phone: unknown) => ChatId.Contact | undefined
}

const construct = <C extends Event.TrustedClass>(Class: C, fields: ConstructorParameters<C>[0]): InstanceType<C> =>
  new Class(fields as never) as InstanceType<C>

const byConstructors: Build = { make: construct, contact: contactOf }

/** Per payload: a batch names the same user in its message, its contacts and its statuses. */
const trusted = (): Build => {
  const contacts = new Map<unknown, ChatId.Contact | undefined>()
  return {
    make: Event.makeTrusted,
    contact: (phone) => {
      if (typeof phone !== "string") return undefined
      let contact = contacts.get(phone)
      if (contact === undefined && !contacts.has(phone)) {
        contact = contactOf(phone)
        contacts.set(phone, contact)
      }
      return contact
    }
  }
}

/** The message's content by Meta's `type`. */
const contentOf = (b: Build, message: Json): Event.MessageContent => {
  const type = str(message.type) ?? "unknown"
  const body = record(message[type])
  switch (type) {
    case "text":
      return b.make(Event.TextContent, { text: str(body?.body) ?? "" })
    case "image":
      return b.make(Event.ImageContent, { mimeType: str(body?.mime_type), caption: str(body?.caption) })
    case "video":
      return b.make(Event.VideoContent, { mimeType: str(body?.mime_type), caption: str(body?.caption) })
    case "audio":
      return b.make(Event.AudioContent, { mimeType: str(body?.mime_type), voice: body?.voice === true })
    case "document":
      return b.make(Event.DocumentContent, {
        mimeType: str(body?.mime_type),
        caption: str(body?.caption),
        fileName: str(body?.filename)
      })
    case "sticker":
      return b.make(Event.StickerContent, { mimeType: str(body?.mime_type), animated: body?.animated === true })
    case "location": {
      const latitude = num(body?.latitude)
      const longitude = num(body?.longitude)
      if (latitude === undefined || longitude === undefined) return b.make(Event.OtherContent, { kind: "location" })
      return b.make(Event.LocationContent, {
        latitude,
        longitude,
        name: str(body?.name),
        address: str(body?.address),
        url: str(body?.url)
      })
    }
    case "contacts":
      return b.make(Event.ContactsContent, {
        contacts: list(message.contacts).flatMap((card) => {
          const c = record(card)
          if (c === undefined) return []
          const name = str(record(c.name)?.formatted_name) ?? str(record(c.name)?.first_name) ?? ""
          const phones = list(c.phones).flatMap((p) => {
            const phone = str(record(p)?.wa_id) ?? str(record(p)?.phone)
            return phone === undefined ? [] : [phone]
          })
          return [b.make(Event.SharedContact, { name, phones })]
        })
      })
    case "reaction":
      return b.make(Event.ReactionContent, { emoji: str(body?.emoji) ?? "", targetId: str(body?.message_id) ?? "" })
    case "button":
      return b.make(Event.ButtonReplyContent, { id: str(body?.payload), label: str(body?.text) ?? "" })
    case "interactive": {
      const reply = record(body?.button_reply)
      if (reply !== undefined) {
        return b.make(Event.ButtonReplyContent, { id: str(reply.id), label: str(reply.title) ?? "" })
      }
      const row = record(body?.list_reply)
      if (row !== undefined) {
        return b.make(Event.ListReplyContent, {
          id: str(row.id),
          title: str(row.title) ?? "",
          description: str(row.description)
        })
      }
      return b.make(Event.OtherContent, { kind: `interactive:${str(body?.type) ?? "unknown"}` })
    }
    case "order":
      return b.make(Event.CommerceContent, { kind: "order", id: str(body?.catalog_id) })
    case "system":
      return b.make(Event.NotificationContent, { kind: str(body?.type) ?? "system" })
    default:
      return b.make(Event.OtherContent, { kind: type, text: str(record(message.errors)?.message) })
  }
}

/** The `contacts` entry (profile) of the message's sender, by phone or by BSUID. */
const profileOf = (value: Json, from: string | undefined, bsuid: string | undefined): Json | undefined => {
  for (const entry of list(value.contacts)) {
    const c = record(entry)
    if (c !== undefined && ((from !== undefined && c.wa_id === from) || (bsuid !== undefined && c.user_id === bsuid))) {
      return c
    }
  }
  return undefined
}

/** One received message of a `messages` change. */
const messageEvent = (
  b: Build,
  message: Json,
  value: Json,
  instance: string | undefined,
  receivedAt: Date,
  raw: unknown
): AnyEvent | undefined => {
  const id = str(message.id)
  const from = str(message.from)
  // A `user_changed_user_id` system message has no `from`: the user is its new BSUID.
  const bsuid = str(message.from_user_id) ?? str(message.user_id) ?? str(record(message.system)?.user_id)
  const profile = profileOf(value, from, bsuid)
  const senderBsuid = bsuid ?? str(profile?.user_id)
  const phone = b.contact(from)
  const chat = phone ?? userOf(undefined, senderBsuid)
  if (id === undefined || chat === undefined) return undefined
  const quotedId = str(record(message.context)?.id)
  return b.make(Event.MessageReceived, {
    id: `${provider}:message:${id}`,
    provider,
    instance,
    timestamp: EpochDate.fromEpoch(message.timestamp) ?? receivedAt,
    raw,
    message: b.make(MessageRef.MessageRef, { chat, id, fromMe: false }),
    chat,
    sender: b.make(Event.Sender, { phone, bsuid: senderBsuid, name: str(record(profile?.profile)?.name) }),
    fromMe: false,
    content: contentOf(b, message),
    quoted: quotedId === undefined ? undefined : b.make(MessageRef.MessageRef, { chat, id: quotedId, fromMe: true })
  })
}

const deliveryStatuses: ReadonlySet<string> = new Set<Event.DeliveryStatus>([
  "sent",
  "delivered",
  "read",
  "failed",
  "played"
])

/** One status of a `messages` change. */
const statusEvent = (
  b: Build,
  status: Json,
  instance: string | undefined,
  receivedAt: Date,
  raw: unknown
): AnyEvent | undefined => {
  const id = str(status.id)
  const state = str(status.status)
  if (id === undefined || state === undefined || !deliveryStatuses.has(state)) return undefined
  const errors = list(status.errors).flatMap((e) => {
    const error = record(e)
    if (error === undefined) return []
    const details = str(record(error.error_data)?.details)
    return [[error.code, str(error.title) ?? str(error.message), details].filter((p) => p !== undefined).join(" ")]
  })
  return b.make(Event.MessageStatus, {
    id: `${provider}:status:${id}:${state}`,
    provider,
    instance,
    timestamp: EpochDate.fromEpoch(status.timestamp) ?? receivedAt,
    raw,
    messageId: id,
    chat: userOf(status.recipient_id, status.recipient_user_id, b.contact),
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
  b: Build,
  field: string,
  change: unknown,
  value: Json,
  entryTime: unknown,
  receivedAt: Date,
  raw: unknown
): AnyEvent => {
  const error = record(list(value.errors)[0])
  const code = error === undefined ? undefined : num(error.code)
  const errorText =
    error === undefined
      ? undefined
      : [str(error.title) ?? str(error.message), str(record(error.error_data)?.details)]
          .filter((part) => part !== undefined)
          .join(": ")
  return b.make(Event.AccountUpdate, {
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

const decodePayload = (b: Build, payload: unknown, context: WebhookDecoder.Context): ReadonlyArray<AnyEvent> => {
  const root = record(payload)
  if (root === undefined || root.object !== "whatsapp_business_account") {
    return [WebhookDecoder.unknown(provider, payload, context, "not a WhatsApp Business Account webhook")]
  }
  const events: Array<AnyEvent> = []
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
        events.push(accountEvent(b, field, change, value, record(entry)?.time, context.receivedAt, payload))
        continue
      }
      const instance = str(record(value.metadata)?.phone_number_id)
      for (const message of messages) {
        const m = record(message)
        const event = m === undefined ? undefined : messageEvent(b, m, value, instance, context.receivedAt, payload)
        events.push(event ?? WebhookDecoder.unknown(provider, message, context, "a message without id or sender"))
      }
      for (const status of statuses) {
        const s = record(status)
        const event = s === undefined ? undefined : statusEvent(b, s, instance, context.receivedAt, payload)
        events.push(event ?? WebhookDecoder.unknown(provider, status, context, "a status without id or known state"))
      }
    }
  }
  return events
}

/** The Meta decoder for `WebhookReceiver`: never throws (see `WebhookDecoder.make`). */
export const decoder: WebhookDecoder.WebhookDecoder = WebhookDecoder.make({
  provider,
  decode: (payload, context) => decodePayload(trusted(), payload, context)
})

/**
 * The same decoder, building every event and part with its validating constructor and reading
 * every number afresh: slower, with the same events (the property tests compare them).
 */
export const decoderByConstructors: WebhookDecoder.WebhookDecoder = WebhookDecoder.make({
  provider,
  decode: (payload, context) => decodePayload(byConstructors, payload, context)
})

/**
 * Turns one Meta webhook payload into events (one per message and per status it carries). Never
 * throws: anything it cannot read becomes an `Unknown` event with the reason.
 */
export const decode = (payload: unknown, context?: Partial<WebhookDecoder.Context>): ReadonlyArray<AnyEvent> =>
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
