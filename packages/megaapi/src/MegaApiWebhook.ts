/**
 * Mega-API's webhook calls, decoded into Pombo's `WhatsAppEvent`s. Give `decoder` to the core
 * `WebhookReceiver`, or call `decode` on a parsed JSON body yourself. `decode` never throws: what it
 * does not recognise (or a bug of its own) becomes one `Unknown` event with the payload as `raw` and
 * the reason.
 *
 * **How a payload is recognised.** It is checked against the schemas generated from the spec
 * (`webhooks` of `./generated/MegaApi.ts`, with `parseOptions`), message kinds first — they require
 * `instance_key`, `jid`, `messageType`, `key`, `messageTimestamp` and `message.<messageType>`, and
 * are mutually exclusive by `messageType`. The spec's `connectionUpdate` and `qrCode` schemas accept
 * any object (the vendor never published those payloads), so they are tried last and only for an
 * object that carries an `instance_key` and none of `messageType`, `key` or `message`.
 *
 * Mega-API relays Baileys: a payload with a `messageType` the spec does not model (`reactionMessage`,
 * `pollCreationMessage`, `protocolMessage`…) but with the Baileys envelope (`instance_key`,
 * `messageType`, a `key` matching the spec's `WebhookMessageKey`, a `message` object) is read with
 * the same content rules, and becomes `Unknown` when its content is not a Baileys kind listed
 * below. A payload with a modelled `messageType` that fails its schema is `Unknown`, with the
 * schema's complaint as the reason.
 *
 * **Fast.** The check is the schemas' compiled guard (`@pombo/core/SchemaGuard`: true exactly when
 * the schema decodes the payload, which then decodes to itself), dispatched on `messageType`, and
 * the event is read from the payload itself and built with `WhatsAppEvent.makeTrusted` (no
 * constructor pass: its fields are values the guards checked, ids `WhatsAppId` read and literals);
 * only a payload that becomes `Unknown` for failing a schema goes through Effect Schema's decoder,
 * for its complaint. `decoderBySchemas` checks every part with Effect Schema's decoder and builds
 * with the validating constructors instead, with the same events (the property tests compare them).
 *
 * **Content** is read per Baileys kind, each decoded with its schema from Pombo's Baileys document
 * (`openapi/megaapi/baileys.yaml`, generated into `./generated/Baileys.ts`, kept apart from
 * Mega-API's own spec) and mapped by its own typed mapper (`mappers`, exhaustive over the kinds).
 * The Baileys key under `message` (wrappers are unwrapped first: `ephemeralMessage`,
 * `viewOnceMessage*`, `documentWithCaptionMessage`, `editedMessage`):
 * `conversation`, `extendedTextMessage` → Text (mentions from `contextInfo.mentionedJid`) ·
 * `imageMessage` → Image · `audioMessage` → Audio (`voice` from `ptt`) · `videoMessage` → Video
 * (`gif` from `gifPlayback`), `ptvMessage` → Video (`videoNote`) · `documentMessage` → Document ·
 * `stickerMessage` → Sticker · `locationMessage` / `liveLocationMessage` → Location ·
 * `contactMessage` / `contactsArrayMessage` → Contacts · `reactionMessage` → Reaction ·
 * `buttonsResponseMessage`, `templateButtonReplyMessage`, `interactiveResponseMessage` → ButtonReply
 * · `listResponseMessage` → ListReply · `pollCreationMessage(V2|V3)` → Poll · `pollUpdateMessage` →
 * PollVote (WhatsApp encrypts the vote: `selected` is empty unless the vendor adds
 * `vote.selectedOptions`) · `orderMessage` → Commerce order, `productMessage` → Commerce product,
 * `interactiveMessage` with an order button (`review_order`, `review_and_pay`, `order_details`,
 * `payment_info`) → Commerce order, with a storefront or collection → Commerce catalog, any other
 * `interactiveMessage` → Other · `protocolMessage` REVOKE → Deletion, MESSAGE_EDIT → Edit,
 * EPHEMERAL_SETTING → Notification · `eventMessage` → Event · `callLogMesssage` → Call. With
 * `messageType: messageContextInfo` the content is the first of these keys beside
 * `messageContextInfo`.
 *
 * **Timestamps.** `messageTimestamp` is a number or a numeric string (or a Baileys `{low, high}`
 * long). The docs send seconds, while other Mega-API fields carry milliseconds, so a value below
 * 10^12 is read as Unix seconds and anything larger as milliseconds (10^12 s is the year 33658;
 * 10^12 ms is 2001). A missing or unreadable timestamp, and the payloads that have none
 * (connection, QR, unrecognised), take `context.receivedAt` (default: now).
 *
 * **Event ids** (for dropping redeliveries) name the instance — the payload's `instance_key`, or
 * the receiver's `Context.instance` when live traffic omits it — so two instances in one group get
 * two events: `megaapi:<instance>:message:<key.id>` for messages — the docs' forwardMessage, quoteMessage and readChat pages copy one message, which
 * therefore gets one id — and `megaapi:<instance>:connection:<hash>`,
 * `megaapi:<instance>:status:<key.id>:<status>[:<reader>]` or `megaapi:<instance>:unknown:<hash>`
 * otherwise (`-` for an unknown instance), where `<hash>` is the SHA-256 of the payload's canonical JSON
 * (keys sorted): the same payload always has the same id.
 *
 * **Who.** The chat is `ChatId.parse` of `key.remoteJid`; when that is a LID (`…@lid`) the phone
 * JID Baileys adds beside it (`remoteJidAlt`, `senderPn`) is used, and without one the event is
 * `Unknown`. The sender is the chat (one-to-one), `key.participant` (groups and broadcasts; or
 * `participantPn`/`participantAlt` when it is a LID), or the instance's own `jid` (`fromMe`). LIDs
 * (`senderLid`, `participantLid`, `chatLid`, or any `…@lid` among those JIDs) are kept as
 * `<digits>@lid`. Phone numbers follow the `ChatId` rules, so an old Brazilian mobile JID
 * (`556199999998@s.whatsapp.net`) gets its ninth digit (`5561999999998`).
 *
 * **Connection.** The docs only say that after a logout one payload reports the disconnection and
 * then only QR-code payloads follow. So such an object becomes a `ConnectionUpdate` with state `qr`
 * when it carries a QR string (`qrcode`, `qrCode`, `qr` or `base64`), `connected` when a
 * `connection`/`state`/`status` field says so (`open`, `connected`), and `disconnected` otherwise.
 *
 * Live traffic adds two undocumented shapes: `messageType: connection_update` with `message`
 * `phone_connected`/`phone_disconnected` → `ConnectionUpdate`, and `messageType: message.ack` → a
 * `MessageStatus` read leniently (see `ackEvent`), or `Unknown` when it names no message or status.
 * A payload is decoded by the one schema its `messageType` names; one whose body holds another kind
 * (an `extendedTextMessage` holding `conversation`) is read by its content. Mega-API documents no
 * presence or group-event webhook, so this decoder yields no `PresenceUpdate` or `GroupUpdate`.
 */
