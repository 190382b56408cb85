/**
 * Z-API's webhook payloads as Pombo events. `decode` turns one payload into `WhatsAppEvent`s and
 * never throws: whatever it cannot read becomes one `Unknown` event that keeps the payload as
 * `raw` and says why. `decoder` is the value to hand to `WebhookReceiver`.
 *
 * **How a payload is recognised.** Each documented webhook has its own generated schema
 * (`webhooks` in the generated module). `webhookOf` names the one a payload can be from its
 * discriminating fields — `type`, then for a `ReceivedCallback` its `notification` (an undocumented
 * value goes to `receivedOtherNotification`, a notification of that raw type: the set is open) or
 * its content key — and the payload is checked against that schema alone (generated `parseOptions`,
 * open objects: keys the vendor adds later do not break decoding). The schemas are tolerant: a
 * message needs only its chat (`phone`) and content key; optional fields may be `null`.
 *
 * **Fast path.** Each schema is compiled on first use to a plain check (`internal/guard.ts`) that
 * accepts exactly what Effect's decoder accepts; the schemas transform nothing, so the payload is
 * then mapped as it is, and events are built with `WhatsAppEvent.makeTrusted` from values checked
 * here. `ZApiWebhookGuard.test.ts` proves both against the generated schemas on arbitrary payloads.
 *
 * **Event ids** (for dropping redeliveries) are stable and name the instance (the payload's
 * `instanceId`, else the receiver's `Context.instance`, else `-`), so one group message seen by two
 * instances is two events: `zapi:<instance>:<rest>` where `<rest>` is
 * - messages: `<webhook>:<messageId>`, edits `edit:<messageId>:<momment>`, calls
 *   `receivedCall:<callId>:<notification>`, notifications that share a message id
 *   `<webhook>:<messageId>:<notification>`;
 * - statuses: `status:<messageId>:<vendor status>` (one event per id of `ids`), deliveries
 *   `delivery:<messageId>` (`:failed` when the callback carries an `error`). `READ_BY_ME` (the
 *   connected phone read an incoming message) maps to `read` with `by: "me"`; a group READ or
 *   PLAYED names the member (`participant`, a number or a LID) in `by`;
 * - payloads without a message id: `presence:<hash>`, `connected:<hash>`, `disconnected:<hash>`,
 *   `unknown:<hash>`, and `<webhook>:<hash>` for the profile and label notifications (whose
 *   `message.id` is then that id), where `<hash>` is the SHA-256 of the payload's canonical JSON
 *   (keys sorted). Two identical presence updates therefore share an id.
 *
 * **Times.** Z-API calls the field `momment` and mostly sends Unix milliseconds, but the
 * disconnected callback sends seconds (`1580163342`). A number below 10^12 is read as seconds
 * (10^12 ms is September 2001, 10^12 s is far in the future), anything else as milliseconds.
 * Payloads without a usable time (delivery and presence callbacks) get `context.receivedAt`, or
 * the current time.
 *
 * **Normalisation.** Chats go through `ChatId.parse` (phones get the Brazilian ninth digit,
 * `…-group` ids become groups, `…-broadcast` broadcast lists, `…@newsletter` channels — `Newsletter`,
 * with `broadcast: true`); a message whose chat cannot be read becomes `Unknown`. The sender is the group participant
 * (`participantPhone`/`participantLid`), the connected number for own messages, or the contact of a
 * one-to-one chat (`senderLid`, or `chatLid` where the vendor sends that instead); LIDs are written
 * `<digits>@lid`, as the Mega-API decoder does. `quoted` is the message a reply answers
 * (`referenceMessageId`; Z-API does not say who wrote it, so `fromMe` is true only for button and
 * list replies, which answer the instance's own message) or the message a reaction, pin or event answer refers to. A reply to a
 * status (`isStatusReply`) quotes a message of the `status` broadcast (its id is
 * `referenceMessageId`, or `unknown` when the vendor does not send it). An edit (`isEdit`) becomes
 * `Edit` content targeting `editMessageId` (or `messageId` when absent), a `ptv` round video a
 * `Video` with `videoNote`, a `liveLocation` a live `Location`, a media whose URL is `null`
 * (`downloadError`) the same content without `url`, `CALL_VIDEO` an offered video `Call`, group
 * members known only by LID `Participant`s with a `lid`, a `REVOKE` notification `Deletion`; the click-to-WhatsApp ad a message came from
 * is read with `adReplyOf`. Z-API has no message wrappers: view-once and disappearing messages
 * arrive as their plain content.
 */
import {
  ChatId,
  EpochDate,
  MessageRef,
  PayloadHash,
  VCard,
  WebhookDecoder,
  WhatsAppEvent,
  WhatsAppId
} from "@pombo/core"
import * as HttpClientRuntime from "@pombo/core/HttpClientRuntime"
import { Option, Schema } from "effect"
import * as ZApi from "./generated/ZApi.ts"
import { guard } from "./internal/guard.ts"
import { StringSet } from "./internal/StringSet.ts"
import { chatOf, contactOf } from "./internal/wire.ts"
import { provider } from "./ZApiError.ts"

