/**
 * One model of what the vendors post to your webhook. Each provider decodes its vendor's payloads
 * into these events; anything it does not recognise becomes `Unknown` — decoding never throws.
 * Every event keeps the vendor's payload as `raw`.
 */
import { Schema } from "effect"
import { Contact } from "./ChatId.ts"
import { MessageRef } from "./MessageRef.ts"

declare const Sender_base: Schema.Class<
  Sender,
  Schema.Struct<{
    readonly phone: Schema.optional<typeof Contact>
    readonly lid: Schema.optional<Schema.String>
    readonly name: Schema.optional<Schema.String>
  }>,
  {}
>
/**
 * Who sent a message: their phone and, when the vendor sends it, their WhatsApp LID (the
 * privacy-preserving id WhatsApp uses in groups and communities), and the name they chose.
 */
export declare class Sender extends Sender_base {}
declare const TextContent_base: Schema.Class<
  TextContent,
  Schema.TaggedStruct<
    "Text",
    {
      readonly text: Schema.String
      readonly mentions: Schema.optional<Schema.$Array<typeof Contact>>
    }
  >,
  {}
>
/** Plain or formatted text. */
export declare class TextContent extends TextContent_base {}
declare const ImageContent_base: Schema.Class<
  ImageContent,
  Schema.TaggedStruct<
    "Image",
    {
      readonly url: Schema.optional<Schema.String>
      readonly mimeType: Schema.optional<Schema.String>
      readonly caption: Schema.optional<Schema.String>
    }
  >,
  {}
>
/** An image. */
export declare class ImageContent extends ImageContent_base {}
declare const AudioContent_base: Schema.Class<
  AudioContent,
  Schema.TaggedStruct<
    "Audio",
    {
      readonly url: Schema.optional<Schema.String>
      readonly mimeType: Schema.optional<Schema.String>
      readonly caption: Schema.optional<Schema.String>
      readonly voice: Schema.Boolean
      readonly seconds: Schema.optional<Schema.Finite>
    }
  >,
  {}
>
/** Audio; `voice` for a push-to-talk note. */
export declare class AudioContent extends AudioContent_base {}
declare const VideoContent_base: Schema.Class<
  VideoContent,
  Schema.TaggedStruct<
    "Video",
    {
      readonly url: Schema.optional<Schema.String>
      readonly mimeType: Schema.optional<Schema.String>
      readonly caption: Schema.optional<Schema.String>
      readonly seconds: Schema.optional<Schema.Finite>
      readonly gif: Schema.optional<Schema.Boolean>
      readonly videoNote: Schema.optional<Schema.Boolean>
    }
  >,
  {}
>
/** A video (or a round video note, `videoNote`, or a GIF). */
export declare class VideoContent extends VideoContent_base {}
declare const DocumentContent_base: Schema.Class<
  DocumentContent,
  Schema.TaggedStruct<
    "Document",
    {
      readonly url: Schema.optional<Schema.String>
      readonly mimeType: Schema.optional<Schema.String>
      readonly caption: Schema.optional<Schema.String>
      readonly fileName: Schema.optional<Schema.String>
      readonly pages: Schema.optional<Schema.Finite>
    }
  >,
  {}
>
/** A document. */
export declare class DocumentContent extends DocumentContent_base {}
declare const StickerContent_base: Schema.Class<
  StickerContent,
  Schema.TaggedStruct<
    "Sticker",
    {
      readonly url: Schema.optional<Schema.String>
      readonly mimeType: Schema.optional<Schema.String>
      readonly animated: Schema.optional<Schema.Boolean>
    }
  >,
  {}
>
/** A sticker. */
export declare class StickerContent extends StickerContent_base {}
declare const LocationContent_base: Schema.Class<
  LocationContent,
  Schema.TaggedStruct<
    "Location",
    {
      readonly latitude: Schema.Finite
      readonly longitude: Schema.Finite
      readonly name: Schema.optional<Schema.String>
      readonly address: Schema.optional<Schema.String>
      readonly url: Schema.optional<Schema.String>
      readonly live: Schema.optional<Schema.Boolean>
    }
  >,
  {}
