/**
 * The `WhatsApp` service over Mega-API: each abstract operation the Mega-API spec backs, mapped
 * onto the generated client (ids to Mega-API's JIDs, answers to core values, failures through
 * `MegaApiError`, retries by `RetryPolicy`). Everything else answers `Unsupported`.
 *
 * ```ts
 * const program = Effect.gen(function* () {
 *   const whatsapp = yield* WhatsApp.WhatsApp
 *   yield* whatsapp.sendText({ to: yield* ChatId.contact("11 98765-4321"), text: "Olá" })
 * }).pipe(Effect.provide(MegaApiWhatsApp.layerConfig), Effect.provide(FetchHttpClient.layer))
 * ```
 *
 * What Mega-API cannot carry is refused with `InvalidRequest` naming the field, never dropped or
 * approximated: a broadcast list as a chat, more than one contact card per message, stickers, a
 * list's footer, a link preview's title, description or image (WhatsApp builds the card from the
 * link itself), and `paused` presence (Mega-API has no "stopped typing"). Wire ids are read and
 * written by `internal/wire`.
 */
import {
  type ChatId,
  ChatInfo,
  ContactInfo,
  EpochDate,
  GroupInfo,
  Instance,
  type MessageRef,
  type Operation,
  type OperationInput,
  ProviderCall,
  SendReceipt,
  WebhookInfo,
  WhatsApp,
  WhatsAppError
} from "@pombo/core"
import { type Config, Effect, Layer } from "effect"
import type { HttpClient } from "effect/http"
import * as Generated from "./generated/MegaApi.ts"
import { chatOf, contactOf, groupOf, toJid, toKey, toQueryId } from "./internal/wire.ts"
import * as MegaApiClient from "./MegaApiClient.ts"
import * as MegaApiError from "./MegaApiError.ts"

const { provider } = MegaApiError

const roles = { admin: "admin", superadmin: "superadmin" } as const

const groupInfo = (
  group: Pick<Generated.GroupInfo, "subject" | "creation" | "owner" | "participants">,
  id: ChatId.Group
): GroupInfo.GroupInfo =>
  new GroupInfo.GroupInfo({
    group: id,
    subject: group.subject ?? "",
    owner: contactOf(group.owner),
    createdAt: EpochDate.fromEpoch(group.creation),
    participants: (group.participants ?? []).flatMap((member) => {
      const contact = contactOf(member.id)
      return contact === undefined
        ? []
        : [new GroupInfo.GroupParticipant({ contact, role: member.admin ? roles[member.admin] : "member" })]
    })
  })

/** A guess at a file's MIME type from its name, for URL media (Mega-API requires one). */
const mimeTypes: Readonly<Record<string, string>> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  webp: "image/webp",
  mp4: "video/mp4",
  "3gp": "video/3gpp",
  mov: "video/quicktime",
  mp3: "audio/mpeg",
  ogg: "audio/ogg",
  opus: "audio/ogg; codecs=opus",
  m4a: "audio/mp4",
  aac: "audio/aac",
  wav: "audio/wav",
  pdf: "application/pdf",
  txt: "text/plain",
  csv: "text/csv",
  zip: "application/zip",
  doc: "application/msword",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xls: "application/vnd.ms-excel",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
}

const kindDefaults: Readonly<
  Record<OperationInput.MediaKind, { readonly mimeType: string; readonly extension: string }>
> = {
  image: { mimeType: "image/jpeg", extension: "jpg" },
  video: { mimeType: "video/mp4", extension: "mp4" },
  audio: { mimeType: "audio/mpeg", extension: "mp3" },
  voice: { mimeType: "audio/ogg; codecs=opus", extension: "ogg" },
  document: { mimeType: "application/octet-stream", extension: "bin" },
  sticker: { mimeType: "image/webp", extension: "webp" }
}

const extensionOf = (name: string): string | undefined => /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase()

const urlFileName = (url: string): string | undefined => {
  const last = new URL(url).pathname.split("/").pop()
  return last ? decodeURIComponent(last) : undefined
}