type Webhooks = typeof ZApi.webhooks
type WebhookName = keyof Webhooks
type Payload<K extends WebhookName> = Webhooks[K]["Type"]

type Event = WhatsAppEvent.WhatsAppEvent
type Content = WhatsAppEvent.MessageContent
type Chat = ChatId.ChatId

interface Ctx {
  readonly raw: unknown
  readonly instance: string | undefined
  readonly receivedAt: Date
}

/** Thrown inside a mapper to turn the payload into `Unknown` with this reason. */
class Unrecognised {
  readonly reason: string
  constructor(reason: string) {
    this.reason = reason
  }
}

// ---------------------------------------------------------------------------------------------
// Small readers

const nonEmpty = (value: string | null | undefined): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value : undefined

/**
 * Events and their parts are built from values this module has read and checked itself, so they
 * skip the constructors' schema pass (`WhatsAppEvent.makeTrusted`); what a constructor would
 * check — non-empty message ids, finite numbers, `ChatId` shapes — is checked here.
 */
const make = WhatsAppEvent.makeTrusted

/** A number the event model requires finite (JSON cannot carry others; a caller's object can). */
const finite = (value: number, field: string): number => {
  if (!Number.isFinite(value)) throw new Unrecognised(`${field} is not a finite number`)
  return value
}

/** A message reference; its id must be non-empty, as `MessageRef` requires. */
const messageRef = (fields: ConstructorParameters<typeof MessageRef.MessageRef>[0]): MessageRef.MessageRef => {
  if (fields.id === "") throw new Unrecognised("an empty message id")
  return make(MessageRef.MessageRef, fields)
}

const toDate = EpochDate.fromEpoch

const timestampOf = (ctx: Ctx, value: unknown): Date => toDate(value) ?? ctx.receivedAt

const requireChat = (input: string): Chat => {
  const chat = chatOf(input)
  if (chat === undefined) throw new Unrecognised(`unreadable chat: ${JSON.stringify(input.slice(0, 100))}`)
  return chat
}

const lidOf = WhatsAppId.lid
const hashOf = PayloadHash.of

const unknownEvent = (ctx: Ctx, reason: string): WhatsAppEvent.Unknown =>
  WebhookDecoder.unknown(provider, ctx.raw, ctx, reason)

/** Event ids name the instance (`zapi:<instance>:…`): two instances in one group see one message twice. */
const envelope = (ctx: Ctx, id: string, timestamp: Date, instanceId: string | null | undefined) => {
  const instance = nonEmpty(instanceId) ?? ctx.instance
  return { id: `${provider}:${instance ?? "-"}:${id}`, provider, instance, timestamp, raw: ctx.raw }
}

/** A group member as Z-API names one: a number, or a LID (`…@lid`). */
const participantOf = (value: unknown): WhatsAppEvent.Participant | undefined => {
  if (typeof value !== "string") return undefined
  if (value.endsWith("@lid")) {
    const lid = lidOf(value)
    return lid === undefined ? undefined : make(WhatsAppEvent.Participant, { lid })
  }
  const phone = contactOf(value)
  return phone === undefined ? undefined : make(WhatsAppEvent.Participant, { phone })
}

/** Every distinct member among `values`, in order, in one pass. */
const participantsOf = (values: ReadonlyArray<unknown> | null | undefined): Array<WhatsAppEvent.Participant> => {
  const out: Array<WhatsAppEvent.Participant> = []
  if (values === null || values === undefined) return out
  const seen = new StringSet(values.length)
  for (const value of values) {
    const read = participantOf(value)
    // A member read from one value has a phone or a LID (`…@lid`): one key space.
    if (read !== undefined && seen.add(read.phone === undefined ? (read.lid as string) : read.phone.phone)) {
      out.push(read)
    }
  }
  return out
}

/** The member named by a number and/or a LID, when either is readable. */
const memberOf = (phone: unknown, lid: unknown): WhatsAppEvent.Participant | undefined => {
  const contact = contactOf(phone)
  const readLid = lidOf(lid)
  return contact === undefined && readLid === undefined
    ? undefined
    : make(WhatsAppEvent.Participant, {
        ...(contact === undefined ? {} : { phone: contact }),
        ...(readLid === undefined ? {} : { lid: readLid })
      })
}

// ---------------------------------------------------------------------------------------------
// ReceivedCallback: fields every kind shares

type Received = Payload<
  Exclude<WebhookName, "delivery" | "messageStatus" | "presenceChat" | "connected" | "disconnected">
>

type ReferencedMessage = ZApi.ReceivedReferencedMessage

interface MessageParts {
  readonly content: Content
  /** Overrides the message's event id (calls, edits). */
  readonly id?: string
  readonly quoted?: MessageRef.MessageRef
  /** The replied-to message is the instance's own (button and list replies). */
  readonly quotesOwnMessage?: boolean
}

const statusBroadcast = new ChatId.Broadcast({ id: "status" })

