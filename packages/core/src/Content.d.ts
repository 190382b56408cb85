/**
 * What the `WhatsApp` operations take, as schemas that state WhatsApp's limits. Every operation
 * validates its input with these before a provider sees it, so bad input fails with a typed
 * `InvalidRequest` naming the field and nothing is sent.
 *
 * Limits are WhatsApp's own (its app's text limit, the Business API's caption, list, button and
 * poll limits; see each constant); neither vendor documents stricter ones.
 */
import { Result, Schema } from "effect"
import { Contact, Group } from "./ChatId.ts"
import { MessageRef } from "./MessageRef.ts"
import { InvalidRequest } from "./WhatsAppError.ts"
/** Longest text message WhatsApp accepts, in UTF-16 code units. */
export declare const maxTextLength = 65536
/** Longest media caption WhatsApp accepts. */
export declare const maxCaptionLength = 1024
/** List messages: 1–10 sections, 1–10 rows in all, titles up to 24 characters. */
export declare const listLimits: {
  readonly sections: 10
  readonly rows: 10
  readonly rowTitle: 24
  readonly rowDescription: 72
  readonly buttonText: 20
}
/** Reply buttons: 1–3, labels up to 20 characters. */
export declare const buttonLimits: {
  readonly buttons: 3
  readonly label: 20
  readonly id: 256
}
/** Polls: 2–12 options, each up to 100 characters; the question up to 255. */
export declare const pollLimits: {
  readonly minOptions: 2
  readonly maxOptions: 12
  readonly option: 100
  readonly name: 255
}
/** A message text: not blank, at most `maxTextLength`. */
export declare const Text: Schema.String
/** An `http(s)` URL. */
export declare const HttpUrl: Schema.String
/** Standard base64 (RFC 4648 §4), padded, without a `data:` prefix. */
export declare const Base64: Schema.String
/** A MIME type such as `image/png`. */
export declare const MimeType: Schema.String
/** Media fetched by the vendor from a URL. */
export declare const MediaUrl: Schema.TaggedStruct<
  "Url",
  {
    readonly url: Schema.String
  }
>
/** Media sent inline as base64. */
export declare const MediaBase64: Schema.TaggedStruct<
  "Base64",
  {
    readonly data: Schema.String
    readonly mimeType: Schema.String
  }
>
/** Where media comes from. */
export declare const MediaSource: Schema.Union<
  readonly [
    Schema.TaggedStruct<
      "Url",
      {
        readonly url: Schema.String
      }
    >,
    Schema.TaggedStruct<
      "Base64",
      {
        readonly data: Schema.String
        readonly mimeType: Schema.String
      }
    >
  ]
