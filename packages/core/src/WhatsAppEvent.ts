/**
 * One model of what the vendors post to your webhook. Each provider decodes its vendor's payloads
 * into these events; anything it does not recognise becomes `Unknown` — decoding never throws.
 * Every event keeps the vendor's payload as `raw`.
 */
import { Schema, type SchemaAST } from "effect"
import { ChatId, Contact } from "./ChatId.ts"
import { MessageRef } from "./MessageRef.ts"
import { Presence } from "./OperationInput.ts"

const envelope = {
  /** Stable id of this event, for dropping redeliveries. */
  id: Schema.String,
  /** The provider that decoded it. */
  provider: Schema.String,
  /** The vendor's instance the event is about (Z-API instance id, Mega-API instance key). */
  instance: Schema.optional(Schema.String),
  /** When it happened, normalised to a date (vendors mix seconds and milliseconds). */
  timestamp: Schema.Date,
  /** The vendor's payload, untouched. */
  raw: Schema.Unknown
}

/**
 * Who sent a message: their phone and, when the vendor sends it, their WhatsApp LID (the
 * privacy-preserving id WhatsApp uses in groups and communities), their business-scoped user id
 * (Meta's BSUID, present even when the phone is hidden behind a username), and the name they chose.
 */
export class Sender extends Schema.Class<Sender>("pombo/Sender")({
  phone: Schema.optional(Contact),
  lid: Schema.optional(Schema.String),
  bsuid: Schema.optional(Schema.String),
  name: Schema.optional(Schema.String)
}) {}

/**
 * A person in a group: their phone, their LID, or both. WhatsApp hides members' phones in many
 * groups and communities and shows only the LID, so a participant known by LID alone is still a
 * participant (never dropped).
 */
export class Participant extends Schema.Class<Participant>("pombo/Participant")({
  phone: Schema.optional(Contact),
  lid: Schema.optional(Schema.String)
}) {}

const media = {
  url: Schema.optional(Schema.String),
  mimeType: Schema.optional(Schema.String),
  caption: Schema.optional(Schema.String)
}

/** Plain or formatted text. */
export class TextContent extends Schema.TaggedClass<TextContent>()("Text", {
  text: Schema.String,
  mentions: Schema.optional(Schema.Array(Contact))
}) {}
/** An image. */
export class ImageContent extends Schema.TaggedClass<ImageContent>()("Image", { ...media }) {}
/** Audio; `voice` for a push-to-talk note. */
export class AudioContent extends Schema.TaggedClass<AudioContent>()("Audio", {
  ...media,
  voice: Schema.Boolean,
  seconds: Schema.optional(Schema.Finite)
}) {}
/** A video (or a round video note, `videoNote` — WhatsApp's PTV —, or a GIF). */
export class VideoContent extends Schema.TaggedClass<VideoContent>()("Video", {
  ...media,
  seconds: Schema.optional(Schema.Finite),
  gif: Schema.optional(Schema.Boolean),
  videoNote: Schema.optional(Schema.Boolean)
}) {}
/** A document. */
export class DocumentContent extends Schema.TaggedClass<DocumentContent>()("Document", {
  ...media,
  fileName: Schema.optional(Schema.String),
  pages: Schema.optional(Schema.Finite)
}) {}
/** A sticker. */
export class StickerContent extends Schema.TaggedClass<StickerContent>()("Sticker", {
  url: Schema.optional(Schema.String),
  mimeType: Schema.optional(Schema.String),
  animated: Schema.optional(Schema.Boolean)
}) {}
/** A location (or live location). */
export class LocationContent extends Schema.TaggedClass<LocationContent>()("Location", {
  latitude: Schema.Finite,
  longitude: Schema.Finite,
  name: Schema.optional(Schema.String),
  address: Schema.optional(Schema.String),
  url: Schema.optional(Schema.String),
  live: Schema.optional(Schema.Boolean)
}) {}
/** One shared contact card. */
export class SharedContact extends Schema.Class<SharedContact>("pombo/SharedContact")({
  name: Schema.String,
  phones: Schema.Array(Schema.String),
  vcard: Schema.optional(Schema.String)
}) {}
/** One or more contact cards. */
export class ContactsContent extends Schema.TaggedClass<ContactsContent>()("Contacts", {
  contacts: Schema.Array(SharedContact)
}) {}
/** A reaction to another message; an empty `emoji` removes the reaction. */
export class ReactionContent extends Schema.TaggedClass<ReactionContent>()("Reaction", {
  emoji: Schema.String,
  targetId: Schema.String
}) {}
/** The recipient tapped a reply button (or a template button). */
export class ButtonReplyContent extends Schema.TaggedClass<ButtonReplyContent>()("ButtonReply", {
  id: Schema.optional(Schema.String),
  label: Schema.String
}) {}
/** The recipient picked a row of a list message. */
export class ListReplyContent extends Schema.TaggedClass<ListReplyContent>()("ListReply", {
  id: Schema.optional(Schema.String),
  title: Schema.String,
  description: Schema.optional(Schema.String)
}) {}
/** A poll. */
export class PollContent extends Schema.TaggedClass<PollContent>()("Poll", {
  name: Schema.String,
  options: Schema.Array(Schema.String),
  selectableCount: Schema.optional(Schema.Finite)
}) {}
/** A vote on a poll. */
export class PollVoteContent extends Schema.TaggedClass<PollVoteContent>()("PollVote", {
  pollId: Schema.optional(Schema.String),
  selected: Schema.Array(Schema.String)
}) {}
/** A product, catalog or order from WhatsApp Business. */
export class CommerceContent extends Schema.TaggedClass<CommerceContent>()("Commerce", {
  kind: Schema.Literals(["product", "catalog", "order"]),
  id: Schema.optional(Schema.String),
  title: Schema.optional(Schema.String),
  total: Schema.optional(Schema.Finite),
  currency: Schema.optional(Schema.String)
}) {}
/** A message was edited; `text` is the new text. */
export class EditContent extends Schema.TaggedClass<EditContent>()("Edit", {
  targetId: Schema.optional(Schema.String),
  text: Schema.String
}) {}
/** A message was deleted for everyone. */
export class DeletionContent extends Schema.TaggedClass<DeletionContent>()("Deletion", {
  targetId: Schema.optional(Schema.String)
}) {}
/** A voice or video call notification. */
export class CallContent extends Schema.TaggedClass<CallContent>()("Call", {
  status: Schema.Literals(["offered", "missed", "rejected", "accepted", "ended"]),
  video: Schema.optional(Schema.Boolean)
}) {}
/** A group or community notification (member added, subject changed…), as a message. */
export class NotificationContent extends Schema.TaggedClass<NotificationContent>()("Notification", {
  kind: Schema.String,
  participants: Schema.optional(Schema.Array(Schema.String))
}) {}
/** A calendar event invitation. */
export class EventContent extends Schema.TaggedClass<EventContent>()("Event", {
  name: Schema.String,
  description: Schema.optional(Schema.String),
  startsAt: Schema.optional(Schema.Date)
}) {}
/** A vendor message kind Pombo knows exists but does not model in detail; see `raw`. */
export class OtherContent extends Schema.TaggedClass<OtherContent>()("Other", {
  kind: Schema.String,
  text: Schema.optional(Schema.String)
}) {}