const refOf = (chat: Chat, referenced: ReferencedMessage): MessageRef.MessageRef => {
  const own = nonEmpty(referenced.phone)
  const refChat = own === undefined ? undefined : chatOf(own)
  const participant = contactOf(referenced.participant)
  return messageRef({
    chat: refChat ?? chat,
    id: referenced.messageId,
    fromMe: referenced.fromMe ?? false,
    participant
  })
}

const messageEvent = (ctx: Ctx, name: WebhookName, payload: Received, parts: MessageParts): Event => {
  const chat = requireChat(payload.phone)
  const isGroup = chat._tag === "Group"
  const fromMe = payload.fromMe === true
  const isChannel = payload.isNewsletter === true || chat._tag === "Newsletter"
  const participant = isGroup ? contactOf(payload.participantPhone) : undefined
  const messageId = nonEmpty(payload.messageId)
  const eventId = parts.id ?? `${name}:${messageId ?? hashOf(ctx.raw)}`

  const phone = fromMe
    ? contactOf(payload.connectedPhone)
    : isGroup || chat._tag !== "Contact"
      ? contactOf(payload.participantPhone)
      : chat
  const lid =
    (isGroup ? lidOf(payload.participantLid) : undefined) ??
    lidOf(payload.senderLid) ??
    (!isGroup && !fromMe ? lidOf(payload.chatLid) : undefined)
  const name_ = nonEmpty(payload.senderName)

  const reference = nonEmpty(payload.referenceMessageId)
  const quoted =
    payload.isStatusReply === true
      ? messageRef({ chat: statusBroadcast, id: reference ?? "unknown", fromMe: true })
      : (parts.quoted ??
        (reference === undefined
          ? undefined
          : messageRef({ chat, id: reference, fromMe: parts.quotesOwnMessage ?? false })))

  return make(WhatsAppEvent.MessageReceived, {
    ...envelope(ctx, eventId, timestampOf(ctx, payload.momment), payload.instanceId),
    // Profile and label notifications carry no message id: the event's hash stands in for it.
    message: messageRef({ chat, id: messageId ?? eventId, fromMe, participant }),
    chat,
    sender: make(WhatsAppEvent.Sender, { phone, lid, name: name_ }),
    fromMe,
    content: parts.content,
    quoted,
    broadcast: isChannel || chat._tag === "Broadcast"
  })
}

// ---------------------------------------------------------------------------------------------
// Content

const optional = <K extends string, V>(key: K, value: V | undefined | null): { [P in K]?: V } =>
  (value === undefined || value === null || (typeof value === "string" && value === "") ? {} : { [key]: value }) as {
    [P in K]?: V
  }

/** A value to keep, or `undefined` for `null` and the empty string (`makeTrusted` leaves `undefined` out). */
const present = <V>(value: V | null | undefined): V | undefined =>
  value === null || (typeof value === "string" && value === "") ? undefined : value

const imageContent = (image: ZApi.ReceivedImageContent, caption?: string) =>
  make(WhatsAppEvent.ImageContent, {
    url: present(image.imageUrl),
    mimeType: present(image.mimeType),
    caption: present(nonEmpty(image.caption) ?? nonEmpty(caption))
  })

const videoContent = (video: ZApi.ReceivedVideoContent, caption?: string) =>
  make(WhatsAppEvent.VideoContent, {
    url: present(video.videoUrl),
    mimeType: present(video.mimeType),
    caption: present(nonEmpty(video.caption) ?? nonEmpty(caption)),
    seconds: present(video.seconds && video.seconds > 0 ? video.seconds : undefined)
  })

const documentContent = (document: ZApi.ReceivedDocumentContent, caption?: string) =>
  make(WhatsAppEvent.DocumentContent, {
    url: present(document.documentUrl),
    mimeType: present(document.mimeType),
    caption: present(nonEmpty(document.caption) ?? nonEmpty(caption)),
    fileName: present(nonEmpty(document.fileName) ?? nonEmpty(document.title)),
    pages: present(document.pageCount && document.pageCount > 0 ? document.pageCount : undefined)
  })

const locationContent = (location: ZApi.ReceivedLocationContent) =>
  make(WhatsAppEvent.LocationContent, {
    latitude: finite(location.latitude, "latitude"),
    longitude: finite(location.longitude, "longitude"),
    name: present(nonEmpty(location.name)),
    address: present(nonEmpty(location.address)),
    url: present(nonEmpty(location.url))
  })

const textContent = (text: string) => make(WhatsAppEvent.TextContent, { text })

const other = (kind: string, text?: string | null) =>
  make(WhatsAppEvent.OtherContent, { kind, text: present(nonEmpty(text)) })

const notification = (kind: string, participants?: ReadonlyArray<unknown> | null) => {
  const members = participantsOf(participants).map((member) => member.phone?.phone ?? member.lid ?? "")
  return make(WhatsAppEvent.NotificationContent, {
    kind,
    ...(members.length === 0 ? {} : { participants: members })
  })
}