/** Builds the `WhatsApp` service on the `MegaApiClient` in context. */
export const make = Effect.gen(function* () {
  const { client, options } = yield* MegaApiClient.MegaApiClient

  const call = ProviderCall.make({
    client,
    operations: Generated.operations,
    fromStatus: MegaApiError.fromStatus,
    fromSuccess: MegaApiError.fromSuccess,
    retry: options.retry,
    timeout: options.timeout
  })

  /** Mega-API sends to contacts and groups only (its `SendMessageJid`). */
  const sendTarget = (op: Operation.Context, chat: ChatId.ChatId, field = "to") =>
    chat._tag === "Broadcast"
      ? Effect.fail(op.refuse(field, "Mega-API cannot send to broadcast lists"))
      : Effect.succeed(toJid(chat))

  /** The receipt of a send: the key Mega-API answers, else the chat we sent to. */
  const receipt = (op: Operation.Context, to: ChatId.ChatId, response: Generated.SendMessageResponse) => {
    const key = response.data?.key
    if (!key?.id) return Effect.fail(op.unexpected("the answer has no message key id"))
    // The message is in the chat we sent to: Mega-API's JID for it may be unnormalised (no ninth digit).
    return SendReceipt.accepted({ provider, chat: to, id: key.id, fromMe: key.fromMe ?? true })
  }

  /**
   * Replying and forwarding need the original message's content, which a `MessageRef` does not
   * carry: it is looked up in the chat's stored messages.
   */
  const storedContent = (op: Operation.Context, message: MessageRef.MessageRef) =>
    Effect.map(
      call(op, "instanceMessages", { params: { chat_id: toQueryId(message.chat) } }),
      (result) => result.messages?.find((stored) => stored.key?.id === message.id)?.message
    )

  const connectedJid = (op: Operation.Context) =>
    Effect.flatMap(call(op, "instanceStatus"), (status) => {
      const id = status.instance?.user?.id
      return id
        ? Effect.succeed(id.replace(/:\d+@/, "@"))
        : Effect.fail(new WhatsAppError.NotConnected({ ...op, detail: "no WhatsApp account is connected" }))
    })

  const participants =
    (operationId: "addParticipants" | "removeParticipants" | "promoteParticipants" | "demoteParticipants") =>
    (input: OperationInput.GroupParticipants, op: Operation.Context) =>
      Effect.asVoid(
        call(op, operationId, {
          payload: { group_data: { jid: toJid(input.group), participants: input.participants.map(toJid) } }
        })
      )

  const operations: WhatsApp.Implementations = {
    getStatus: (_, op) =>
      Effect.map(call(op, "instanceStatus"), (status) => {
        const user = status.instance?.user
        return user === undefined
          ? new Instance.InstanceStatus({ connected: false })
          : new Instance.InstanceStatus({
              connected: true,
              phone: contactOf(user.id),
              name: user.name ?? user.verifiedName
            })
      }),
    getQrCode: (_, op) =>
      Effect.flatMap(call(op, "qrcodeBase64"), (result) =>
        result.qrcode
          ? Effect.succeed(
              new Instance.QrCode({
                image: result.qrcode.startsWith("data:") ? result.qrcode : `data:image/png;base64,${result.qrcode}`
              })
            )
          : Effect.fail(op.unexpected("the answer has no qrcode"))
      ),
    getPairingCode: (input, op) =>
      Effect.flatMap(call(op, "pairingCode", { params: { phoneNumber: input.phone.phone } }), (result) =>
        result.pairingCode
          ? Effect.succeed(new Instance.PairingCode({ code: result.pairingCode }))
          : Effect.fail(op.unexpected("the answer has no pairingCode"))
      ),
    logout: (_, op) => Effect.asVoid(call(op, "instanceLogout")),
    sendText: (input, op) => {
      if (input.to._tag === "Broadcast") return Effect.fail(op.refuse("to", "Mega-API cannot send to broadcast lists"))
      const to = toJid(input.to)
      const sent =
        input.mentions === undefined || input.mentions.length === 0
          ? call(op, "sendText", { payload: { messageData: { to, text: input.text } } })
          : call(op, "sendTextMentioned", {
              payload: { messageData: { to, text: input.text, mentions: input.mentions.map(toJid) } }
            })
      return Effect.flatMap(sent, (response) => receipt(op, input.to, response))
    },
    sendMedia: (input, op) =>
      Effect.gen(function* () {
        const to = yield* sendTarget(op, input.to)
        if (input.kind === "sticker") return yield* op.refuse("kind", "Mega-API cannot send stickers")
        const caption = input.caption === undefined ? {} : { caption: input.caption }
        const defaults = kindDefaults[input.kind]
        if (input.source._tag === "Url") {
          const fileName = input.fileName ?? urlFileName(input.source.url) ?? `${input.kind}.${defaults.extension}`
          const extension = extensionOf(fileName)
          const mimeType =
            input.kind === "voice" ? defaults.mimeType : (extension && mimeTypes[extension]) || defaults.mimeType
          // mediaUrl documents no voice-note type: sending it as audio would change what the recipient sees.
          if (input.kind === "voice") {
            return yield* op.refuse(
              "source",
              "Mega-API sends a voice note only as base64 (its mediaUrl has no ptt type)"
            )
          }
          const type = input.kind
          const response = yield* call(op, "sendMediaUrl", {
            payload: { messageData: { to, url: input.source.url, fileName, type, mimeType, ...caption } }
          })
          return yield* receipt(op, input.to, response)
        }
        const { data, mimeType } = input.source
        const fileName = input.fileName ?? `${input.kind}.${defaults.extension}`
        const response = yield* call(op, "sendMediaBase64", {
          payload: {
            messageData: {
              to,
              base64: `data:${mimeType};base64,${data}`,
              fileName,
              type: input.kind === "voice" ? "ptt" : input.kind,
              mimeType,
              ...caption
            }
          }
        })
        return yield* receipt(op, input.to, response)
      }),
    sendLocation: (input, op) =>
      Effect.gen(function* () {
        const to = yield* sendTarget(op, input.to)
        const messageData = {
          to,
          latitude: input.latitude,
          longitude: input.longitude,
          ...(input.name === undefined ? {} : { caption: input.name }),
          ...(input.address === undefined ? {} : { address: input.address })
        }
        const response = yield* call(op, "sendLocation", { payload: { messageData } })
        return yield* receipt(op, input.to, response)
      }),
    sendContacts: (input, op) =>
      Effect.gen(function* () {
        const to = yield* sendTarget(op, input.to)
        const [card, ...more] = input.contacts
        if (card === undefined || more.length > 0) {
          return yield* op.refuse("contacts", "Mega-API sends one contact card per message")
        }
        const vcard = {
          fullName: card.name,
          displayName: card.name,
          organization: card.organization ?? "",
          phoneNumber: card.phone.phone
        }
        const response = yield* call(op, "sendContactMessage", { payload: { messageData: { to, vcard } } })
        return yield* receipt(op, input.to, response)
      }),
    sendLinkPreview: (input, op) =>
      Effect.gen(function* () {
        const to = yield* sendTarget(op, input.to)
        for (const field of ["title", "description", "imageUrl"] as const) {
          if (input[field] !== undefined) {
            return yield* op.refuse(
              field,
              `Mega-API's link preview is built by WhatsApp from the link; it cannot set the card's ${field}`
            )
          }
        }
        const textWithLink = input.text.includes(input.url) ? input.text : `${input.text}\n${input.url}`
        const response = yield* call(op, "sendLinkPreview", { payload: { messageData: { to, textWithLink } } })
        return yield* receipt(op, input.to, response)
      }),
    sendList: (input, op) =>
      Effect.gen(function* () {
        const to = yield* sendTarget(op, input.to)
        if (input.footer !== undefined) return yield* op.refuse("footer", "Mega-API's list message has no footer")
        const sections = input.sections.map((section) => ({
          title: section.title,
          rows: section.rows.map((row) => ({
            title: row.title,
            rowId: row.id,
            ...(row.description === undefined ? {} : { description: row.description })
          }))
        }))
        const response = yield* call(op, "sendListMessage", {
          payload: {
            messageData: {
              to,
              buttonText: input.buttonText,
              text: input.text,
              title: input.title ?? "",
              // WhatsApp shows a list's `description` as its body; Mega-API's `text` alone is not shown.
              description: input.text,
              sections
            }
          }
        })
        return yield* receipt(op, input.to, response)
      }),
    reply: (input, op) =>
      Effect.gen(function* () {
        const to = yield* sendTarget(op, input.message.chat, "message.chat")
        // Without the stored content the reply still threads by key; only the quote preview is empty.
        const message = (yield* storedContent(op, input.message)) ?? {}
        const response = yield* call(op, "quoteMessage", {
          payload: { messageData: { to, text: input.text, key: toKey(input.message), message } }
        })
        return yield* receipt(op, input.message.chat, response)
      }),
    forwardMessage: (input, op) =>
      Effect.gen(function* () {
        const to = yield* sendTarget(op, input.to)
        const message = yield* storedContent(op, input.message)
        if (message === undefined) {
          return yield* op.refuse(
            "message",
            "Mega-API forwards a message's content, and this message is not among the chat's stored messages"
          )
        }
        const response = yield* call(op, "forwardMessage", {
          payload: { messageData: { to, key: toKey(input.message), message } }
        })
        return yield* receipt(op, input.to, response)
      }),
    markRead: (input, op) =>
      Effect.asVoid(call(op, "readMessage", { payload: { messageData: { key: toKey(input.message) } } })),
    deleteMessage: (input, op) =>
      Effect.asVoid(
        call(op, "deleteMessage", {
          payload: { messageData: { to: toJid(input.message.chat), key: toKey(input.message) } }
        })
      ),
    listChats: (_, op) =>
      Effect.map(call(op, "instanceChats"), (result) =>
        (result.chats ?? []).flatMap((chat) => {
          const id = chatOf(chat.id)
          return id === undefined
            ? []
            : [
                new ChatInfo.ChatInfo({
                  chat: id,
                  unreadCount: chat.unreadCount,
                  lastMessageAt: EpochDate.fromEpoch(chat.conversationTimestamp)
                })
              ]
        })
      ),
    archiveChat: (input, op) =>
      Effect.asVoid(call(op, "archiveChat", { payload: { to: toJid(input.chat), option: input.archived } })),
    pinChat: (input, op) =>
      Effect.asVoid(call(op, "pinChat", { payload: { to: toJid(input.chat), options: input.pinned } })),
    sendPresence: (input, op) =>
      input.presence === "paused"
        ? Effect.fail(op.refuse("presence", 'Mega-API has no "stopped typing" presence (paused)'))
        : Effect.asVoid(call(op, "presenceUpdateChat", { payload: { to: toJid(input.chat), option: input.presence } })),
    isOnWhatsApp: (input, op) =>
      Effect.map(call(op, "isOnWhatsApp", { params: { jid: input.phone.phone } }), (result) =>
        result.exists === true
          ? new ContactInfo.PhoneCheck({ exists: true, contact: contactOf(result.jid) ?? input.phone })
          : new ContactInfo.PhoneCheck({ exists: false })
      ),
    listContacts: (_, op) =>
      Effect.map(call(op, "instanceContacts"), (result) =>
        (result.chats ?? []).flatMap((entry) => {
          const contact = contactOf(entry.id)
          return contact === undefined ? [] : [new ContactInfo.ContactInfo({ contact, name: entry.name })]
        })
      ),
    blockContact: (input, op) =>
      Effect.asVoid(call(op, "blockChat", { payload: { to: toJid(input.contact), option: input.blocked } })),
    getProfilePicture: (input, op) =>
      Effect.map(
        call(op, "getProfilePicture", { params: { to: toQueryId(input.chat), type: "image" } }),
        (result) => new ChatInfo.ProfilePicture(result.data ? { url: result.data } : {})
      ),
    listGroups: (_, op) =>
      Effect.map(call(op, "listGroups"), (result) =>
        [...(result.groups ?? []), ...(result.communitys ?? [])].flatMap((group) => {
          const id = groupOf(group.id)
          return id === undefined ? [] : [groupInfo(group, id)]
        })
      ),
    getGroup: (input, op) =>
      Effect.map(call(op, "groupDetail", { params: { jid: toJid(input.group) } }), (result) =>
        groupInfo(result, input.group)
      ),
    createGroup: (input, op) =>
      Effect.flatMap(
        call(op, "createGroup", {
          payload: { group_data: { group_name: input.subject, participants: input.participants.map(toJid) } }
        }),
        (result) => {
          const id = groupOf(result.id)
          return id === undefined
            ? Effect.fail(op.unexpected("the answer has no group id"))
            : Effect.succeed(groupInfo(result, id))
        }
      ),
    addParticipants: participants("addParticipants"),
    removeParticipants: participants("removeParticipants"),
    promoteParticipants: participants("promoteParticipants"),
    demoteParticipants: participants("demoteParticipants"),
    updateGroupSettings: (input, op) =>
      Effect.gen(function* () {
        const jid = toJid(input.group)
        if (input.onlyAdminsCanSend !== undefined) {
          yield* call(op, "setWhoCanSendMessage", { params: { jid, allowOnlyAdmins: input.onlyAdminsCanSend } })
        }
        if (input.onlyAdminsCanEditInfo !== undefined) {
          yield* call(op, "setWhoCanChangeSettings", { params: { jid, allowOnlyAdmins: input.onlyAdminsCanEditInfo } })
        }
      }),
    getGroupInviteLink: (input, op) =>
      Effect.flatMap(call(op, "groupInviteCode", { params: { group_id: toJid(input.group) } }), (result) =>
        result.inviteCode
          ? Effect.succeed(
              new GroupInfo.GroupInvite({
                url: result.inviteCode.startsWith("https://")
                  ? result.inviteCode
                  : `https://chat.whatsapp.com/${result.inviteCode}`
              })
            )
          : Effect.fail(op.unexpected("the answer has no inviteCode"))
      ),
    leaveGroup: (input, op) => Effect.asVoid(call(op, "leaveGroup", { params: { jid: toJid(input.group) } })),
    setProfileName: (input, op) =>
      Effect.asVoid(call(op, "setProfileName", { payload: { messageData: { name: input.name } } })),
    setProfileStatus: (input, op) =>
      Effect.asVoid(call(op, "setProfileStatus", { payload: { messageData: { status: input.status } } })),
    // Mega-API wants the connected number's own JID next to the picture's URL.
    setProfilePicture: (input, op) =>
      Effect.gen(function* () {
        const to = yield* connectedJid(op)
        yield* call(op, "setProfilePictureUrl", { payload: { messageData: { to, url: input.url } } })
      }),
    getWebhook: (_, op) =>
      Effect.map(
        call(op, "getWebhook"),
        (result) =>
          new WebhookInfo.WebhookInfo(
            result.webhookUrl && result.webhookEnabled !== false ? { url: result.webhookUrl } : {}
          )
      ),
    setWebhook: (input, op) =>
      Effect.asVoid(
        call(op, "configWebhook", { payload: { messageData: { webhookUrl: input.url, webhookEnabled: true } } })
      )
  }

  return WhatsApp.make({ provider, operations })
})

/** `WhatsApp` over the `MegaApiClient` you provide. */
export const layer: Layer.Layer<WhatsApp.WhatsApp, never, MegaApiClient.MegaApiClient> = Layer.effect(
  WhatsApp.WhatsApp,
  make
)

/** `WhatsApp` and its `MegaApiClient`, configured from the environment (see `MegaApiClient.config`). */
export const layerConfig: Layer.Layer<
  WhatsApp.WhatsApp | MegaApiClient.MegaApiClient,
  Config.ConfigError,
  HttpClient.HttpClient
> = Layer.provideMerge(layer, MegaApiClient.layerConfig)