import { type ChatId, EpochDate, MessageRef, PayloadHash, VCard, WebhookDecoder, WhatsAppEvent } from "@pombo/core"
import * as HttpClientRuntime from "@pombo/core/HttpClientRuntime"
import * as SchemaGuard from "@pombo/core/SchemaGuard"
import { Result, Schema } from "effect"
import * as Baileys from "./generated/Baileys.ts"
import * as Generated from "./generated/MegaApi.ts"
import { contactOf, lidOf, chatOf as readChat } from "./internal/wire.ts"
import { provider } from "./MegaApiError.ts"

type Rec = Readonly<Record<string, unknown>>

// ---------------------------------------------------------------------------------------------
// Precompiled decoders (built once, at module load)

/** The spec's message webhooks and the `messageType` each one carries. */
export const messageWebhooks = {
  messageConversation: "conversation",
  messageExtendedText: "extendedTextMessage",
  messageEphemeral: "ephemeralMessage",
  messageAudio: "audioMessage",
  messageVideo: "videoMessage",
  messageImage: "imageMessage",
  messageDocument: "documentMessage",
  messageLocation: "locationMessage",
  messageContact: "contactMessage",
  messageSticker: "stickerMessage",
  messageContextInfo: "messageContextInfo"
} as const satisfies Partial<Record<keyof typeof Generated.webhooks, string>>

/** The spec's webhooks that are not messages: the connection state and QR codes. */
export const connectionWebhooks = ["connectionUpdate", "qrCode"] as const satisfies ReadonlyArray<
  keyof typeof Generated.webhooks
>

/**
 * The undocumented webhooks live instances send (spec: inferred), by the `messageType` that
 * marks them; read leniently by hand (`connectionEvent`, `ackEvent`), not by schema.
 */
export const liveTrafficWebhooks = {
  connectionStatus: "connection_update",
  messageAck: "message.ack"
} as const satisfies Partial<Record<keyof typeof Generated.webhooks, string>>

/** The fields every message webhook shares, as decoded. */
interface Envelope {
  readonly instance_key?: string | undefined
  readonly jid?: string | undefined
  readonly messageType: string
  readonly key: Generated.WebhookMessageKey
  readonly messageTimestamp?: number | string | undefined
  readonly pushName?: string | undefined
  readonly broadcast?: boolean | undefined
  readonly message: Rec
}

type Decoder<A> = (input: unknown) => Result.Result<A, unknown>

/** Each documented `messageType`'s decoder: a payload is decoded by the one its `messageType` names. */
const messageDecoderOf: ReadonlyMap<string, Decoder<Envelope>> = new Map(
  Object.entries(messageWebhooks).map(([name, messageType]) => [
    messageType,
    Schema.decodeUnknownResult(
      Generated.webhooks[name as keyof typeof messageWebhooks],
      HttpClientRuntime.parseOptions
    ) as Decoder<Envelope>
  ])
)

const connectionDecoders: ReadonlyArray<Decoder<Rec>> = connectionWebhooks.map(
  (name) => Schema.decodeUnknownResult(Generated.webhooks[name], HttpClientRuntime.parseOptions) as Decoder<Rec>
)

/** Each documented `messageType`'s schema, compiled into a guard (`SchemaGuard`). */
const messageGuardOf: ReadonlyMap<string, SchemaGuard.Guard> = new Map(
  Object.entries(messageWebhooks).map(([name, messageType]) => [
    messageType,
    SchemaGuard.guard(Generated.webhooks[name as keyof typeof messageWebhooks], { input: "json" })
  ])
)

const isBaileysEnvelope = SchemaGuard.guard(Baileys.MessageEnvelope, { input: "json" })

const connectionGuards = connectionWebhooks.map((name) =>
  SchemaGuard.guard(Generated.webhooks[name], { input: "json" })
)

/** A Baileys message whose `messageType` the spec does not model: same envelope, any content. */
const decodeBaileysEnvelope = Schema.decodeUnknownResult(
  Baileys.MessageEnvelope,
  HttpClientRuntime.parseOptions
) as Decoder<Envelope>

