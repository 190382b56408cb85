/**
 * What the `WhatsApp` operations take, as schemas that state WhatsApp's limits. `Operation`
 * declares which operation takes which; every input is validated with its schema before a
 * provider sees it, so bad input fails with a typed `InvalidRequest` naming the field and nothing
 * is sent.
 *
 * Limits are WhatsApp's own (its app's text limit, the Business API's caption, list, button and
 * poll limits; see each constant); neither vendor documents stricter ones.
 */
import { Schema } from "effect"
import { ChatId, Contact, Group } from "./ChatId.ts"
import { MessageRef } from "./MessageRef.ts"

/** Longest text message WhatsApp accepts, in UTF-16 code units. */
export const maxTextLength = 65_536
/** Longest media caption WhatsApp accepts. */
export const maxCaptionLength = 1_024
/** List messages: 1–10 sections, 1–10 rows in all, titles up to 24 characters. */
export const listLimits = { sections: 10, rows: 10, rowTitle: 24, rowDescription: 72, buttonText: 20 } as const
/** Reply buttons: 1–3, labels up to 20 characters. */
export const buttonLimits = { buttons: 3, label: 20, id: 256 } as const
/** Polls: 2–12 options, each up to 100 characters; the question up to 255. */
export const pollLimits = { minOptions: 2, maxOptions: 12, option: 100, name: 255 } as const

const text = (max: number) => Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(max))
const notBlank = Schema.makeFilter((value: string) => value.trim().length > 0 || "must not be blank")

/** A message text: not blank, at most `maxTextLength`. */
export const Text = Schema.String.check(notBlank, Schema.isMaxLength(maxTextLength))

/** A C0 or C1 control character (a line break, a tab, NUL…). */
const isControl = (char: string): boolean => {
  const code = char.charCodeAt(0)
  return code < 0x20 || (code >= 0x7f && code <= 0x9f)
}

/**
 * An `http(s)` URL, exactly as it will be sent. A URL parser silently drops tabs and line breaks
 * and trims spaces (`http://a\nb.com` parses as `http://ab.com`), but the vendor gets the string
 * itself, so whitespace and control characters anywhere are refused.
 */
export const HttpUrl = Schema.String.check(
  Schema.makeFilter((value: string) => {
    if (!URL.canParse(value)) return "must be an absolute URL"
    if (/\s/.test(value) || [...value].some(isControl)) {
      return "must not contain spaces, line breaks or control characters"
    }
    const { protocol } = new URL(value)
    return protocol === "http:" || protocol === "https:" || "must be an http or https URL"
  })
)

/** Standard base64 (RFC 4648 §4), padded, without a `data:` prefix. */
export const Base64 = Schema.String.check(
  Schema.makeFilter(
    (value: string) =>
      (value.length > 0 && value.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(value)) ||
      "must be standard padded base64 (no data: prefix, no line breaks)"
  )
)

/** A MIME type such as `image/png`. */
export const MimeType = Schema.String.check(
  Schema.makeFilter((value: string) => /^[a-z]+\/[a-z0-9.+-]+$/i.test(value) || "must be a MIME type like image/png")
)

/** Media fetched by the vendor from a URL. */
export const MediaUrl = Schema.TaggedStruct("Url", { url: HttpUrl })
/** Media sent inline as base64. */
export const MediaBase64 = Schema.TaggedStruct("Base64", { data: Base64, mimeType: MimeType })
/** Where media comes from. */
export const MediaSource = Schema.Union([MediaUrl, MediaBase64])
/** Where media comes from. */
export type MediaSource = typeof MediaSource.Type

/** The kinds of media WhatsApp shows differently; `voice` is a push-to-talk note. */
export const MediaKind = Schema.Literals(["image", "video", "audio", "voice", "document", "sticker"])
/** The kinds of media WhatsApp shows differently. */
export type MediaKind = typeof MediaKind.Type

/** `sendText`: text, optionally mentioning group members. */
export const SendText = Schema.Struct({
  to: ChatId,
  text: Text,
  mentions: Schema.optional(Schema.Array(Contact))
})
/** `sendText` input. */
export type SendText = typeof SendText.Type

/** `sendMedia`: an image, video, audio, voice note, document or sticker. */
export const SendMedia = Schema.Struct({
  to: ChatId,
  kind: MediaKind,
  source: MediaSource,
  caption: Schema.optional(text(maxCaptionLength)),
  fileName: Schema.optional(text(255))
})
/** `sendMedia` input. */
export type SendMedia = typeof SendMedia.Type