>
/** A location (or live location). */
export declare class LocationContent extends LocationContent_base {}
declare const SharedContact_base: Schema.Class<
  SharedContact,
  Schema.Struct<{
    readonly name: Schema.String
    readonly phones: Schema.$Array<Schema.String>
    readonly vcard: Schema.optional<Schema.String>
  }>,
  {}
>
/** One shared contact card. */
export declare class SharedContact extends SharedContact_base {}
declare const ContactsContent_base: Schema.Class<
  ContactsContent,
  Schema.TaggedStruct<
    "Contacts",
    {
      readonly contacts: Schema.$Array<typeof SharedContact>
    }
  >,
  {}
>
/** One or more contact cards. */
export declare class ContactsContent extends ContactsContent_base {}
declare const ReactionContent_base: Schema.Class<
  ReactionContent,
  Schema.TaggedStruct<
    "Reaction",
    {
      readonly emoji: Schema.String
      readonly targetId: Schema.String
    }
  >,
  {}
>
/** A reaction to another message; an empty `emoji` removes the reaction. */
export declare class ReactionContent extends ReactionContent_base {}
declare const ButtonReplyContent_base: Schema.Class<
  ButtonReplyContent,
  Schema.TaggedStruct<
    "ButtonReply",
    {
      readonly id: Schema.optional<Schema.String>
      readonly label: Schema.String
    }
  >,
  {}
>
/** The recipient tapped a reply button (or a template button). */
export declare class ButtonReplyContent extends ButtonReplyContent_base {}
declare const ListReplyContent_base: Schema.Class<
  ListReplyContent,
  Schema.TaggedStruct<
    "ListReply",
    {
      readonly id: Schema.optional<Schema.String>
      readonly title: Schema.String
      readonly description: Schema.optional<Schema.String>
    }
  >,
  {}
>
/** The recipient picked a row of a list message. */
export declare class ListReplyContent extends ListReplyContent_base {}
declare const PollContent_base: Schema.Class<
  PollContent,
  Schema.TaggedStruct<
    "Poll",
    {
      readonly name: Schema.String
      readonly options: Schema.$Array<Schema.String>
      readonly selectableCount: Schema.optional<Schema.Finite>
    }
  >,
  {}
>
/** A poll. */
export declare class PollContent extends PollContent_base {}
declare const PollVoteContent_base: Schema.Class<
  PollVoteContent,
  Schema.TaggedStruct<
    "PollVote",
    {
      readonly pollId: Schema.optional<Schema.String>
      readonly selected: Schema.$Array<Schema.String>
    }
  >,
  {}
>
/** A vote on a poll. */
export declare class PollVoteContent extends PollVoteContent_base {}
declare const CommerceContent_base: Schema.Class<
  CommerceContent,
  Schema.TaggedStruct<
    "Commerce",
    {
      readonly kind: Schema.Literals<readonly ["product", "catalog", "order"]>
      readonly id: Schema.optional<Schema.String>
      readonly title: Schema.optional<Schema.String>
      readonly total: Schema.optional<Schema.Finite>
      readonly currency: Schema.optional<Schema.String>
    }
  >,
  {}
>
/** A product, catalog or order from WhatsApp Business. */
export declare class CommerceContent extends CommerceContent_base {}
declare const EditContent_base: Schema.Class<
  EditContent,
  Schema.TaggedStruct<
    "Edit",
    {
      readonly targetId: Schema.optional<Schema.String>
      readonly text: Schema.String
    }
  >,
  {}
>
/** A message was edited; `text` is the new text. */
export declare class EditContent extends EditContent_base {}
declare const DeletionContent_base: Schema.Class<
  DeletionContent,
  Schema.TaggedStruct<
    "Deletion",
    {
      readonly targetId: Schema.optional<Schema.String>
    }
  >,
  {}
>
/** A message was deleted for everyone. */
export declare class DeletionContent extends DeletionContent_base {}
declare const CallContent_base: Schema.Class<
  CallContent,
  Schema.TaggedStruct<
    "Call",
    {
      readonly status: Schema.Literals<readonly ["offered", "missed", "rejected", "accepted", "ended"]>
      readonly video: Schema.optional<Schema.Boolean>
    }
  >,
  {}