// ---------------------------------------------------------------------------------------------
// Small readers of untyped JSON (never throw)

const rec = (value: unknown): Rec | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Rec) : undefined
const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined)
const text = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim().length > 0 ? value : undefined

const num = EpochDate.epochNumber

const dateOf = EpochDate.fromEpoch
const payloadHash = PayloadHash.of

// ---------------------------------------------------------------------------------------------
// Content

interface Mapped {
  readonly content: WhatsAppEvent.MessageContent
  /** The `contextInfo` of the message that holds the content: quoted message, mentions. */
  readonly contextInfo: Rec | undefined
}

/** Keys of a Baileys `message` that accompany the content rather than being it. */
const companionKeys = new Set([
  "messageContextInfo",
  "senderKeyDistributionMessage",
  "verifiedBizName",
  "deviceListMetadata",
  "deviceListMetadataVersion"
])

const orderButtons = new Set(["review_order", "review_and_pay", "order_details", "payment_info"])

/** A field Baileys may send as `null` (the Baileys document allows it wherever a value can be absent), as absent. */
const opt = <A>(value: A | null | undefined): A | undefined => value ?? undefined

const media = (m: Baileys.MediaFields) => ({ url: opt(m.url), mimeType: opt(m.mimetype), caption: opt(m.caption) })

const sharedContact = (m: Baileys.ContactMessage, way: Way): WhatsAppEvent.SharedContact => {
  const vcard = opt(m.vcard)
  return way.make(WhatsAppEvent.SharedContact, {
    name: text(m.displayName) ?? VCard.fullName(vcard) ?? "",
    phones: VCard.phones(vcard),
    vcard
  })
}

const thousandths = (value: unknown): number | undefined => {
  const n = num(value)
  return n === undefined ? undefined : n / 1000
}

const protocolType = (value: unknown): string | undefined => {
  if (typeof value === "string") return value
  switch (value) {
    case 0:
      return "REVOKE"
    case 3:
      return "EPHEMERAL_SETTING"
    case 14:
      return "MESSAGE_EDIT"
    default:
      return undefined
  }
}

const callStatus = (outcome: unknown): WhatsAppEvent.CallContent["status"] | undefined => {
  switch (typeof outcome === "string" ? outcome.toUpperCase() : outcome) {
    case "MISSED":
    case 2:
      return "missed"
    case "REJECTED":
    case 5:
      return "rejected"
    case "ACCEPTED":
    case 6:
    case "ONGOING":
    case 7:
      return "accepted"
    case "CONNECTED":
    case 0:
    case "FAILED":
    case 3:
    case "CANCELLED":
    case 1:
    case "ABANDONED":
    case 4:
    case "SILENCED_BY_DND":
    case "SILENCED_UNKNOWN_CALLER":
      return "ended"
    default:
      return undefined
  }
}

const parseJsonObject = (value: string | undefined): Rec | undefined => {
  if (value === undefined) return undefined
  try {
    return rec(JSON.parse(value))
  } catch {
    return undefined
  }
}

/**
 * The Baileys kinds Pombo reads under `message` (besides `conversation`, a bare string), each with
 * its schema from the Baileys document (`openapi/megaapi/baileys.yaml`). Kinds that share a shape
 * share a schema.
 */
export const contentKinds = {
  extendedTextMessage: Baileys.ExtendedTextMessage,
  imageMessage: Baileys.ImageMessage,
  audioMessage: Baileys.AudioMessage,
  videoMessage: Baileys.VideoMessage,
  ptvMessage: Baileys.VideoMessage,
  documentMessage: Baileys.DocumentMessage,
  stickerMessage: Baileys.StickerMessage,
  locationMessage: Baileys.LocationMessage,
  liveLocationMessage: Baileys.LocationMessage,
  contactMessage: Baileys.ContactMessage,
  contactsArrayMessage: Baileys.ContactsArrayMessage,
  reactionMessage: Baileys.ReactionMessage,
  buttonsResponseMessage: Baileys.ButtonsResponseMessage,
  templateButtonReplyMessage: Baileys.ButtonsResponseMessage,
  interactiveResponseMessage: Baileys.InteractiveResponseMessage,
  listResponseMessage: Baileys.ListResponseMessage,
  pollCreationMessage: Baileys.PollCreationMessage,
  pollCreationMessageV2: Baileys.PollCreationMessage,
  pollCreationMessageV3: Baileys.PollCreationMessage,
  pollUpdateMessage: Baileys.PollUpdateMessage,
  orderMessage: Baileys.OrderMessage,
  productMessage: Baileys.ProductMessage,
  interactiveMessage: Baileys.InteractiveMessage,
  protocolMessage: Baileys.ProtocolMessage,
  eventMessage: Baileys.EventMessage,
  callLogMesssage: Baileys.CallLogMessage,
  callLogMessage: Baileys.CallLogMessage,
  ephemeralMessage: Baileys.FutureProofMessage,
  viewOnceMessage: Baileys.FutureProofMessage,
  viewOnceMessageV2: Baileys.FutureProofMessage,
  viewOnceMessageV2Extension: Baileys.FutureProofMessage,
  documentWithCaptionMessage: Baileys.FutureProofMessage,
  editedMessage: Baileys.FutureProofMessage,
  groupMentionedMessage: Baileys.FutureProofMessage,
  botInvokeMessage: Baileys.FutureProofMessage
} as const

type Kind = keyof typeof contentKinds