>
/** Where media comes from. */
export type MediaSource = typeof MediaSource.Type
/** The kinds of media WhatsApp shows differently; `voice` is a push-to-talk note. */
export declare const MediaKind: Schema.Literals<readonly ["image", "video", "audio", "voice", "document", "sticker"]>
/** The kinds of media WhatsApp shows differently. */
export type MediaKind = typeof MediaKind.Type
/** `sendText`: text, optionally mentioning group members. */
export declare const SendText: Schema.Struct<{
  readonly to: Schema.Union<readonly [typeof Contact, typeof Group, typeof import("./ChatId.ts").Broadcast]>
  readonly text: Schema.String
  readonly mentions: Schema.optional<Schema.$Array<typeof Contact>>
}>
/** `sendText` input. */
export type SendText = typeof SendText.Type
/** `sendMedia`: an image, video, audio, voice note, document or sticker. */
export declare const SendMedia: Schema.Struct<{
  readonly to: Schema.Union<readonly [typeof Contact, typeof Group, typeof import("./ChatId.ts").Broadcast]>
  readonly kind: Schema.Literals<readonly ["image", "video", "audio", "voice", "document", "sticker"]>
  readonly source: Schema.Union<
    readonly [
      Schema.TaggedStruct<
        "Url",
        {
          readonly url: Schema.String
        }
      >,
      Schema.TaggedStruct<
        "Base64",
        {
          readonly data: Schema.String
          readonly mimeType: Schema.String
        }
      >
    ]
  >
  readonly caption: Schema.optional<Schema.String>
  readonly fileName: Schema.optional<Schema.String>
}>
/** `sendMedia` input. */
export type SendMedia = typeof SendMedia.Type
/** `sendLocation`: a point on the map. */
export declare const SendLocation: Schema.Struct<{
  readonly to: Schema.Union<readonly [typeof Contact, typeof Group, typeof import("./ChatId.ts").Broadcast]>
  readonly latitude: Schema.Finite
  readonly longitude: Schema.Finite
  readonly name: Schema.optional<Schema.String>
  readonly address: Schema.optional<Schema.String>
}>
/** `sendLocation` input. */
export type SendLocation = typeof SendLocation.Type
/** One contact card. */
export declare const ContactCard: Schema.Struct<{
  readonly name: Schema.String
  readonly phone: typeof Contact
  readonly organization: Schema.optional<Schema.String>
}>
/** One contact card. */
export type ContactCard = typeof ContactCard.Type
/** `sendContacts`: one or more contact cards. */
export declare const SendContacts: Schema.Struct<{
  readonly to: Schema.Union<readonly [typeof Contact, typeof Group, typeof import("./ChatId.ts").Broadcast]>
  readonly contacts: Schema.$Array<
    Schema.Struct<{
      readonly name: Schema.String
      readonly phone: typeof Contact
      readonly organization: Schema.optional<Schema.String>
    }>
  >
}>
/** `sendContacts` input. */
export type SendContacts = typeof SendContacts.Type
/** `sendLinkPreview`: text with a link and its preview card. */
export declare const SendLinkPreview: Schema.Struct<{
  readonly to: Schema.Union<readonly [typeof Contact, typeof Group, typeof import("./ChatId.ts").Broadcast]>
  readonly text: Schema.String
  readonly url: Schema.String
  readonly title: Schema.optional<Schema.String>
  readonly description: Schema.optional<Schema.String>
  readonly imageUrl: Schema.optional<Schema.String>
}>
/** `sendLinkPreview` input. */
export type SendLinkPreview = typeof SendLinkPreview.Type
/** One row of a list message. */
export declare const ListRow: Schema.Struct<{
  readonly id: Schema.String
  readonly title: Schema.String
  readonly description: Schema.optional<Schema.String>
}>
/** One section of a list message. */
export declare const ListSection: Schema.Struct<{
  readonly title: Schema.String
  readonly rows: Schema.$Array<
    Schema.Struct<{
      readonly id: Schema.String
      readonly title: Schema.String
      readonly description: Schema.optional<Schema.String>
    }>
  >
}>
/** `sendList`: a menu the recipient opens with `buttonText` and picks one row from. */
export declare const SendList: Schema.Struct<{
  readonly to: Schema.Union<readonly [typeof Contact, typeof Group, typeof import("./ChatId.ts").Broadcast]>
  readonly text: Schema.String
  readonly buttonText: Schema.String
  readonly title: Schema.optional<Schema.String>
  readonly footer: Schema.optional<Schema.String>
  readonly sections: Schema.$Array<
    Schema.Struct<{
      readonly title: Schema.String
      readonly rows: Schema.$Array<
        Schema.Struct<{
          readonly id: Schema.String
          readonly title: Schema.String
          readonly description: Schema.optional<Schema.String>
        }>
      >
    }>
  >
}>
/** `sendList` input. */
export type SendList = typeof SendList.Type
/** One reply button. */
export declare const Button: Schema.Struct<{
  readonly id: Schema.String
  readonly label: Schema.String
}>
/** `sendButtons`: text with up to three reply buttons. */
export declare const SendButtons: Schema.Struct<{
  readonly to: Schema.Union<readonly [typeof Contact, typeof Group, typeof import("./ChatId.ts").Broadcast]>
  readonly text: Schema.String
  readonly footer: Schema.optional<Schema.String>
  readonly buttons: Schema.$Array<
    Schema.Struct<{
      readonly id: Schema.String
      readonly label: Schema.String
    }>
  >
}>
/** `sendButtons` input. */
export type SendButtons = typeof SendButtons.Type
/** `sendPoll`: a question with 2–12 options; `selectableCount` answers allowed (default 1). */
export declare const SendPoll: Schema.Struct<{
  readonly to: Schema.Union<readonly [typeof Contact, typeof Group, typeof import("./ChatId.ts").Broadcast]>
  readonly name: Schema.String
  readonly options: Schema.$Array<Schema.String>
  readonly selectableCount: Schema.optional<Schema.Int>
}>
/** `sendPoll` input. */
export type SendPoll = typeof SendPoll.Type
/** A single emoji (one grapheme, not plain letters or digits). */
export declare const Emoji: Schema.String
/** `sendReaction`: react to a message with one emoji. */
export declare const SendReaction: Schema.Struct<{
  readonly message: typeof MessageRef
  readonly emoji: Schema.String
}>
/** `sendReaction` input. */
export type SendReaction = typeof SendReaction.Type
/** `reply`: answer a message with text, quoting it. */
export declare const Reply: Schema.Struct<{
  readonly message: typeof MessageRef
  readonly text: Schema.String
}>
/** `reply` input. */
export type Reply = typeof Reply.Type
/** `forwardMessage`: forward a message to another chat. */
export declare const ForwardMessage: Schema.Struct<{
  readonly message: typeof MessageRef
  readonly to: Schema.Union<readonly [typeof Contact, typeof Group, typeof import("./ChatId.ts").Broadcast]>
}>
/** `forwardMessage` input. */
export type ForwardMessage = typeof ForwardMessage.Type
/** `markRead`: mark a received message (and the chat up to it) as read. */
export declare const MarkRead: Schema.Struct<{
  readonly message: typeof MessageRef
}>
/** `markRead` input. */
export type MarkRead = typeof MarkRead.Type
/** `deleteMessage`: delete a message for everyone (the vendors' only documented mode). */
export declare const DeleteMessage: Schema.Struct<{
  readonly message: typeof MessageRef
}>
/** `deleteMessage` input. */
export type DeleteMessage = typeof DeleteMessage.Type
/** `archiveChat`: archive or unarchive a chat. */
export declare const ArchiveChat: Schema.Struct<{
  readonly chat: Schema.Union<readonly [typeof Contact, typeof Group, typeof import("./ChatId.ts").Broadcast]>
  readonly archived: Schema.Boolean
}>
/** `archiveChat` input. */
export type ArchiveChat = typeof ArchiveChat.Type
/** `pinChat`: pin or unpin a chat. */
export declare const PinChat: Schema.Struct<{
  readonly chat: Schema.Union<readonly [typeof Contact, typeof Group, typeof import("./ChatId.ts").Broadcast]>
  readonly pinned: Schema.Boolean
}>
/** `pinChat` input. */
export type PinChat = typeof PinChat.Type
/** What the instance shows in a chat: typing, recording audio, online, offline, stopped typing. */
export declare const Presence: Schema.Literals<
  readonly ["composing", "recording", "paused", "available", "unavailable"]