>
/** A voice or video call notification. */
export declare class CallContent extends CallContent_base {}
declare const NotificationContent_base: Schema.Class<
  NotificationContent,
  Schema.TaggedStruct<
    "Notification",
    {
      readonly kind: Schema.String
      readonly participants: Schema.optional<Schema.$Array<Schema.String>>
    }
  >,
  {}
>
/** A group or community notification (member added, subject changed…), as a message. */
export declare class NotificationContent extends NotificationContent_base {}
declare const EventContent_base: Schema.Class<
  EventContent,
  Schema.TaggedStruct<
    "Event",
    {
      readonly name: Schema.String
      readonly description: Schema.optional<Schema.String>
      readonly startsAt: Schema.optional<Schema.Date>
    }
  >,
  {}
>
/** A calendar event invitation. */
export declare class EventContent extends EventContent_base {}
declare const OtherContent_base: Schema.Class<
  OtherContent,
  Schema.TaggedStruct<
    "Other",
    {
      readonly kind: Schema.String
      readonly text: Schema.optional<Schema.String>
    }
  >,
  {}
>
/** A vendor message kind Pombo knows exists but does not model in detail; see `raw`. */
export declare class OtherContent extends OtherContent_base {}
/** The typed content of a received message. */
export declare const MessageContent: Schema.Union<
  readonly [
    typeof TextContent,
    typeof ImageContent,
    typeof AudioContent,
    typeof VideoContent,
    typeof DocumentContent,
    typeof StickerContent,
    typeof LocationContent,
    typeof ContactsContent,
    typeof ReactionContent,
    typeof ButtonReplyContent,
    typeof ListReplyContent,
    typeof PollContent,
    typeof PollVoteContent,
    typeof CommerceContent,
    typeof EditContent,
    typeof DeletionContent,
    typeof CallContent,
    typeof NotificationContent,
    typeof EventContent,
    typeof OtherContent
  ]
>
/** The typed content of a received message. */
export type MessageContent = typeof MessageContent.Type
declare const MessageReceived_base: Schema.Class<
  MessageReceived,
  Schema.TaggedStruct<
    "MessageReceived",
    {
      readonly id: Schema.String
      readonly provider: Schema.String
      readonly instance: Schema.optional<Schema.String>
      readonly timestamp: Schema.Date
      readonly raw: Schema.Unknown
      readonly message: typeof MessageRef
      readonly chat: Schema.Union<
        readonly [typeof Contact, typeof import("./ChatId.ts").Group, typeof import("./ChatId.ts").Broadcast]
      >
      readonly sender: typeof Sender
      readonly fromMe: Schema.Boolean
      readonly content: Schema.Union<
        readonly [
          typeof TextContent,
          typeof ImageContent,
          typeof AudioContent,
          typeof VideoContent,
          typeof DocumentContent,
          typeof StickerContent,
          typeof LocationContent,
          typeof ContactsContent,
          typeof ReactionContent,
          typeof ButtonReplyContent,
          typeof ListReplyContent,
          typeof PollContent,
          typeof PollVoteContent,
          typeof CommerceContent,
          typeof EditContent,
          typeof DeletionContent,
          typeof CallContent,
          typeof NotificationContent,
          typeof EventContent,
          typeof OtherContent
        ]
      >
      /** The message this one quotes (replies to), when the vendor says. */
      readonly quoted: Schema.optional<typeof MessageRef>
      /** True for channel (newsletter) posts and status (story) updates. */
      readonly broadcast: Schema.optional<Schema.Boolean>
    }
  >,
  {}
>
/** A message arrived (or was sent by this instance from another device, `fromMe`). */
export declare class MessageReceived extends MessageReceived_base {}
/** How far a sent message got. */
export declare const DeliveryStatus: Schema.Literals<readonly ["sent", "delivered", "read", "played", "failed"]>
/** How far a sent message got. */
export type DeliveryStatus = typeof DeliveryStatus.Type
declare const MessageStatus_base: Schema.Class<
  MessageStatus,
  Schema.TaggedStruct<
    "MessageStatus",
    {
      readonly id: Schema.String
      readonly provider: Schema.String
      readonly instance: Schema.optional<Schema.String>
      readonly timestamp: Schema.Date
      readonly raw: Schema.Unknown
      readonly messageId: Schema.String
      readonly chat: Schema.optional<
        Schema.Union<
          readonly [typeof Contact, typeof import("./ChatId.ts").Group, typeof import("./ChatId.ts").Broadcast]
        >
      >
      readonly status: Schema.Literals<readonly ["sent", "delivered", "read", "played", "failed"]>
      /** Why it failed, when `status` is `failed`. */
      readonly error: Schema.optional<Schema.String>
    }
  >,
  {}