/** One typed mapper per kind: the compiler checks every kind in `contentKinds` has one. */
type Mappers = {
  readonly [K in Kind]: (
    m: (typeof contentKinds)[K]["Type"],
    depth: number,
    way: Way
  ) => WhatsAppEvent.MessageContent | Mapped | undefined
}

/**
 * How a content kind is checked against its Baileys schema: the value as its schema decodes it, or
 * `undefined` when the schema rejects it. Two ways, with the same answers (property-tested):
 * Effect Schema's decoder (`decodeBySchemas`) and the compiled guards (`decode`), which give the
 * input itself, since these schemas decode a JSON value to itself.
 */
type ReadKind = <K extends Kind>(kind: K, value: unknown) => (typeof contentKinds)[K]["Type"] | undefined

const isKind = (key: string): key is Kind => Object.hasOwn(contentKinds, key)

const decoders = Object.fromEntries(
  Object.entries(contentKinds).map(([kind, schema]) => [
    kind,
    Schema.decodeUnknownResult(schema as Schema.Codec<unknown, unknown>, HttpClientRuntime.parseOptions)
  ])
) as { readonly [K in Kind]: (input: unknown) => Result.Result<(typeof contentKinds)[K]["Type"], unknown> }

const kindGuards = Object.fromEntries(
  Object.entries(contentKinds).map(([kind, schema]) => [kind, SchemaGuard.guard(schema, { input: "json" })])
) as { readonly [K in Kind]: SchemaGuard.Guard }

// The schemas decode a JSON value to itself, but put declared keys before the rest: the payload
// is read as the vendor wrote it, so that a message holding two content kinds is read in the
// vendor's order whichever way it was checked.
const readBySchema: ReadKind = <K extends Kind>(kind: K, value: unknown) =>
  Result.isSuccess(decoders[kind](value)) ? (value as (typeof contentKinds)[K]["Type"]) : undefined

const readByGuard: ReadKind = <K extends Kind>(kind: K, value: unknown) =>
  kindGuards[kind](value) ? (value as (typeof contentKinds)[K]["Type"]) : undefined

/** How an event, or a part of one, is built from the fields a decoder has read. */
type Make = <C extends WhatsAppEvent.TrustedClass>(Class: C, fields: ConstructorParameters<C>[0]) => InstanceType<C>

/**
 * A way to decode: how content is checked (`read`) and how events are built (`make`). The two ways
 * give the same events (property-tested): `bySchemas` decodes with Effect Schema's decoders and
 * builds with the classes' validating constructors; `byGuards` checks with the compiled guards and
 * builds with `WhatsAppEvent.makeTrusted`, which skips the constructors' schema pass — the values it
 * is given are the guards' checked values, ids read by `WhatsAppId` and the literals written here.
 */
interface Way {
  readonly read: ReadKind
  readonly make: Make
}

const bySchemasWay: Way = { read: readBySchema, make: (Class, fields) => new Class(fields as never) as never }
const byGuardsWay: Way = { read: readByGuard, make: WhatsAppEvent.makeTrusted }

const mentionsOf = (contextInfo: Baileys.ContextInfo | null | undefined) => {
  const mentions = (contextInfo?.mentionedJid ?? []).map(contactOf).filter((contact) => contact !== undefined)
  return mentions.length > 0 ? mentions : undefined
}

const unwrap = (m: Baileys.FutureProofMessage, depth: number, way: Way): Mapped | undefined => {
  const inner = rec(m.message)
  return inner === undefined ? undefined : contentOfMessage(inner, undefined, depth + 1, way)
}

const textOfMessage = (value: unknown): string | undefined => {
  const m = rec(value)
  if (m === undefined) return undefined
  return str(m.conversation) ?? str(rec(m.extendedTextMessage)?.text) ?? str(rec(m.imageMessage)?.caption)
}

const interactive = (m: Baileys.InteractiveMessage, _depth: number, way: Way): WhatsAppEvent.MessageContent => {
  const title = text(m.header?.title)
  if ((m.nativeFlowMessage?.buttons ?? []).some((button) => orderButtons.has(button.name ?? ""))) {
    return way.make(WhatsAppEvent.CommerceContent, { kind: "order", title })
  }
  if (opt(m.shopStorefrontMessage) !== undefined || opt(m.collectionMessage) !== undefined) {
    return way.make(WhatsAppEvent.CommerceContent, { kind: "catalog", title })
  }
  return way.make(WhatsAppEvent.OtherContent, { kind: "interactiveMessage", text: text(m.body?.text) ?? title })
}

const buttonReply = (m: Baileys.ButtonsResponseMessage, _depth: number, way: Way) => {
  const label = opt(m.selectedDisplayText)
  const id = m.selectedButtonId ?? m.selectedId ?? undefined
  return label === undefined && id === undefined
    ? undefined
    : way.make(WhatsAppEvent.ButtonReplyContent, { id, label: label ?? id ?? "" })
}

const poll = (m: Baileys.PollCreationMessage, _depth: number, way: Way) =>
  way.make(WhatsAppEvent.PollContent, {
    name: m.name,
    options: (m.options ?? []).flatMap((option) => (typeof option.optionName === "string" ? [option.optionName] : [])),
    selectableCount: opt(m.selectableOptionsCount)
  })

const video = (m: Baileys.VideoMessage, videoNote: true | undefined, way: Way) =>
  way.make(WhatsAppEvent.VideoContent, { ...media(m), seconds: opt(m.seconds), gif: opt(m.gifPlayback), videoNote })