/**
 * An edit (`isEdit`) of a text or a caption becomes `Edit` of `editMessageId` (live traffic gives
 * the edit its own id), or of `messageId` when the vendor keeps the id; other kinds keep their content.
 */
const editOr = (payload: Received, text: string | null | undefined, content: Content): MessageParts => {
  const messageId = nonEmpty(payload.messageId)
  const targetId = nonEmpty(payload.editMessageId) ?? messageId
  return payload.isEdit === true && typeof text === "string"
    ? {
        content: make(WhatsAppEvent.EditContent, { targetId: present(targetId), text }),
        id: `edit:${messageId ?? "-"}:${payload.momment ?? "-"}`
      }
    : { content }
}

const callStatus = {
  CALL_VOICE: { status: "offered", video: false },
  CALL_VIDEO: { status: "offered", video: true },
  CALL_MISSED_VOICE: { status: "missed", video: false },
  CALL_MISSED_VIDEO: { status: "missed", video: true }
} as const

// ---------------------------------------------------------------------------------------------
// One mapper per documented webhook

type Mappers = { readonly [K in WebhookName]: (payload: Payload<K>, ctx: Ctx) => ReadonlyArray<Event> }

const message =
  <K extends WebhookName>(name: K, parts: (payload: Payload<K> & Received) => MessageParts) =>
  (payload: Payload<K>, ctx: Ctx): ReadonlyArray<Event> => {
    const received = payload as Payload<K> & Received
    return [messageEvent(ctx, name, received, parts(received))]
  }

const deliveryStatus = {
  SENT: "sent",
  RECEIVED: "delivered",
  READ: "read",
  READ_BY_ME: "read",
  PLAYED: "played"
} as const

const presences = {
  AVAILABLE: "available",
  UNAVAILABLE: "unavailable",
  COMPOSING: "composing",
  PAUSED: "paused",
  RECORDING: "recording"
} as const

const groupActions = {
  GROUP_PARTICIPANT_ADD: "add",
  GROUP_PARTICIPANT_REMOVE: "remove",
  GROUP_PARTICIPANT_LEAVE: "remove",
  GROUP_CREATE: "other"
} as const