/** `sendLocation`: a point on the map. */
export const SendLocation = Schema.Struct({
  to: ChatId,
  latitude: Schema.Finite.check(Schema.isBetween({ minimum: -90, maximum: 90 })),
  longitude: Schema.Finite.check(Schema.isBetween({ minimum: -180, maximum: 180 })),
  name: Schema.optional(text(256)),
  address: Schema.optional(text(1024))
})
/** `sendLocation` input. */
export type SendLocation = typeof SendLocation.Type

/** One contact card. */
export const ContactCard = Schema.Struct({
  name: text(256),
  phone: Contact,
  organization: Schema.optional(text(256))
})
/** One contact card. */
export type ContactCard = typeof ContactCard.Type

/** `sendContacts`: one or more contact cards. */
export const SendContacts = Schema.Struct({
  to: ChatId,
  contacts: Schema.Array(ContactCard).check(Schema.isMinLength(1), Schema.isMaxLength(256))
})
/** `sendContacts` input. */
export type SendContacts = typeof SendContacts.Type

/** `sendLinkPreview`: text with a link and its preview card. */
export const SendLinkPreview = Schema.Struct({
  to: ChatId,
  text: Text,
  url: HttpUrl,
  title: Schema.optional(text(256)),
  description: Schema.optional(text(1024)),
  imageUrl: Schema.optional(HttpUrl)
})
/** `sendLinkPreview` input. */
export type SendLinkPreview = typeof SendLinkPreview.Type

/** One row of a list message. */
export const ListRow = Schema.Struct({
  id: text(200),
  title: text(listLimits.rowTitle),
  description: Schema.optional(text(listLimits.rowDescription))
})

/** One section of a list message. */
export const ListSection = Schema.Struct({
  title: text(listLimits.rowTitle),
  rows: Schema.Array(ListRow).check(Schema.isMinLength(1), Schema.isMaxLength(listLimits.rows))
})

/** `sendList`: a menu the recipient opens with `buttonText` and picks one row from. */
export const SendList = Schema.Struct({
  to: ChatId,
  text: Text,
  buttonText: text(listLimits.buttonText),
  title: Schema.optional(text(60)),
  footer: Schema.optional(text(60)),
  sections: Schema.Array(ListSection).check(
    Schema.isMinLength(1),
    Schema.isMaxLength(listLimits.sections),
    Schema.makeFilter(
      (sections: ReadonlyArray<{ readonly rows: ReadonlyArray<unknown> }>) =>
        sections.reduce((n, section) => n + section.rows.length, 0) <= listLimits.rows ||
        `at most ${listLimits.rows} rows in all sections together`
    )
  )
})
/** `sendList` input. */
export type SendList = typeof SendList.Type

/** One reply button. */
export const Button = Schema.Struct({ id: text(buttonLimits.id), label: text(buttonLimits.label) })

/** `sendButtons`: text with up to three reply buttons. */
export const SendButtons = Schema.Struct({
  to: ChatId,
  text: Text,
  footer: Schema.optional(text(60)),
  buttons: Schema.Array(Button).check(Schema.isMinLength(1), Schema.isMaxLength(buttonLimits.buttons))
})
/** `sendButtons` input. */
export type SendButtons = typeof SendButtons.Type

/** `sendPoll`: a question with 2–12 options; `selectableCount` answers allowed (default 1). */
export const SendPoll = Schema.Struct({
  to: ChatId,
  name: text(pollLimits.name),
  options: Schema.Array(text(pollLimits.option)).check(
    Schema.isMinLength(pollLimits.minOptions),
    Schema.isMaxLength(pollLimits.maxOptions),
    Schema.makeFilter(
      (options: ReadonlyArray<string>) => new Set(options).size === options.length || "options must be distinct"
    )
  ),
  selectableCount: Schema.optional(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: pollLimits.maxOptions })))
}).check(
  Schema.makeFilter(
    (poll: { readonly options: ReadonlyArray<string>; readonly selectableCount?: number | undefined }) =>
      (poll.selectableCount ?? 1) <= poll.options.length || {
        path: ["selectableCount"],
        issue: "cannot exceed the number of options"
      }
  )
)
/** `sendPoll` input. */
export type SendPoll = typeof SendPoll.Type

// Made on the first emoji checked: constructing a grapheme segmenter loads ICU's break rules,
// 30–50 ms that every process importing Pombo would otherwise pay at start-up.
let segmenter: Intl.Segmenter | undefined
const graphemes = (value: string): number => {
  if (segmenter === undefined) segmenter = new Intl.Segmenter("en", { granularity: "grapheme" })
  return [...segmenter.segment(value)].length
}