const location = (m: Baileys.LocationMessage, live: true | undefined, way: Way) =>
  way.make(WhatsAppEvent.LocationContent, {
    latitude: m.degreesLatitude,
    longitude: m.degreesLongitude,
    name: opt(m.name),
    address: opt(m.address),
    url: opt(m.url),
    live
  })

const callLog = (m: Baileys.CallLogMessage, _depth: number, way: Way) => {
  const status = callStatus(m.callOutcome)
  return status === undefined ? undefined : way.make(WhatsAppEvent.CallContent, { status, video: opt(m.isVideo) })
}

const mappers: Mappers = {
  extendedTextMessage: (m, _depth, way) =>
    way.make(WhatsAppEvent.TextContent, { text: m.text, mentions: mentionsOf(m.contextInfo) }),
  imageMessage: (m, _depth, way) => way.make(WhatsAppEvent.ImageContent, media(m)),
  audioMessage: (m, _depth, way) =>
    way.make(WhatsAppEvent.AudioContent, { ...media(m), voice: m.ptt === true, seconds: opt(m.seconds) }),
  videoMessage: (m, _depth, way) => video(m, undefined, way),
  ptvMessage: (m, _depth, way) => video(m, true, way),
  documentMessage: (m, _depth, way) =>
    way.make(WhatsAppEvent.DocumentContent, { ...media(m), fileName: opt(m.fileName), pages: opt(m.pageCount) }),
  stickerMessage: (m, _depth, way) =>
    way.make(WhatsAppEvent.StickerContent, { url: opt(m.url), mimeType: opt(m.mimetype), animated: opt(m.isAnimated) }),
  locationMessage: (m, _depth, way) => location(m, undefined, way),
  liveLocationMessage: (m, _depth, way) => location(m, true, way),
  contactMessage: (m, _depth, way) => way.make(WhatsAppEvent.ContactsContent, { contacts: [sharedContact(m, way)] }),
  contactsArrayMessage: (m, _depth, way) =>
    way.make(WhatsAppEvent.ContactsContent, { contacts: m.contacts.map((contact) => sharedContact(contact, way)) }),
  reactionMessage: (m, _depth, way) => {
    const targetId = text(m.key.id)
    return targetId === undefined
      ? undefined
      : way.make(WhatsAppEvent.ReactionContent, { emoji: m.text ?? "", targetId })
  },
  buttonsResponseMessage: buttonReply,
  templateButtonReplyMessage: buttonReply,
  interactiveResponseMessage: (m, _depth, way) => {
    const label = m.body?.text ?? m.nativeFlowResponseMessage?.name ?? undefined
    const params = parseJsonObject(opt(m.nativeFlowResponseMessage?.paramsJson))
    return label === undefined ? undefined : way.make(WhatsAppEvent.ButtonReplyContent, { id: str(params?.id), label })
  },
  listResponseMessage: (m, _depth, way) => {
    const id = opt(m.singleSelectReply?.selectedRowId)
    const title = opt(m.title)
    return title === undefined && id === undefined
      ? undefined
      : way.make(WhatsAppEvent.ListReplyContent, { id, title: title ?? id ?? "", description: opt(m.description) })
  },
  pollCreationMessage: poll,
  pollCreationMessageV2: poll,
  pollCreationMessageV3: poll,
  pollUpdateMessage: (m, _depth, way) =>
    way.make(WhatsAppEvent.PollVoteContent, {
      pollId: opt(m.pollCreationMessageKey?.id),
      selected: [...(m.vote?.selectedOptions ?? [])]
    }),
  orderMessage: (m, _depth, way) =>
    way.make(WhatsAppEvent.CommerceContent, {
      kind: "order",
      id: opt(m.orderId),
      title: m.orderTitle ?? m.message ?? undefined,
      total: thousandths(m.totalAmount1000),
      currency: opt(m.totalCurrencyCode)
    }),
  productMessage: (m, _depth, way) =>
    way.make(WhatsAppEvent.CommerceContent, {
      kind: "product",
      id: opt(m.product?.productId),
      title: opt(m.product?.title),
      total: thousandths(m.product?.priceAmount1000),
      currency: opt(m.product?.currencyCode)
    }),
  interactiveMessage: interactive,
  protocolMessage: (m, _depth, way) => {
    const targetId = opt(m.key?.id)
    switch (protocolType(m.type)) {
      case "REVOKE":
        return way.make(WhatsAppEvent.DeletionContent, { targetId })
      case "MESSAGE_EDIT": {
        const edited = textOfMessage(m.editedMessage)
        return edited === undefined ? undefined : way.make(WhatsAppEvent.EditContent, { targetId, text: edited })
      }
      case "EPHEMERAL_SETTING":
        return way.make(WhatsAppEvent.NotificationContent, { kind: "ephemeralSetting" })
      default:
        return undefined
    }
  },
  eventMessage: (m, _depth, way) =>
    way.make(WhatsAppEvent.EventContent, {
      name: m.name,
      description: opt(m.description),
      startsAt: dateOf(m.startTime)
    }),
  callLogMesssage: callLog,
  callLogMessage: callLog,
  ephemeralMessage: unwrap,
  viewOnceMessage: unwrap,
  viewOnceMessageV2: unwrap,
  viewOnceMessageV2Extension: unwrap,
  documentWithCaptionMessage: unwrap,
  editedMessage: unwrap,
  groupMentionedMessage: unwrap,
  botInvokeMessage: unwrap
}

const isMapped = (value: WhatsAppEvent.MessageContent | Mapped): value is Mapped => "content" in value