const mappers: Mappers = {
  delivery: (payload, ctx) => {
    const messageId = nonEmpty(payload.messageId) ?? payload.zaapId
    const error = nonEmpty(typeof payload.error === "string" ? payload.error : undefined)
    const chat = chatOf(payload.phone)
    return [
      make(WhatsAppEvent.MessageStatus, {
        ...envelope(
          ctx,
          `delivery:${messageId}${error === undefined ? "" : ":failed"}`,
          ctx.receivedAt,
          payload.instanceId
        ),
        messageId,
        chat,
        status: error === undefined ? "sent" : "failed",
        error: present(error)
      })
    ]
  },
  messageStatus: (payload, ctx) => {
    const chat = chatOf(payload.phone)
    // READ_BY_ME: the connected number read it (`participant` is then the message's author).
    // Otherwise a group names the member who read or played it; in a one-to-one chat it is the contact.
    const by: WhatsAppEvent.MessageStatus["by"] =
      payload.status === "READ_BY_ME"
        ? "me"
        : payload.status !== "READ" && payload.status !== "PLAYED"
          ? undefined
          : chat?._tag === "Contact"
            ? make(WhatsAppEvent.Participant, { phone: chat })
            : participantOf(payload.participant)
    const ids = [...payload.ids, ...(nonEmpty(payload.id) === undefined ? [] : [payload.id!])]
      .filter((id) => nonEmpty(id) !== undefined)
      .filter((id, i, all) => all.indexOf(id) === i)
    if (ids.length === 0) throw new Unrecognised("a MessageStatusCallback without message ids")
    return ids.map((messageId) =>
      make(WhatsAppEvent.MessageStatus, {
        ...envelope(
          ctx,
          `status:${messageId}:${payload.status}`,
          timestampOf(ctx, payload.momment),
          payload.instanceId
        ),
        messageId,
        chat,
        status: deliveryStatus[payload.status],
        by: present(by)
      })
    )
  },
  presenceChat: (payload, ctx) => {
    const lastSeen = toDate(payload.lastSeen)
    return [
      make(WhatsAppEvent.PresenceUpdate, {
        ...envelope(ctx, `presence:${hashOf(ctx.raw)}`, ctx.receivedAt, payload.instanceId),
        chat: requireChat(payload.phone),
        presence: presences[payload.status],
        lastSeen: present(lastSeen)
      })
    ]
  },
  connected: (payload, ctx) => [
    make(WhatsAppEvent.ConnectionUpdate, {
      ...envelope(ctx, `connected:${hashOf(ctx.raw)}`, timestampOf(ctx, payload.momment), payload.instanceId),
      state: payload.connected ? "connected" : "disconnected",
      phone: present(contactOf(payload.phone))
    })
  ],
  disconnected: (payload, ctx) => [
    make(WhatsAppEvent.ConnectionUpdate, {
      ...envelope(ctx, `disconnected:${hashOf(ctx.raw)}`, timestampOf(ctx, payload.momment), payload.instanceId),
      state: "disconnected",
      reason: present(nonEmpty(payload.error))
    })
  ],
  receivedText: message("receivedText", (p) => editOr(p, p.text.message, textContent(p.text.message))),
  receivedTemplate: message("receivedTemplate", (p) => {
    const { header, message: text } = p.hydratedTemplate
    if (header?.image) return { content: imageContent(header.image, text) }
    if (header?.video) return { content: videoContent(header.video, text) }
    if (header?.document) return { content: documentContent(header.document, text) }
    if (header?.location) return { content: locationContent(header.location) }
    return { content: textContent(text) }
  }),
  receivedReaction: message("receivedReaction", (p) => {
    const quoted = refOf(requireChat(p.phone), p.reaction.referencedMessage)
    return {
      content: make(WhatsAppEvent.ReactionContent, {
        emoji: p.reaction.value,
        targetId: p.reaction.referencedMessage.messageId
      }),
      quoted
    }
  }),
  receivedButtonResponse: message("receivedButtonResponse", (p) => ({
    content: new WhatsAppEvent.ButtonReplyContent({
      id: p.buttonsResponseMessage.buttonId,
      label: p.buttonsResponseMessage.message ?? ""
    }),
    quotesOwnMessage: true
  })),
  receivedListResponse: message("receivedListResponse", (p) => {
    const reply = p.listResponseMessage
    return {
      content: new WhatsAppEvent.ListReplyContent({
        id: reply.selectedRowId,
        title: nonEmpty(reply.title) ?? reply.message ?? "",
        ...optional("description", nonEmpty(reply.title) === undefined ? undefined : nonEmpty(reply.message))
      }),
      quotesOwnMessage: true
    }
  }),
  receivedButtons: message("receivedButtons", (p) => {
    const buttons = p.buttonsMessage
    const text = buttons.message ?? ""
    const imageUrl = nonEmpty(buttons.imageUrl)
    const videoUrl = nonEmpty(buttons.videoUrl)
    if (imageUrl !== undefined) {
      return { content: new WhatsAppEvent.ImageContent({ url: imageUrl, ...optional("caption", text) }) }
    }
    if (videoUrl !== undefined) {
      return { content: new WhatsAppEvent.VideoContent({ url: videoUrl, ...optional("caption", text) }) }
    }
    return { content: textContent(text) }
  }),
  receivedPixKey: message("receivedPixKey", (p) => ({ content: other("pixKey", p.pixKeyMessage.key) })),
  receivedCarousel: message("receivedCarousel", (p) => ({ content: other("carousel", p.carouselMessage.text) })),
  receivedImage: message("receivedImage", (p) => editOr(p, p.image.caption, imageContent(p.image))),
  receivedAudio: message("receivedAudio", (p) => ({
    content: make(WhatsAppEvent.AudioContent, {
      url: present(p.audio.audioUrl),
      mimeType: present(p.audio.mimeType),
      voice: p.audio.ptt === true,
      seconds: present(p.audio.seconds && p.audio.seconds > 0 ? p.audio.seconds : undefined)
    })
  })),
  receivedVideo: message("receivedVideo", (p) => editOr(p, p.video.caption, videoContent(p.video))),
  receivedContact: message("receivedContact", (p) => ({
    content: new WhatsAppEvent.ContactsContent({
      contacts: [
        new WhatsAppEvent.SharedContact({
          name: p.contact.displayName,
          phones: p.contact.phones ?? VCard.phones(p.contact.vCard),
          vcard: p.contact.vCard
        })
      ]
    })
  })),
  receivedDocument: message("receivedDocument", (p) =>
    editOr(p, p.document.caption ?? undefined, documentContent(p.document))
  ),
  receivedLocation: message("receivedLocation", (p) => ({ content: locationContent(p.location) })),
  receivedSticker: message("receivedSticker", (p) => ({
    content: make(WhatsAppEvent.StickerContent, {
      url: present(p.sticker.stickerUrl),
      mimeType: present(p.sticker.mimeType)
    })
  })),
  receivedPtv: message("receivedPtv", (p) =>
    editOr(
      p,
      p.ptv.caption,
      make(WhatsAppEvent.VideoContent, {
        url: present(p.ptv.ptvUrl),
        mimeType: present(p.ptv.mimeType),
        caption: present(nonEmpty(p.ptv.caption)),
        seconds: present(p.ptv.seconds && p.ptv.seconds > 0 ? p.ptv.seconds : undefined),
        videoNote: true
      })
    )
  ),
  receivedLiveLocation: message("receivedLiveLocation", (p) => ({
    content: make(WhatsAppEvent.LocationContent, {
      latitude: finite(p.liveLocation.latitude, "latitude"),
      longitude: finite(p.liveLocation.longitude, "longitude"),
      name: present(nonEmpty(p.liveLocation.caption)),
      live: true
    })
  })),
  receivedOtherNotification: message("receivedOtherNotification", (p) => ({
    content: notification(p.notification, p.notificationParameters),
    id: `receivedOtherNotification:${nonEmpty(p.messageId) ?? hashOf(p)}:${p.notification}`
  })),
  receivedPaymentRequest: message("receivedPaymentRequest", (p) => ({
    content: other("paymentRequest", `${p.requestPayment.value} ${p.requestPayment.currencyCode}`)
  })),
  receivedPayment: message("receivedPayment", (p) => ({
    content: other(
      "payment",
      p.sendPayment.paymentInfo.value === undefined
        ? undefined
        : `${p.sendPayment.paymentInfo.value} ${p.sendPayment.paymentInfo.currencyCode ?? ""}`.trim()
    )
  })),
  receivedProduct: message("receivedProduct", (p) => ({
    content: new WhatsAppEvent.CommerceContent({
      kind: "product",
      id: p.product.productId,
      ...optional("title", nonEmpty(p.product.title)),
      ...optional("total", p.product.price),
      ...optional("currency", nonEmpty(p.product.currencyCode))
    })
  })),
  receivedOrder: message("receivedOrder", (p) => ({
    content: new WhatsAppEvent.CommerceContent({
      kind: "order",
      id: p.order.orderId,
      ...optional("title", nonEmpty(p.order.orderTitle)),
      ...optional("total", p.order.total),
      ...optional("currency", nonEmpty(p.order.currency))
    })
  })),
  receivedReviewAndPay: message("receivedReviewAndPay", (p) => ({
    content: new WhatsAppEvent.CommerceContent({
      kind: "order",
      id: p.reviewAndPay.referenceId,
      ...optional("total", p.reviewAndPay.total),
      ...optional("currency", nonEmpty(p.reviewAndPay.currency))
    })
  })),
  receivedReviewOrder: message("receivedReviewOrder", (p) => ({
    content: new WhatsAppEvent.CommerceContent({
      kind: "order",
      id: p.reviewOrder.referenceId,
      ...optional("total", p.reviewOrder.total),
      ...optional("currency", nonEmpty(p.reviewOrder.currency))
    })
  })),
  receivedPoll: message("receivedPoll", (p) => ({
    content: new WhatsAppEvent.PollContent({
      name: p.poll.question,
      options: p.poll.options.map((option) => option.name),
      // 0 means "no limit" at Z-API.
      ...optional(
        "selectableCount",
        p.poll.pollMaxOptions && p.poll.pollMaxOptions > 0 ? p.poll.pollMaxOptions : undefined
      )
    })
  })),
  receivedPollVote: message("receivedPollVote", (p) => ({
    content: new WhatsAppEvent.PollVoteContent({
      pollId: p.pollVote.pollMessageId,
      selected: p.pollVote.options.map((option) => option.name)
    })
  })),
  receivedNewsletterAdminInvite: message("receivedNewsletterAdminInvite", (p) => ({
    content: other("newsletterAdminInvite", p.newsletterAdminInvite.text ?? p.newsletterAdminInvite.newsletterName)
  })),
  receivedPinMessage: message("receivedPinMessage", (p) => {
    const quoted = refOf(requireChat(p.phone), p.pinMessage.referencedMessage)
    return {
      content: other("pinMessage", p.pinMessage.action),
      quoted
    }
  }),
  receivedEvent: message("receivedEvent", (p) => {
    const startsAt = toDate(p.event.scheduleTime)
    return {
      content: new WhatsAppEvent.EventContent({
        name: p.event.name,
        ...optional("description", nonEmpty(p.event.description)),
        ...optional("startsAt", startsAt)
      })
    }
  }),
  receivedEventResponse: message("receivedEventResponse", (p) => {
    const quoted = refOf(requireChat(p.phone), p.eventResponse.referencedMessage)
    return {
      content: other("eventResponse", p.eventResponse.response),
      quoted
    }
  }),
  receivedWaitingMessage: message("receivedWaitingMessage", () => ({ content: other("waitingMessage") })),
  receivedCall: message("receivedCall", (p) => ({
    content: make(WhatsAppEvent.CallContent, callStatus[p.notification]),
    id: `receivedCall:${p.callId}:${p.notification}`
  })),
  receivedPaymentNotification: message("receivedPaymentNotification", (p) => ({
    content: notification(p.notification, p.notificationParameters)
  })),
  receivedGroupMembershipRequest: message("receivedGroupMembershipRequest", (p) => ({
    content: notification(p.notification, p.notificationParameters),
    id: `receivedGroupMembershipRequest:${nonEmpty(p.messageId) ?? hashOf(p)}:${p.notification}`
  })),
  receivedGroupNotification: (payload, ctx) => {
    const group = requireChat(payload.phone)
    const by = memberOf(payload.participantPhone, payload.participantLid)
    const id = `receivedGroupNotification:${nonEmpty(payload.messageId) ?? hashOf(ctx.raw)}:${payload.notification}`
    return [
      make(WhatsAppEvent.GroupUpdate, {
        ...envelope(ctx, id, timestampOf(ctx, payload.momment), payload.instanceId),
        group,
        action: groupActions[payload.notification],
        participants: payload.notification === "GROUP_CREATE" ? [] : participantsOf(payload.notificationParameters),
        by: present(by)
      })
    ]
  },
  receivedNewsletterAdminChange: message("receivedNewsletterAdminChange", (p) => ({
    content: notification(p.notification, p.notificationParameters),
    id: `receivedNewsletterAdminChange:${nonEmpty(p.messageId) ?? hashOf(p)}:${p.notification}`
  })),
  receivedProfileNameUpdate: message("receivedProfileNameUpdate", (p) => ({
    content: notification(p.notification)
  })),
  receivedProfilePictureUpdate: message("receivedProfilePictureUpdate", (p) => ({
    content: notification(p.notification)
  })),
  receivedChatLabelAssociation: message("receivedChatLabelAssociation", (p) => ({
    content: notification(
      p.notification,
      p.notificationParameters.map((entry) => entry.phone)
    )
  })),
  receivedSystemNotification: message("receivedSystemNotification", (p) => ({
    content: notification(p.notification, p.notificationParameters)
  })),
  receivedRevoke: message("receivedRevoke", (p) => ({
    content: make(WhatsAppEvent.DeletionContent, { targetId: present(nonEmpty(p.messageId)) })
  }))
}