/** The typed content of a received message. */
export const MessageContent = Schema.Union([
  TextContent,
  ImageContent,
  AudioContent,
  VideoContent,
  DocumentContent,
  StickerContent,
  LocationContent,
  ContactsContent,
  ReactionContent,
  ButtonReplyContent,
  ListReplyContent,
  PollContent,
  PollVoteContent,
  CommerceContent,
  EditContent,
  DeletionContent,
  CallContent,
  NotificationContent,
  EventContent,
  OtherContent
])
/** The typed content of a received message. */
export type MessageContent = typeof MessageContent.Type

/** A message arrived (or was sent by this instance from another device, `fromMe`). */
export class MessageReceived extends Schema.TaggedClass<MessageReceived>()("MessageReceived", {
  ...envelope,
  message: MessageRef,
  chat: ChatId,
  sender: Sender,
  fromMe: Schema.Boolean,
  content: MessageContent,
  /** The message this one quotes (replies to), when the vendor says. */
  quoted: Schema.optional(MessageRef),
  /** True for channel (newsletter) posts and status (story) updates. */
  broadcast: Schema.optional(Schema.Boolean)
}) {}

/** How far a sent message got. */
export const DeliveryStatus = Schema.Literals(["sent", "delivered", "read", "played", "failed"])
/** How far a sent message got. */
export type DeliveryStatus = typeof DeliveryStatus.Type

/** A sent message's status changed: one event per message. */
export class MessageStatus extends Schema.TaggedClass<MessageStatus>()("MessageStatus", {
  ...envelope,
  messageId: Schema.String,
  chat: Schema.optional(ChatId),
  status: DeliveryStatus,
  /**
   * Who read or played it, when the vendor says (group receipts name the member; in a one-to-one
   * chat it is the contact). `"me"`: this instance's own number read a message it received.
   */
  by: Schema.optional(Schema.Union([Participant, Schema.Literal("me")])),
  /** Why it failed, when `status` is `failed`. */
  error: Schema.optional(Schema.String)
}) {}

/** The instance connected, disconnected, or has a new QR code to scan. */
export class ConnectionUpdate extends Schema.TaggedClass<ConnectionUpdate>()("ConnectionUpdate", {
  ...envelope,
  state: Schema.Literals(["connected", "disconnected", "qr"]),
  /** The QR code payload when `state` is `qr`. */
  qr: Schema.optional(Schema.String),
  /** Why it disconnected, when the vendor says. */
  reason: Schema.optional(Schema.String),
  phone: Schema.optional(Contact)
}) {}