>
/** A sent message's status changed: one event per message. */
export declare class MessageStatus extends MessageStatus_base {}
declare const ConnectionUpdate_base: Schema.Class<
  ConnectionUpdate,
  Schema.TaggedStruct<
    "ConnectionUpdate",
    {
      readonly id: Schema.String
      readonly provider: Schema.String
      readonly instance: Schema.optional<Schema.String>
      readonly timestamp: Schema.Date
      readonly raw: Schema.Unknown
      readonly state: Schema.Literals<readonly ["connected", "disconnected", "qr"]>
      /** The QR code payload when `state` is `qr`. */
      readonly qr: Schema.optional<Schema.String>
      /** Why it disconnected, when the vendor says. */
      readonly reason: Schema.optional<Schema.String>
      readonly phone: Schema.optional<typeof Contact>
    }
  >,
  {}
>
/** The instance connected, disconnected, or has a new QR code to scan. */
export declare class ConnectionUpdate extends ConnectionUpdate_base {}
declare const PresenceUpdate_base: Schema.Class<
  PresenceUpdate,
  Schema.TaggedStruct<
    "PresenceUpdate",
    {
      readonly id: Schema.String
      readonly provider: Schema.String
      readonly instance: Schema.optional<Schema.String>
      readonly timestamp: Schema.Date
      readonly raw: Schema.Unknown
      readonly chat: Schema.Union<
        readonly [typeof Contact, typeof import("./ChatId.ts").Group, typeof import("./ChatId.ts").Broadcast]
      >
      readonly presence: Schema.Literals<readonly ["composing", "recording", "paused", "available", "unavailable"]>
      readonly lastSeen: Schema.optional<Schema.Date>
    }
  >,
  {}
>
/** Someone is typing, recording, online or offline in a chat. */
export declare class PresenceUpdate extends PresenceUpdate_base {}
declare const GroupUpdate_base: Schema.Class<
  GroupUpdate,
  Schema.TaggedStruct<
    "GroupUpdate",
    {
      readonly id: Schema.String
      readonly provider: Schema.String
      readonly instance: Schema.optional<Schema.String>
      readonly timestamp: Schema.Date
      readonly raw: Schema.Unknown
      readonly group: Schema.Union<
        readonly [typeof Contact, typeof import("./ChatId.ts").Group, typeof import("./ChatId.ts").Broadcast]
      >
      readonly action: Schema.Literals<
        readonly ["add", "remove", "promote", "demote", "subject", "description", "settings", "other"]
      >
      readonly participants: Schema.$Array<typeof Contact>
      readonly by: Schema.optional<typeof Contact>
    }
  >,
  {}
>
/** A group changed: members added/removed/promoted/demoted, subject, description or settings. */
export declare class GroupUpdate extends GroupUpdate_base {}
declare const Unknown_base: Schema.Class<
  Unknown,
  Schema.TaggedStruct<
    "Unknown",
    {
      readonly id: Schema.String
      readonly provider: Schema.String
      readonly instance: Schema.optional<Schema.String>
      readonly timestamp: Schema.Date
      readonly raw: Schema.Unknown
      /** Why it was not recognised. */
      readonly reason: Schema.String
    }
  >,
  {}
>
/** A payload the provider does not recognise. Nothing is lost: it is all in `raw`. */
export declare class Unknown extends Unknown_base {}
/** Any inbound event. */
export declare const WhatsAppEvent: Schema.Union<
  readonly [
    typeof MessageReceived,
    typeof MessageStatus,
    typeof ConnectionUpdate,
    typeof PresenceUpdate,
    typeof GroupUpdate,
    typeof Unknown
  ]
>
/** Any inbound event. */
export type WhatsAppEvent = typeof WhatsAppEvent.Type