// ---------------------------------------------------------------------------------------------
// The decoders, compiled on first use

interface Compiled {
  readonly run: (payload: unknown, ctx: Ctx) => ReadonlyArray<Event> | undefined
}

/**
 * The decoder of one webhook: its generated schema compiled to a check (`internal/guard.ts`), and
 * the mapper applied to the payload itself — the schemas transform nothing, so the payload is
 * what decoding would answer. A schema the guard cannot compile keeps Effect's decoder.
 */
const compile = <K extends WebhookName>(name: K): Compiled => {
  const map = mappers[name] as (payload: Payload<K>, ctx: Ctx) => ReadonlyArray<Event>
  const accepts = guard(ZApi.webhooks[name])
  if (accepts !== undefined) {
    return { run: (payload, ctx) => (accepts(payload) ? map(payload as Payload<K>, ctx) : undefined) }
  }
  const decodePayload: (input: unknown) => Option.Option<Payload<K>> = Schema.decodeUnknownOption(
    ZApi.webhooks[name],
    HttpClientRuntime.parseOptions
  )
  return {
    run: (payload, ctx) => Option.getOrUndefined(Option.map(decodePayload(payload), (decoded) => map(decoded, ctx)))
  }
}

const compiled = new Map<WebhookName, Compiled>()
const compiledFor = (name: WebhookName): Compiled => {
  let decoder = compiled.get(name)
  if (decoder === undefined) {
    decoder = compile(name)
    compiled.set(name, decoder)
  }
  return decoder
}