>
/** A presence state. */
export type Presence = typeof Presence.Type
/** `sendPresence`: show a presence state in a chat. */
export declare const SendPresence: Schema.Struct<{
  readonly chat: Schema.Union<readonly [typeof Contact, typeof Group, typeof import("./ChatId.ts").Broadcast]>
  readonly presence: Schema.Literals<readonly ["composing", "recording", "paused", "available", "unavailable"]>
}>
/** `sendPresence` input. */
export type SendPresence = typeof SendPresence.Type
/** `isOnWhatsApp`: does this phone have WhatsApp? */
export declare const IsOnWhatsApp: Schema.Struct<{
  readonly phone: typeof Contact
}>
/** `isOnWhatsApp` input. */
export type IsOnWhatsApp = typeof IsOnWhatsApp.Type
/** `blockContact`: block or unblock a contact. */
export declare const BlockContact: Schema.Struct<{
  readonly contact: typeof Contact
  readonly blocked: Schema.Boolean
}>
/** `blockContact` input. */
export type BlockContact = typeof BlockContact.Type
/** `getProfilePicture`: a contact's or group's picture. */
export declare const GetProfilePicture: Schema.Struct<{
  readonly chat: Schema.Union<readonly [typeof Contact, typeof Group, typeof import("./ChatId.ts").Broadcast]>
}>
/** `getProfilePicture` input. */
export type GetProfilePicture = typeof GetProfilePicture.Type
/** A group, for the group operations. */
export declare const GroupInput: Schema.Struct<{
  readonly group: typeof Group
}>
/** A group, for the group operations. */
export type GroupInput = typeof GroupInput.Type
/** `createGroup`: a group with a subject and its first members. */
export declare const CreateGroup: Schema.Struct<{
  readonly subject: Schema.String
  readonly participants: Schema.$Array<typeof Contact>
}>
/** `createGroup` input. */
export type CreateGroup = typeof CreateGroup.Type
/** `addParticipants` / `removeParticipants` / `promoteParticipants` / `demoteParticipants`. */
export declare const GroupParticipants: Schema.Struct<{
  readonly group: typeof Group
  readonly participants: Schema.$Array<typeof Contact>
}>
/** Group participants input. */
export type GroupParticipants = typeof GroupParticipants.Type
/** `updateGroupSettings`: who may send messages and who may edit the group's info. */
export declare const UpdateGroupSettings: Schema.Struct<{
  readonly group: typeof Group
  readonly onlyAdminsCanSend: Schema.optional<Schema.Boolean>
  readonly onlyAdminsCanEditInfo: Schema.optional<Schema.Boolean>
}>
/** `updateGroupSettings` input. */
export type UpdateGroupSettings = typeof UpdateGroupSettings.Type
/** `setProfileName`. */
export declare const SetProfileName: Schema.Struct<{
  readonly name: Schema.String
}>
/** `setProfileName` input. */
export type SetProfileName = typeof SetProfileName.Type
/** `setProfileStatus` (the "about" text). */
export declare const SetProfileStatus: Schema.Struct<{
  readonly status: Schema.String
}>
/** `setProfileStatus` input. */
export type SetProfileStatus = typeof SetProfileStatus.Type
/** `setProfilePicture`, from an image URL. */
export declare const SetProfilePicture: Schema.Struct<{
  readonly url: Schema.String
}>
/** `setProfilePicture` input. */
export type SetProfilePicture = typeof SetProfilePicture.Type
/** `setWebhook`: where the vendor posts inbound events. */
export declare const SetWebhook: Schema.Struct<{
  readonly url: Schema.String
}>
/** `setWebhook` input. */
export type SetWebhook = typeof SetWebhook.Type
/** `getPairingCode`: the phone that will enter the code. */
export declare const GetPairingCode: Schema.Struct<{
  readonly phone: typeof Contact
}>
/** `getPairingCode` input. */
export type GetPairingCode = typeof GetPairingCode.Type
/**
 * Checks an operation's input against its schema; the first problem becomes an
 * `InvalidRequest` naming the field (`sections.0.rows`) and saying what is wrong.
 */
export declare const validate: <S extends Schema.Top>(
  schema: S,
  input: unknown,
  context: {
    readonly provider: string
    readonly operation: string
  }
) => Result.Result<S["Type"], InvalidRequest>