/** A single emoji (one grapheme, not plain letters or digits). */
export const Emoji = Schema.String.check(
  Schema.makeFilter(
    (value: string) =>
      (graphemes(value) === 1 && /\p{Extended_Pictographic}|\p{Regional_Indicator}/u.test(value)) ||
      "must be exactly one emoji"
  )
)

/** `sendReaction`: react to a message with one emoji. */
export const SendReaction = Schema.Struct({ message: MessageRef, emoji: Emoji })
/** `sendReaction` input. */
export type SendReaction = typeof SendReaction.Type

/** `reply`: answer a message with text, quoting it. */
export const Reply = Schema.Struct({ message: MessageRef, text: Text })
/** `reply` input. */
export type Reply = typeof Reply.Type

/** `forwardMessage`: forward a message to another chat. */
export const ForwardMessage = Schema.Struct({ message: MessageRef, to: ChatId })
/** `forwardMessage` input. */
export type ForwardMessage = typeof ForwardMessage.Type

/** `markRead`: mark a received message (and the chat up to it) as read. */
export const MarkRead = Schema.Struct({ message: MessageRef })
/** `markRead` input. */
export type MarkRead = typeof MarkRead.Type

/** `deleteMessage`: delete a message for everyone (the vendors' only documented mode). */
export const DeleteMessage = Schema.Struct({ message: MessageRef })
/** `deleteMessage` input. */
export type DeleteMessage = typeof DeleteMessage.Type

/** `archiveChat`: archive or unarchive a chat. */
export const ArchiveChat = Schema.Struct({ chat: ChatId, archived: Schema.Boolean })
/** `archiveChat` input. */
export type ArchiveChat = typeof ArchiveChat.Type

/** `pinChat`: pin or unpin a chat. */
export const PinChat = Schema.Struct({ chat: ChatId, pinned: Schema.Boolean })
/** `pinChat` input. */
export type PinChat = typeof PinChat.Type

/** What the instance shows in a chat: typing, recording audio, online, offline, stopped typing. */
export const Presence = Schema.Literals(["composing", "recording", "paused", "available", "unavailable"])
/** A presence state. */
export type Presence = typeof Presence.Type

/**
 * `sendPresence`: show a presence state in a chat. `message` is the received message being
 * answered: Meta's typing indicator exists only as a reply to one (the others ignore it).
 */
export const SendPresence = Schema.Struct({ chat: ChatId, presence: Presence, message: Schema.optional(MessageRef) })
/** `sendPresence` input. */
export type SendPresence = typeof SendPresence.Type

/** `isOnWhatsApp`: does this phone have WhatsApp? */
export const IsOnWhatsApp = Schema.Struct({ phone: Contact })
/** `isOnWhatsApp` input. */
export type IsOnWhatsApp = typeof IsOnWhatsApp.Type

/** `blockContact`: block or unblock a contact. */
export const BlockContact = Schema.Struct({ contact: Contact, blocked: Schema.Boolean })
/** `blockContact` input. */
export type BlockContact = typeof BlockContact.Type

/** `getProfilePicture`: a contact's or group's picture. */
export const GetProfilePicture = Schema.Struct({ chat: ChatId })
/** `getProfilePicture` input. */
export type GetProfilePicture = typeof GetProfilePicture.Type

/** A group, for the group operations. */
export const GroupInput = Schema.Struct({ group: Group })
/** A group, for the group operations. */
export type GroupInput = typeof GroupInput.Type

/** `createGroup`: a group with a subject and its first members. */
export const CreateGroup = Schema.Struct({
  subject: text(100),
  participants: Schema.Array(Contact).check(Schema.isMinLength(1), Schema.isMaxLength(1024))
})
/** `createGroup` input. */
export type CreateGroup = typeof CreateGroup.Type

/** `addParticipants` / `removeParticipants` / `promoteParticipants` / `demoteParticipants`. */
export const GroupParticipants = Schema.Struct({
  group: Group,
  participants: Schema.Array(Contact).check(Schema.isMinLength(1), Schema.isMaxLength(1024))
})
/** Group participants input. */
export type GroupParticipants = typeof GroupParticipants.Type

/** `updateGroupSettings`: who may send messages and who may edit the group's info. */
export const UpdateGroupSettings = Schema.Struct({
  group: Group,
  onlyAdminsCanSend: Schema.optional(Schema.Boolean),
  onlyAdminsCanEditInfo: Schema.optional(Schema.Boolean)
}).check(
  Schema.makeFilter(
    (input: {
      readonly onlyAdminsCanSend?: boolean | undefined
      readonly onlyAdminsCanEditInfo?: boolean | undefined
    }) =>
      input.onlyAdminsCanSend !== undefined ||
      input.onlyAdminsCanEditInfo !== undefined ||
      "set onlyAdminsCanSend, onlyAdminsCanEditInfo or both"
  )
)
/** `updateGroupSettings` input. */
export type UpdateGroupSettings = typeof UpdateGroupSettings.Type