/** The webhook of each `type` other than `ReceivedCallback`. */
const byType: Readonly<Record<string, WebhookName>> = {
  DeliveryCallback: "delivery",
  MessageStatusCallback: "messageStatus",
  PresenceChatCallback: "presenceChat",
  ConnectedCallback: "connected",
  DisconnectedCallback: "disconnected"
}

/** The `ReceivedCallback` kinds told apart by their content key, in the order the keys are looked for. */
const byContentKey: ReadonlyArray<readonly [string, WebhookName]> = [
  ["text", "receivedText"],
  ["image", "receivedImage"],
  ["audio", "receivedAudio"],
  ["video", "receivedVideo"],
  ["document", "receivedDocument"],
  ["sticker", "receivedSticker"],
  ["reaction", "receivedReaction"],
  ["location", "receivedLocation"],
  ["contact", "receivedContact"],
  ["ptv", "receivedPtv"],
  ["liveLocation", "receivedLiveLocation"],
  ["hydratedTemplate", "receivedTemplate"],
  ["buttonsResponseMessage", "receivedButtonResponse"],
  ["listResponseMessage", "receivedListResponse"],
  ["buttonsMessage", "receivedButtons"],
  ["pixKeyMessage", "receivedPixKey"],
  ["carouselMessage", "receivedCarousel"],
  ["requestPayment", "receivedPaymentRequest"],
  ["sendPayment", "receivedPayment"],
  ["product", "receivedProduct"],
  ["order", "receivedOrder"],
  ["reviewAndPay", "receivedReviewAndPay"],
  ["reviewOrder", "receivedReviewOrder"],
  ["poll", "receivedPoll"],
  ["pollVote", "receivedPollVote"],
  ["newsletterAdminInvite", "receivedNewsletterAdminInvite"],
  ["pinMessage", "receivedPinMessage"],
  ["event", "receivedEvent"],
  ["eventResponse", "receivedEventResponse"]
]