/** Someone is typing, recording, online or offline in a chat. */
export class PresenceUpdate extends Schema.TaggedClass<PresenceUpdate>()("PresenceUpdate", {
  ...envelope,
  chat: ChatId,
  presence: Presence,
  lastSeen: Schema.optional(Schema.Date)
}) {}

/** A group changed: members added/removed/promoted/demoted, subject, description or settings. */
export class GroupUpdate extends Schema.TaggedClass<GroupUpdate>()("GroupUpdate", {
  ...envelope,
  group: ChatId,
  action: Schema.Literals(["add", "remove", "promote", "demote", "subject", "description", "settings", "other"]),
  participants: Schema.Array(Participant),
  by: Schema.optional(Participant)
}) {}

/**
 * Something about the account rather than a chat: a template's review, the number's quality or
 * name, a user's id changing, an account-level error. `kind` is the vendor's name for it
 * (`message_template_status_update`), `detail` a readable summary; the rest is in `raw`.
 */
export class AccountUpdate extends Schema.TaggedClass<AccountUpdate>()("AccountUpdate", {
  ...envelope,
  kind: Schema.String,
  detail: Schema.optional(Schema.String),
  /** The vendor's error code, for an account-level error. */
  vendorCode: Schema.optional(Schema.String)
}) {}

/** A payload the provider does not recognise. Nothing is lost: it is all in `raw`. */
export class Unknown extends Schema.TaggedClass<Unknown>()("Unknown", {
  ...envelope,
  /** Why it was not recognised. */
  reason: Schema.String
}) {}

/** Any inbound event. */
export const WhatsAppEvent = Schema.Union([
  MessageReceived,
  MessageStatus,
  ConnectionUpdate,
  PresenceUpdate,
  GroupUpdate,
  AccountUpdate,
  Unknown
])
/** Any inbound event. */
export type WhatsAppEvent = typeof WhatsAppEvent.Type

interface Layout {
  readonly prototype: object
  /** The fields in declaration order, `_tag` excepted. */
  readonly keys: ReadonlyArray<string>
  readonly tag: unknown
}

const layouts = new WeakMap<object, Layout>()

/** The class's fields in declaration order, and its `_tag` literal for a tagged class. */
const layoutOf = (Class: TrustedClass): Layout => {
  let layout = layouts.get(Class)
  if (layout === undefined) {
    const fields = Class.fields as Readonly<Record<string, { readonly ast: SchemaAST.AST }>>
    const tagAst = fields._tag?.ast
    const tag = tagAst?._tag === "Literal" ? tagAst.literal : undefined
    const keys = Object.keys(fields).filter((key) => !(key === "_tag" && tag !== undefined))
    for (const key of keys) {
      // A constructor default other than the tag would have to run: not a class for `makeTrusted`.
      if ((fields[key] as { readonly ast: SchemaAST.AST }).ast.context?.constructorDefault !== undefined) {
        throw new Error(`makeTrusted: ${key} of ${Class.name} has a constructor default`)
      }
    }
    layout = { prototype: Class.prototype, keys, tag }
    layouts.set(Class, layout)
  }
  return layout
}

/** A `Schema.Class` (or `TaggedClass`) whose instances `makeTrusted` can build. */
export interface TrustedClass {
  new (props: never, options?: Schema.MakeOptions): object
  readonly fields: Schema.Struct.Fields
}

/**
 * Builds an instance of a `Schema.Class` or `Schema.TaggedClass` — an event, a content, a
 * `Sender`, a `MessageRef` — from fields a decoder has already read into the fields' types,
 * without the constructor's schema pass (a few microseconds per class, most of an event's
 * decoding cost). The result is what `new Class(fields)` builds: the class's prototype, its
 * fields as own properties in declaration order (`_tag` first), absent optional fields absent —
 * and a field given as `undefined` is absent too (where `new` would keep an own `undefined`), so
 * a decoder can pass what it read without spreading each optional field in.
 *
 * What the constructor would check is the caller's to guarantee: nested classes passed as
 * instances (`message: makeTrusted(MessageRef, …)`, not a plain object), patterns, finite
 * numbers, non-empty strings. The vendor decoders prove it with property tests that encode each
 * event and decode it back through the validating schema.
 */
export const makeTrusted = <C extends TrustedClass>(Class: C, fields: ConstructorParameters<C>[0]): InstanceType<C> => {
  const { prototype, keys, tag } = layoutOf(Class)
  const source = fields as Readonly<Record<string, unknown>>
  const self = Object.create(prototype) as Record<string, unknown>
  if (tag !== undefined) self._tag = tag
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string
    const value = source[key]
    if (value !== undefined) self[key] = value
  }
  return self as InstanceType<C>
}