/** `setProfileName`. */
export const SetProfileName = Schema.Struct({ name: text(25) })
/** `setProfileName` input. */
export type SetProfileName = typeof SetProfileName.Type

/** `setProfileStatus` (the "about" text). */
export const SetProfileStatus = Schema.Struct({ status: text(139) })
/** `setProfileStatus` input. */
export type SetProfileStatus = typeof SetProfileStatus.Type

/** `setProfilePicture`, from an image URL. */
export const SetProfilePicture = Schema.Struct({ url: HttpUrl })
/** `setProfilePicture` input. */
export type SetProfilePicture = typeof SetProfilePicture.Type

/** `setWebhook`: where the vendor posts inbound events. */
export const SetWebhook = Schema.Struct({ url: HttpUrl })
/** `setWebhook` input. */
export type SetWebhook = typeof SetWebhook.Type

/** `getPairingCode`: the phone that will enter the code. */
export const GetPairingCode = Schema.Struct({ phone: Contact })
/** `getPairingCode` input. */
export type GetPairingCode = typeof GetPairingCode.Type

/** Templates: a name is lowercase letters, digits and underscores; a language is a code like `pt_BR`. */
export const templateLimits = { name: 512, parameterText: 32_768, buttons: 10 } as const

/** A template parameter: text filling a `{{n}}` variable. */
export const TemplateText = Schema.TaggedStruct("Text", {
  text: text(templateLimits.parameterText)
})
/** A template parameter: an amount of money, with the text shown where it cannot be localised. */
export const TemplateCurrency = Schema.TaggedStruct("Currency", {
  /** ISO 4217 code, e.g. `BRL`. */
  code: Schema.String.check(Schema.isPattern(/^[A-Z]{3}$/)),
  /** The amount times 1000 (R$ 12,50 is 12500). */
  amount1000: Schema.Int,
  fallback: text(1024)
})
/** A template parameter: a date and time, given as the text to show. */
export const TemplateDateTime = Schema.TaggedStruct("DateTime", {
  fallback: text(1024)
})
/** A template parameter: the header's image, video or document, fetched from a URL. */
export const TemplateMedia = Schema.TaggedStruct("Media", {
  kind: Schema.Literals(["image", "video", "document"]),
  url: HttpUrl,
  fileName: Schema.optional(text(255))
})
/** A template parameter: what a quick-reply button sends back when tapped (in the inbound `ButtonReply`'s id). */
export const TemplatePayload = Schema.TaggedStruct("Payload", { payload: text(1024) })

/** Any template parameter. */
export const TemplateParameter = Schema.Union([
  TemplateText,
  TemplateCurrency,
  TemplateDateTime,
  TemplateMedia,
  TemplatePayload
])
/** Any template parameter. */
export type TemplateParameter = typeof TemplateParameter.Type

/** The values of the template's header or body variables, in order. */
export const TemplateSection = Schema.Struct({
  type: Schema.Literals(["header", "body"]),
  parameters: Schema.Array(TemplateParameter).check(Schema.isMinLength(1))
})
/** The value of one of the template's buttons: a URL's variable suffix (`Text`) or a quick reply's payload. */
export const TemplateButton = Schema.Struct({
  type: Schema.Literal("button"),
  subType: Schema.Literals(["quick_reply", "url"]),
  /** The button's position in the template, from 0. */
  index: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: templateLimits.buttons - 1 })),
  parameters: Schema.Array(TemplateParameter).check(Schema.isMinLength(1))
})
/** One component of a template send: the values for its header, body or one button. */
export const TemplateComponent = Schema.Union([TemplateSection, TemplateButton])
/** One component of a template send. */
export type TemplateComponent = typeof TemplateComponent.Type

/**
 * `sendTemplate`: a pre-approved message template, by name and language, with the values of its
 * variables. The one kind of message a business may start a conversation with (or send once the
 * vendor's customer window has closed).
 */
export const SendTemplate = Schema.Struct({
  to: ChatId,
  name: Schema.String.check(Schema.isPattern(/^[a-z0-9_]{1,512}$/)),
  /** The template's language code as approved, e.g. `pt_BR`, `en_US`, `es`. */
  language: Schema.String.check(Schema.isPattern(/^[a-z]{2,3}(_[A-Za-z0-9]{2,4})?$/)),
  components: Schema.optional(Schema.Array(TemplateComponent))
})
/** `sendTemplate` input. */
export type SendTemplate = typeof SendTemplate.Type