/** The `ReceivedCallback` notifications the docs list, each with its webhook; any other is open. */
const byNotification: Readonly<Record<string, WebhookName>> = {
  CALL_VOICE: "receivedCall",
  CALL_VIDEO: "receivedCall",
  CALL_MISSED_VOICE: "receivedCall",
  CALL_MISSED_VIDEO: "receivedCall",
  PAYMENT_ACTION_REQUEST_DECLINED: "receivedPaymentNotification",
  MEMBERSHIP_APPROVAL_REQUEST: "receivedGroupMembershipRequest",
  REVOKED_MEMBERSHIP_REQUESTS: "receivedGroupMembershipRequest",
  GROUP_CREATE: "receivedGroupNotification",
  GROUP_PARTICIPANT_ADD: "receivedGroupNotification",
  GROUP_PARTICIPANT_REMOVE: "receivedGroupNotification",
  GROUP_PARTICIPANT_LEAVE: "receivedGroupNotification",
  NEWSLETTER_ADMIN_PROMOTE: "receivedNewsletterAdminChange",
  NEWSLETTER_ADMIN_DEMOTE: "receivedNewsletterAdminChange",
  PROFILE_NAME_UPDATED: "receivedProfileNameUpdate",
  PROFILE_PICTURE_UPDATED: "receivedProfilePictureUpdate",
  CHAT_LABEL_ASSOCIATION: "receivedChatLabelAssociation",
  E2E_ENCRYPTED: "receivedSystemNotification",
  CIPHERTEXT: "receivedSystemNotification",
  BLUE_MSG_SELF_PREMISE_UNVERIFIED: "receivedSystemNotification",
  BLUE_MSG_SELF_PREMISE_VERIFIED: "receivedSystemNotification",
  BIZ_MOVE_TO_CONSUMER_APP: "receivedSystemNotification",
  REVOKE: "receivedRevoke"
}

/**
 * The one documented webhook a payload can be, read from its discriminating fields (`type`, then
 * `notification` or the content key, then the waiting-message flag) — so a payload is decoded
 * with one schema, not tried against all of them.
 */
export const webhookOf = (payload: unknown): WebhookName | undefined => {
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return undefined
  const body = payload as Readonly<Record<string, unknown>>
  const type = body.type
  if (type !== "ReceivedCallback") return typeof type === "string" ? byType[type] : undefined
  const kind = body.notification
  if (typeof kind === "string" && kind !== "") {
    return Object.hasOwn(byNotification, kind) ? byNotification[kind] : "receivedOtherNotification"
  }
  for (const [key, name] of byContentKey) {
    const value = body[key]
    if (value !== undefined && value !== null) return name
  }
  return body.waitingMessage === true ? "receivedWaitingMessage" : undefined
}

const describePayload = (payload: unknown): string => {
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    return "not a Z-API webhook payload (not a JSON object)"
  }
  const type = (payload as { readonly type?: unknown }).type
  if (type === "ReceivedCallback") return "a Z-API ReceivedCallback with no known content key or notification"
  return "not a Z-API webhook payload (no known `type`)"
}

/** Decodes with the one documented shape `webhookOf` names; `Unrecognised` from a mapper becomes `Unknown`. */
const decodePayload = (payload: unknown, context: WebhookDecoder.Context): ReadonlyArray<Event> => {
  const ctx: Ctx = { raw: payload, instance: context.instance, receivedAt: context.receivedAt }
  const name = webhookOf(payload)
  if (name === undefined) return [unknownEvent(ctx, describePayload(payload))]
  let result: ReadonlyArray<Event> | undefined
  try {
    result = compiledFor(name).run(payload, ctx)
  } catch (cause) {
    if (cause instanceof Unrecognised) return [unknownEvent(ctx, `${name}: ${cause.reason}`)]
    throw cause
  }
  if (result === undefined)
    return [unknownEvent(ctx, `a Z-API ${name} payload that does not match its documented shape`)]
  return result.length > 0 ? result : [unknownEvent(ctx, `${name}: no events`)]
}

/** The Z-API decoder for `WebhookReceiver`: never throws (see `WebhookDecoder.make`). */
export const decoder: WebhookDecoder.WebhookDecoder = WebhookDecoder.make({ provider, decode: decodePayload })

/**
 * Turns one Z-API webhook payload into events. Never throws: anything it cannot read becomes one
 * `Unknown` event with the reason. A status callback gives one `MessageStatus` per message id.
 */
export const decode = (payload: unknown, context?: Partial<WebhookDecoder.Context>): ReadonlyArray<Event> =>
  decoder.decode(payload, { receivedAt: context?.receivedAt ?? new Date(), instance: context?.instance })

const adReply = Schema.decodeUnknownOption(ZApi.ReceivedExternalAdReply, HttpClientRuntime.parseOptions)

/**
 * The click-to-WhatsApp ad a received message came from (`externalAdReply`), when the vendor
 * sent one: title, body, source URL, ad id and click id (`ctwaClid`). The core event has no place
 * for it, so it is read from `raw`.
 */
export const adReplyOf = (event: Event): NonNullable<ZApi.ReceivedExternalAdReply> | undefined => {
  if (event._tag !== "MessageReceived" || typeof event.raw !== "object" || event.raw === null) return undefined
  try {
    const ad = (event.raw as { readonly externalAdReply?: unknown }).externalAdReply
    return ad === undefined ? undefined : (Option.getOrUndefined(adReply(ad)) ?? undefined)
  } catch {
    return undefined
  }
}