/** Decodes one kind with its schema and maps it with its mapper; `undefined` when unknown or malformed. */
const mapKind = <K extends Kind>(kind: K, value: unknown, depth: number, way: Way): Mapped | undefined => {
  const decoded = way.read(kind, value)
  if (decoded === undefined) return undefined
  const mapped = mappers[kind](decoded, depth, way)
  if (mapped === undefined || isMapped(mapped)) return mapped
  const contextInfo = (decoded as { readonly contextInfo?: Baileys.ContextInfo | null }).contextInfo ?? undefined
  return { content: mapped, contextInfo: contextInfo as Rec | undefined }
}

/** The content of one Baileys message key, or `undefined` when the kind is unknown or malformed. */
const contentOfKind = (kind: string, value: unknown, depth: number, way: Way): Mapped | undefined => {
  if (depth > 6) return undefined
  if (kind === "conversation") {
    return typeof value === "string"
      ? { content: way.make(WhatsAppEvent.TextContent, { text: value }), contextInfo: undefined }
      : undefined
  }
  return isKind(kind) ? mapKind(kind, value, depth, way) : undefined
}

/** The content of a Baileys `message` object: `preferred` first, then its keys in order. */
const contentOfMessage = (message: Rec, preferred: string | undefined, depth: number, way: Way): Mapped | undefined => {
  if (preferred !== undefined && preferred in message) {
    const mapped = contentOfKind(preferred, message[preferred], depth, way)
    if (mapped !== undefined) return mapped
  }
  for (const key of Object.keys(message)) {
    if (companionKeys.has(key) || key === preferred) continue
    const mapped = contentOfKind(key, message[key], depth, way)
    if (mapped !== undefined) return mapped
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------
// Events

interface Ctx {
  readonly payload: unknown
  readonly receivedAt: Date
  readonly instance: string | undefined
  readonly way: Way
}

const unknown = (ctx: Ctx, reason: string, timestamp?: Date): WhatsAppEvent.Unknown =>
  ctx.way.make(WhatsAppEvent.Unknown, {
    id: `${provider}:${ctx.instance ?? "-"}:unknown:${payloadHash(ctx.payload)}`,
    provider,
    instance: ctx.instance,
    timestamp: timestamp ?? ctx.receivedAt,
    raw: ctx.payload,
    reason
  })

const describeIssue = (issue: unknown): string => {
  const message = (issue instanceof Error ? issue.message : String(issue)).replace(/\s+/g, " ").trim()
  return message.length > 300 ? `${message.slice(0, 300)}…` : message
}

/** The chat of a message: `key.remoteJid`, or the phone JID Baileys pairs with a LID. */
const chatOf = (key: Rec, top: Rec): Result.Result<ChatId.ChatId, string> => {
  const remote = str(key.remoteJid) ?? ""
  const parsed = readChat(remote)
  if (parsed !== undefined) return Result.succeed(parsed)
  if (remote.trim().endsWith("@lid")) {
    const phone =
      contactOf(key.remoteJidAlt) ?? contactOf(key.senderPn) ?? contactOf(top.senderPn) ?? contactOf(top.remoteJidAlt)
    if (phone !== undefined) return Result.succeed(phone)
    return Result.fail(`the chat is a LID (${remote}) and the payload has no phone JID beside it`)
  }
  return Result.fail(`the chat id ${JSON.stringify(remote.slice(0, 100))} cannot be read`)
}

const messageEvent = (ctx: Ctx, envelope: Envelope, mapped: Mapped): WhatsAppEvent.WhatsAppEvent => {
  const make = ctx.way.make
  const top = rec(ctx.payload) ?? {}
  const key = envelope.key as Rec
  const timestamp = dateOf(envelope.messageTimestamp) ?? ctx.receivedAt
  const messageId = text(envelope.key.id)
  if (messageId === undefined) return unknown(ctx, "the message key has an empty id", timestamp)
  const chat = chatOf(key, top)
  if (Result.isFailure(chat)) return unknown(ctx, chat.failure, timestamp)
  const fromMe = envelope.key.fromMe
  const shared = chat.success._tag !== "Contact"
  const contextInfo = mapped.contextInfo
  const quotedId = text(contextInfo?.stanzaId)
  // The instance's own number is read only where it is used: reading a phone JID costs.
  const own = fromMe || quotedId !== undefined ? contactOf(envelope.jid) : undefined
  const participantPhone = shared
    ? (contactOf(key.participant) ??
      contactOf(key.participantPn) ??
      contactOf(key.participantAlt) ??
      contactOf(top.participant))
    : undefined
  const phone = fromMe ? own : shared ? participantPhone : (chat.success as ChatId.Contact)
  const lid = fromMe
    ? undefined
    : shared
      ? (lidOf(key.participantLid) ??
        lidOf(top.participantLid) ??
        lidOf(key.participant) ??
        lidOf(key.participantAlt) ??
        lidOf(key.senderLid))
      : (lidOf(key.senderLid) ??
        lidOf(top.senderLid) ??
        lidOf(top.chatLid) ??
        lidOf(key.remoteJid) ??
        lidOf(key.remoteJidAlt))
  const quotedAuthor = quotedId === undefined ? undefined : contactOf(contextInfo?.participant)
  const quoted =
    quotedId === undefined
      ? undefined
      : make(MessageRef.MessageRef, {
          chat: chat.success,
          id: quotedId,
          fromMe: own !== undefined && quotedAuthor !== undefined && own.phone === quotedAuthor.phone,
          participant: shared ? quotedAuthor : undefined
        })
  return make(WhatsAppEvent.MessageReceived, {
    id: `${provider}:${ctx.instance ?? "-"}:message:${messageId}`,
    provider,
    instance: ctx.instance,
    timestamp,
    raw: ctx.payload,
    message: make(MessageRef.MessageRef, {
      chat: chat.success,
      id: messageId,
      fromMe,
      participant: shared ? participantPhone : undefined
    }),
    chat: chat.success,
    sender: make(WhatsAppEvent.Sender, { phone, lid, name: text(envelope.pushName) }),
    fromMe,
    content: mapped.content,
    quoted,
    broadcast: envelope.broadcast === true || chat.success._tag === "Broadcast"
  })
}

const fromEnvelope = (ctx: Ctx, envelope: Envelope): WhatsAppEvent.WhatsAppEvent => {
  const { message, messageType } = envelope
  let mapped: Mapped | undefined
  if (messageType === "ephemeralMessage") {
    const inner = rec(rec(message.ephemeralMessage)?.message)
    mapped = inner === undefined ? undefined : contentOfMessage(inner, undefined, 1, ctx.way)
  } else if (messageType === "messageContextInfo") {
    mapped = contentOfMessage(message, undefined, 0, ctx.way)
  } else {
    mapped = contentOfMessage(message, messageType, 0, ctx.way)
  }
  if (mapped === undefined) {
    const keys = Object.keys(message).filter((key) => !companionKeys.has(key))
    return unknown(
      ctx,
      `Mega-API ${messageType} payload without a known content kind (message keys: ${keys.join(", ") || "none"})`,
      dateOf(envelope.messageTimestamp)
    )
  }
  return messageEvent(ctx, envelope, mapped)
}

/** Baileys' `WAMessageStatus` numbers and names, as a delivery status. */
const ackStatus = (value: unknown): WhatsAppEvent.DeliveryStatus | undefined => {
  switch (typeof value === "string" ? value.toUpperCase() : value) {
    case 0:
    case "ERROR":
      return "failed"
    case 2:
    case "SERVER_ACK":
    case "SENT":
      return "sent"
    case 3:
    case "DELIVERY_ACK":
    case "DELIVERED":
      return "delivered"
    case 4:
    case "READ":
      return "read"
    case 5:
    case "PLAYED":
      return "played"
    default:
      return undefined
  }
}

/**
 * An undocumented `message.ack` (delivery status), read leniently in Baileys' forms: the message
 * `key`, a status from `update.status` or `status` (number or name) or, for a group receipt
 * (`receipt.userJid`), from which of `playedTimestamp`/`readTimestamp`/`receiptTimestamp` it has.
 * Without a message id or a status it is `Unknown`.
 */
const ackEvent = (ctx: Ctx, body: Rec): WhatsAppEvent.WhatsAppEvent => {
  const key = rec(body.key) ?? {}
  const update = rec(body.update) ?? {}
  const receipt = rec(body.receipt) ?? {}
  const messageId = text(key.id) ?? text(body.id)
  const status =
    ackStatus(update.status) ??
    ackStatus(body.status) ??
    (receipt.playedTimestamp !== undefined
      ? "played"
      : receipt.readTimestamp !== undefined
        ? "read"
        : receipt.receiptTimestamp !== undefined
          ? "delivered"
          : undefined)
  if (messageId === undefined || status === undefined) {
    return unknown(ctx, "a Mega-API message.ack without a readable message id and status")
  }
  const chat = readChat(str(key.remoteJid) ?? "")
  const reader = contactOf(receipt.userJid) ?? contactOf(key.participant)
  const by =
    status !== "read" && status !== "played"
      ? undefined
      : reader !== undefined
        ? ctx.way.make(WhatsAppEvent.Participant, { phone: reader })
        : chat?._tag === "Contact"
          ? ctx.way.make(WhatsAppEvent.Participant, { phone: chat })
          : undefined
  const timestamp =
    dateOf(receipt.playedTimestamp ?? receipt.readTimestamp ?? receipt.receiptTimestamp) ??
    dateOf(body.messageTimestamp) ??
    ctx.receivedAt
  return ctx.way.make(WhatsAppEvent.MessageStatus, {
    id: `${provider}:${ctx.instance ?? "-"}:status:${messageId}:${status}${by instanceof WhatsAppEvent.Participant && by.phone ? `:${by.phone.phone}` : ""}`,
    provider,
    instance: ctx.instance,
    timestamp,
    raw: ctx.payload,
    messageId,
    chat,
    status,
    by
  })
}

const connectionEvent = (ctx: Ctx, body: Rec): WhatsAppEvent.ConnectionUpdate => {
  // Named reads, not a loop over field names: most of these fields are missing, and a missing
  // field costs least read by name.
  const qr = text(body.qrcode) ?? text(body.qrCode) ?? text(body.qr) ?? text(body.base64)
  const said = (text(body.connection) ?? text(body.state) ?? text(body.status) ?? text(body.message))?.toLowerCase()
  const state =
    qr !== undefined
      ? "qr"
      : said === "open" || said === "connected" || said === "phone_connected"
        ? "connected"
        : "disconnected"
  return ctx.way.make(WhatsAppEvent.ConnectionUpdate, {
    id: `${provider}:${ctx.instance ?? "-"}:connection:${payloadHash(ctx.payload)}`,
    provider,
    instance: ctx.instance,
    timestamp: ctx.receivedAt,
    raw: ctx.payload,
    state,
    qr,
    reason: text(body.reason),
    phone: contactOf(body.jid)
  })
}

/**
 * The decoder's fast path: the compiled guards of the same schemas (`SchemaGuard`), read from the
 * payload itself. It answers only where it gives the events `bySchemas` gives — a payload the
 * Baileys envelope or its `messageType`'s schema accepts, read into a message (or into `Unknown`
 * when the modelled schema accepts it too) — and leaves the rest (`undefined`) to `bySchemas`,
 * whose `Unknown` names the schema's complaint.
 */
const fast = (ctx: Ctx, body: Rec, messageType: unknown): WhatsAppEvent.WhatsAppEvent | undefined => {
  if (typeof messageType !== "string") {
    if ("messageType" in body || "key" in body || "message" in body) return undefined
    const instanceEvent = text(body.instance_key) !== undefined && connectionGuards.some((isEvent) => isEvent(body))
    return instanceEvent ? connectionEvent(ctx, body) : undefined
  }
  const modelled = messageGuardOf.get(messageType)
  if (!isBaileysEnvelope(body) && modelled?.(body) !== true) return undefined
  const event = fromEnvelope(ctx, body as unknown as Envelope)
  return event._tag !== "Unknown" || modelled === undefined || modelled(body) ? event : undefined
}

/**
 * The reference path: the envelope checked with Effect Schema's decoder of its generated schema,
 * the content read and the event built the context's way (`decoderBySchemas`: every part through
 * Effect Schema; `decoder`, for what `fast` left: its guards and `makeTrusted`, which give the same).
 */
const bySchemas = (ctx: Ctx, body: Rec, messageType: unknown): WhatsAppEvent.WhatsAppEvent => {
  // Dispatch on `messageType`: one schema, not all of them.
  const modelled = typeof messageType === "string" ? messageDecoderOf.get(messageType) : undefined
  let issue: unknown
  if (modelled !== undefined) {
    const decoded = modelled(ctx.payload)
    // Read as the vendor wrote it, like the content (see `readBySchema`).
    if (Result.isSuccess(decoded)) return fromEnvelope(ctx, body as unknown as Envelope)
    issue = decoded.failure
  }
  const timestamp = dateOf(body.messageTimestamp)
  if ("messageType" in body || "key" in body || "message" in body) {
    // A modelled `messageType` whose body is another kind (an `extendedTextMessage` holding
    // `conversation`, live traffic) is read like any Baileys envelope, by its content.
    const baileys = decodeBaileysEnvelope(ctx.payload)
    const read = Result.isSuccess(baileys) ? fromEnvelope(ctx, body as unknown as Envelope) : undefined
    if (read !== undefined && (read._tag !== "Unknown" || issue === undefined)) return read
    const why =
      issue === undefined
        ? "not a Mega-API message payload"
        : `Mega-API ${String(messageType)} payload does not match the spec`
    return unknown(
      ctx,
      `${why}: ${describeIssue(issue ?? (Result.isFailure(baileys) ? baileys.failure : ""))}`,
      timestamp
    )
  }
  const instanceKey = text(body.instance_key)
  if (instanceKey !== undefined && connectionDecoders.some((decoder) => Result.isSuccess(decoder(ctx.payload)))) {
    return connectionEvent(ctx, body)
  }
  return unknown(ctx, "neither a Mega-API message (messageType, key, message) nor an instance event (instance_key)")
}

const decodeUnsafe = (ctx: Ctx): ReadonlyArray<WhatsAppEvent.WhatsAppEvent> => {
  const body = rec(ctx.payload)
  if (body === undefined) {
    const what = Array.isArray(ctx.payload) ? "an array" : ctx.payload === null ? "null" : typeof ctx.payload
    return [unknown(ctx, `a Mega-API webhook is a JSON object, got ${what}`)]
  }
  const messageType = body.messageType
  if (messageType === liveTrafficWebhooks.connectionStatus) return [connectionEvent(ctx, body)]
  if (messageType === liveTrafficWebhooks.messageAck) return [ackEvent(ctx, body)]
  return [(ctx.way === byGuardsWay ? fast(ctx, body, messageType) : undefined) ?? bySchemas(ctx, body, messageType)]
}

const contextOf = (payload: unknown, context: WebhookDecoder.Context, way: Way): Ctx => ({
  payload,
  receivedAt: context.receivedAt,
  instance: text(rec(payload)?.instance_key) ?? context.instance,
  way
})

/**
 * The same decoder, decoding every part with Effect Schema's decoder of its generated schema
 * rather than the compiled guards: slower, with the same events (the property tests compare them).
 */
export const decoderBySchemas: WebhookDecoder.WebhookDecoder = WebhookDecoder.make({
  provider,
  decode: (payload, context) => decodeUnsafe(contextOf(payload, context, bySchemasWay))
})

/** The Mega-API decoder for `WebhookReceiver`: never throws (see `WebhookDecoder.make`). */
export const decoder: WebhookDecoder.WebhookDecoder = WebhookDecoder.make({
  provider,
  decode: (payload, context) => decodeUnsafe(contextOf(payload, context, byGuardsWay))
})

/**
 * Decodes one Mega-API webhook payload (the parsed JSON body) into events: always at least one,
 * never throws. `context.receivedAt` dates the events whose payload has no timestamp.
 */
export const decode = (
  payload: unknown,
  context?: Partial<WebhookDecoder.Context>
): ReadonlyArray<WhatsAppEvent.WhatsAppEvent> =>
  decoder.decode(payload, { receivedAt: context?.receivedAt ?? new Date(), instance: context?.instance })
