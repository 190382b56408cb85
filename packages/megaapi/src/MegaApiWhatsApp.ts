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
 * Mega-API's own limits, where they are narrower than the service's: it sends to contacts and
 * groups, not broadcast lists; one contact card per message; no stickers; a list's footer is not
 * sent; a link preview is built by WhatsApp from the link (title, description and image are not
 * sent); `paused` presence is sent as `available` (it has no "stopped typing").
 */
import {
  type Capability,
  ChatId,
  type Content,
  Directory,
  GroupInfo,
  Instance,
  MessageRef,
  RetryPolicy,
  SendReceipt,
  WhatsApp,
  WhatsAppError
} from "@pombo/core"
import { Clock, type Config, Effect, Layer, Result } from "effect"
import type { HttpClient } from "effect/http"
import * as Generated from "./generated/MegaApi.ts"
import * as MegaApiClient from "./MegaApiClient.ts"
import * as MegaApiError from "./MegaApiError.ts"

const { provider } = MegaApiError

/** A chat as Mega-API's JID: `<digits>@s.whatsapp.net`, `<id>@g.us`, `<id>@broadcast`. */
export const toJid = (chat: ChatId.ChatId): string => {
  switch (chat._tag) {
    case "Contact":
      return `${chat.phone}@s.whatsapp.net`
    case "Group":
      return `${chat.id}@g.us`
    case "Broadcast":
      return `${chat.id}@broadcast`
  }
}

/** A chat as the lookup parameters take it: a bare number for a contact (the docs' samples), else the JID. */
const toQueryId = (chat: ChatId.ChatId): string => (chat._tag === "Contact" ? chat.phone : toJid(chat))

/** A message reference as Mega-API's message `key`. */
export const toKey = (message: MessageRef.MessageRef): Generated.ChatMessageKey => ({
  remoteJid: toJid(message.chat),
  fromMe: message.fromMe,
  id: message.id,
  ...(message.participant === undefined ? {} : { participant: toJid(message.participant) })
})

/** Reads a JID back as a valid chat id; undefined for anything else (a LID, an unknown server). */
const parseJid = (jid: string | null | undefined): ChatId.ChatId | undefined => {
  if (!jid) return undefined
  const parsed = ChatId.parseResult(jid)
  return Result.isSuccess(parsed) ? parsed.success : undefined
}

/**
 * Reads a JID WhatsApp itself reported. Its number is WhatsApp's, so one our phone rules do not
 * recognise is kept as it is rather than dropping the chat or member.
 */
const fromJid = (jid: string | null | undefined): ChatId.ChatId | undefined => {
  const digits = jid ? /^(\d{8,15})(:\d+)?@(s\.whatsapp\.net|c\.us)$/.exec(jid)?.[1] : undefined
  return parseJid(jid) ?? (digits === undefined ? undefined : new ChatId.Contact({ phone: digits }))
}

const contactOf = (jid: string | null | undefined): ChatId.Contact | undefined => {
  const chat = fromJid(jid)
  return chat?._tag === "Contact" ? chat : undefined
}

const definedOnly = <A extends object>(value: A): { [K in keyof A]: Exclude<A[K], undefined> } =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never

const seconds = (value: unknown): Date | undefined => {
  const low = typeof value === "object" && value !== null && "low" in value ? value.low : value
  const n = typeof low === "string" ? Number(low) : low
  return typeof n === "number" && Number.isFinite(n) && n > 0 ? new Date(n * 1000) : undefined
}

const roles = { admin: "admin", superadmin: "superadmin" } as const

const groupInfo = (
  group: Pick<Generated.GroupInfo, "subject" | "creation" | "owner" | "participants">,
  id: ChatId.Group
): GroupInfo.GroupInfo =>
  new GroupInfo.GroupInfo(
    definedOnly({
      group: id,
      subject: group.subject ?? "",
      owner: contactOf(group.owner),
      createdAt: seconds(group.creation),
      participants: (group.participants ?? []).flatMap((member) => {
        const contact = contactOf(member.id)
        return contact === undefined
          ? []
          : [new GroupInfo.GroupParticipant({ contact, role: member.admin ? roles[member.admin] : "member" })]
      })
    })
  )

const groupOf = (jid: string | undefined): ChatId.Group | undefined => {
  const chat = fromJid(jid)
  return chat?._tag === "Group" ? chat : undefined
}

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

const kindDefaults: Readonly<Record<Content.MediaKind, { readonly mimeType: string; readonly extension: string }>> = {
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

  /** Runs one generated call: errors mapped, `error: true` answers failed, retried as the policy allows. */
  const call = <A>(
    operation: Capability.Capability,
    operationId: keyof typeof Generated.operations,
    request: Effect.Effect<A, Generated.MegaApiError>
  ): Effect.Effect<A, WhatsAppError.WhatsAppError> =>
    RetryPolicy.retry(
      request.pipe(
        Effect.mapError(MegaApiError.fromClient(operation)),
        Effect.flatMap(MegaApiError.ensureOk(operation))
      ),
      { kind: Generated.operations[operationId].idempotent ? "read" : "send", policy: options.retry }
    )

  const invalid = (operation: Capability.Capability, detail: string, field?: string) =>
    new WhatsAppError.InvalidRequest({ provider, operation, detail, ...(field === undefined ? {} : { field }) })

  const unexpected = (operation: Capability.Capability, detail: string) =>
    new WhatsAppError.UnexpectedResponse({ provider, operation, detail })

  /** Mega-API sends to contacts and groups only (its `SendMessageJid`). */
  const sendTarget = (operation: Capability.Capability, chat: ChatId.ChatId, field = "to") =>
    chat._tag === "Broadcast"
      ? Effect.fail(invalid(operation, "Mega-API cannot send to broadcast lists", field))
      : Effect.succeed(toJid(chat))

  /** The receipt of a send: the key Mega-API answers, else the chat we sent to. */
  const receipt = (operation: Capability.Capability, to: ChatId.ChatId) =>
    Effect.fnUntraced(function* (response: Generated.SendMessageResponse) {
      const key = response.data?.key
      if (!key?.id) return yield* unexpected(operation, "the answer has no message key id")
      const acceptedAt = new Date(yield* Clock.currentTimeMillis)
      const message = new MessageRef.MessageRef({
        chat: parseJid(key.remoteJid) ?? to,
        id: key.id,
        fromMe: key.fromMe ?? true
      })
      return new SendReceipt.SendReceipt({ provider, message, acceptedAt })
    })

  /**
   * Replying and forwarding need the original message's content, which a `MessageRef` does not
   * carry: it is looked up in the chat's stored messages.
   */
  const storedContent = (operation: Capability.Capability, message: MessageRef.MessageRef) =>
    Effect.map(
      call(operation, "instanceMessages", client.instanceMessages({ params: { chat_id: toQueryId(message.chat) } })),
      (result) => result.messages?.find((stored) => stored.key?.id === message.id)?.message
    )

  const connectedJid = (operation: Capability.Capability) =>
    Effect.flatMap(call(operation, "instanceStatus", client.instanceStatus()), (status) => {
      const id = status.instance?.user?.id
      return id
        ? Effect.succeed(id.replace(/:\d+@/, "@"))
        : Effect.fail(
            new WhatsAppError.NotConnected({ provider, operation, detail: "no WhatsApp account is connected" })
          )
    })

  const participants = (
    operation: "addParticipants" | "removeParticipants" | "promoteParticipants" | "demoteParticipants",
    input: Content.GroupParticipants
  ) =>
    Effect.asVoid(
      call(
        operation,
        operation,
        client[operation]({
          payload: { group_data: { jid: toJid(input.group), participants: input.participants.map(toJid) } }
        })
      )
    )

  const operations: Partial<WhatsApp.Operations> = {
    getStatus: () =>
      Effect.map(call("getStatus", "instanceStatus", client.instanceStatus()), (status) => {
        const user = status.instance?.user
        return user === undefined
          ? new Instance.InstanceStatus({ connected: false })
          : new Instance.InstanceStatus(
              definedOnly({ connected: true, phone: contactOf(user.id), name: user.name ?? user.verifiedName })
            )
      }),
    getQrCode: () =>
      Effect.flatMap(call("getQrCode", "qrcodeBase64", client.qrcodeBase64()), (result) =>
        result.qrcode
          ? Effect.succeed(
              new Instance.QrCode({
                image: result.qrcode.startsWith("data:") ? result.qrcode : `data:image/png;base64,${result.qrcode}`
              })
            )
          : Effect.fail(unexpected("getQrCode", "the answer has no qrcode"))
      ),
    getPairingCode: (input) =>
      Effect.flatMap(
        call("getPairingCode", "pairingCode", client.pairingCode({ params: { phoneNumber: input.phone.phone } })),
        (result) =>
          result.pairingCode
            ? Effect.succeed(new Instance.PairingCode({ code: result.pairingCode }))
            : Effect.fail(unexpected("getPairingCode", "the answer has no pairingCode"))
      ),
    logout: () => Effect.asVoid(call("logout", "instanceLogout", client.instanceLogout())),
    sendText: (input) =>
      Effect.gen(function* () {
        const to = yield* sendTarget("sendText", input.to)
        const response =
          input.mentions === undefined || input.mentions.length === 0
            ? yield* call(
                "sendText",
                "sendText",
                client.sendText({ payload: { messageData: { to, text: input.text } } })
              )
            : yield* call(
                "sendText",
                "sendTextMentioned",
                client.sendTextMentioned({
                  payload: { messageData: { to, text: input.text, mentions: input.mentions.map(toJid) } }
                })
              )
        return yield* receipt("sendText", input.to)(response)
      }),
    sendMedia: (input) =>
      Effect.gen(function* () {
        const to = yield* sendTarget("sendMedia", input.to)
        if (input.kind === "sticker") return yield* invalid("sendMedia", "Mega-API cannot send stickers", "kind")
        const caption = input.caption === undefined ? {} : { caption: input.caption }
        const defaults = kindDefaults[input.kind]
        if (input.source._tag === "Url") {
          const fileName = input.fileName ?? urlFileName(input.source.url) ?? `${input.kind}.${defaults.extension}`
          const extension = extensionOf(fileName)
          const mimeType =
            input.kind === "voice" ? defaults.mimeType : (extension && mimeTypes[extension]) || defaults.mimeType
          // mediaUrl has no voice-note type: a voice note by URL goes as audio.
          const type = input.kind === "voice" ? "audio" : input.kind
          const response = yield* call(
            "sendMedia",
            "sendMediaUrl",
            client.sendMediaUrl({
              payload: { messageData: { to, url: input.source.url, fileName, type, mimeType, ...caption } }
            })
          )
          return yield* receipt("sendMedia", input.to)(response)
        }
        const { data, mimeType } = input.source
        const fileName = input.fileName ?? `${input.kind}.${defaults.extension}`
        const response = yield* call(
          "sendMedia",
          "sendMediaBase64",
          client.sendMediaBase64({
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
        )
        return yield* receipt("sendMedia", input.to)(response)
      }),
    sendLocation: (input) =>
      Effect.gen(function* () {
        const to = yield* sendTarget("sendLocation", input.to)
        const messageData = definedOnly({
          to,
          latitude: input.latitude,
          longitude: input.longitude,
          caption: input.name,
          address: input.address
        })
        const response = yield* call("sendLocation", "sendLocation", client.sendLocation({ payload: { messageData } }))
        return yield* receipt("sendLocation", input.to)(response)
      }),
    sendContacts: (input) =>
      Effect.gen(function* () {
        const to = yield* sendTarget("sendContacts", input.to)
        const [card, ...more] = input.contacts
        if (card === undefined || more.length > 0) {
          return yield* invalid("sendContacts", "Mega-API sends one contact card per message", "contacts")
        }
        const vcard = {
          fullName: card.name,
          displayName: card.name,
          organization: card.organization ?? "",
          phoneNumber: card.phone.phone
        }
        const response = yield* call(
          "sendContacts",
          "sendContactMessage",
          client.sendContactMessage({ payload: { messageData: { to, vcard } } })
        )
        return yield* receipt("sendContacts", input.to)(response)
      }),
    sendLinkPreview: (input) =>
      Effect.gen(function* () {
        const to = yield* sendTarget("sendLinkPreview", input.to)
        const textWithLink = input.text.includes(input.url) ? input.text : `${input.text}\n${input.url}`
        const response = yield* call(
          "sendLinkPreview",
          "sendLinkPreview",
          client.sendLinkPreview({ payload: { messageData: { to, textWithLink } } })
        )
        return yield* receipt("sendLinkPreview", input.to)(response)
      }),
    sendList: (input) =>
      Effect.gen(function* () {
        const to = yield* sendTarget("sendList", input.to)
        const sections = input.sections.map((section) => ({
          title: section.title,
          rows: section.rows.map((row) =>
            definedOnly({ title: row.title, description: row.description, rowId: row.id })
          )
        }))
        const response = yield* call(
          "sendList",
          "sendListMessage",
          client.sendListMessage({
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
        )
        return yield* receipt("sendList", input.to)(response)
      }),
    reply: (input) =>
      Effect.gen(function* () {
        const to = yield* sendTarget("reply", input.message.chat, "message.chat")
        // Without the stored content the reply still threads by key; only the quote preview is empty.
        const message = (yield* storedContent("reply", input.message)) ?? {}
        const response = yield* call(
          "reply",
          "quoteMessage",
          client.quoteMessage({
            payload: { messageData: { to, text: input.text, key: toKey(input.message), message } }
          })
        )
        return yield* receipt("reply", input.message.chat)(response)
      }),
    forwardMessage: (input) =>
      Effect.gen(function* () {
        const to = yield* sendTarget("forwardMessage", input.to)
        const message = yield* storedContent("forwardMessage", input.message)
        if (message === undefined) {
          return yield* invalid(
            "forwardMessage",
            "Mega-API forwards a message's content, and this message is not among the chat's stored messages",
            "message"
          )
        }
        const response = yield* call(
          "forwardMessage",
          "forwardMessage",
          client.forwardMessage({ payload: { messageData: { to, key: toKey(input.message), message } } })
        )
        return yield* receipt("forwardMessage", input.to)(response)
      }),
    markRead: (input) =>
      Effect.asVoid(
        call("markRead", "readMessage", client.readMessage({ payload: { messageData: { key: toKey(input.message) } } }))
      ),
    deleteMessage: (input) =>
      Effect.asVoid(
        call(
          "deleteMessage",
          "deleteMessage",
          client.deleteMessage({
            payload: { messageData: { to: toJid(input.message.chat), key: toKey(input.message) } }
          })
        )
      ),
    listChats: () =>
      Effect.map(call("listChats", "instanceChats", client.instanceChats()), (result) =>
        (result.chats ?? []).flatMap((chat) => {
          const id = fromJid(chat.id)
          return id === undefined
            ? []
            : [
                new Directory.ChatInfo(
                  definedOnly({
                    chat: id,
                    unreadCount: chat.unreadCount,
                    lastMessageAt: seconds(chat.conversationTimestamp)
                  })
                )
              ]
        })
      ),
    archiveChat: (input) =>
      Effect.asVoid(
        call(
          "archiveChat",
          "archiveChat",
          client.archiveChat({ payload: { to: toJid(input.chat), option: input.archived } })
        )
      ),
    pinChat: (input) =>
      Effect.asVoid(
        call("pinChat", "pinChat", client.pinChat({ payload: { to: toJid(input.chat), options: input.pinned } }))
      ),
    sendPresence: (input) =>
      Effect.asVoid(
        call(
          "sendPresence",
          "presenceUpdateChat",
          client.presenceUpdateChat({
            payload: { to: toJid(input.chat), option: input.presence === "paused" ? "available" : input.presence }
          })
        )
      ),
    isOnWhatsApp: (input) =>
      Effect.map(
        call("isOnWhatsApp", "isOnWhatsApp", client.isOnWhatsApp({ params: { jid: input.phone.phone } })),
        (result) =>
          result.exists === true
            ? new Directory.PhoneCheck({ exists: true, contact: contactOf(result.jid) ?? input.phone })
            : new Directory.PhoneCheck({ exists: false })
      ),
    listContacts: () =>
      Effect.map(call("listContacts", "instanceContacts", client.instanceContacts()), (result) =>
        (result.chats ?? []).flatMap((entry) => {
          const contact = contactOf(entry.id)
          return contact === undefined ? [] : [new Directory.ContactInfo(definedOnly({ contact, name: entry.name }))]
        })
      ),
    blockContact: (input) =>
      Effect.asVoid(
        call(
          "blockContact",
          "blockChat",
          client.blockChat({ payload: { to: toJid(input.contact), option: input.blocked } })
        )
      ),
    getProfilePicture: (input) =>
      Effect.map(
        call(
          "getProfilePicture",
          "getProfilePicture",
          client.getProfilePicture({ params: { to: toQueryId(input.chat), type: "image" } })
        ),
        (result) => new Directory.ProfilePicture(result.data ? { url: result.data } : {})
      ),
    listGroups: () =>
      Effect.map(call("listGroups", "listGroups", client.listGroups()), (result) =>
        [...(result.groups ?? []), ...(result.communitys ?? [])].flatMap((group) => {
          const id = groupOf(group.id)
          return id === undefined ? [] : [groupInfo(group, id)]
        })
      ),
    getGroup: (input) =>
      Effect.map(
        call("getGroup", "groupDetail", client.groupDetail({ params: { jid: toJid(input.group) } })),
        (result) => groupInfo(result, input.group)
      ),
    createGroup: (input) =>
      Effect.flatMap(
        call(
          "createGroup",
          "createGroup",
          client.createGroup({
            payload: { group_data: { group_name: input.subject, participants: input.participants.map(toJid) } }
          })
        ),
        (result) => {
          const id = groupOf(result.id)
          return id === undefined
            ? Effect.fail(unexpected("createGroup", "the answer has no group id"))
            : Effect.succeed(groupInfo(result, id))
        }
      ),
    addParticipants: (input) => participants("addParticipants", input),
    removeParticipants: (input) => participants("removeParticipants", input),
    promoteParticipants: (input) => participants("promoteParticipants", input),
    demoteParticipants: (input) => participants("demoteParticipants", input),
    updateGroupSettings: (input) =>
      Effect.gen(function* () {
        const jid = toJid(input.group)
        if (input.onlyAdminsCanSend !== undefined) {
          yield* call(
            "updateGroupSettings",
            "setWhoCanSendMessage",
            client.setWhoCanSendMessage({ params: { jid, allowOnlyAdmins: input.onlyAdminsCanSend } })
          )
        }
        if (input.onlyAdminsCanEditInfo !== undefined) {
          yield* call(
            "updateGroupSettings",
            "setWhoCanChangeSettings",
            client.setWhoCanChangeSettings({ params: { jid, allowOnlyAdmins: input.onlyAdminsCanEditInfo } })
          )
        }
      }),
    getGroupInviteLink: (input) =>
      Effect.flatMap(
        call(
          "getGroupInviteLink",
          "groupInviteCode",
          client.groupInviteCode({ params: { group_id: toJid(input.group) } })
        ),
        (result) =>
          result.inviteCode
            ? Effect.succeed(
                new GroupInfo.GroupInvite({
                  url: result.inviteCode.startsWith("https://")
                    ? result.inviteCode
                    : `https://chat.whatsapp.com/${result.inviteCode}`
                })
              )
            : Effect.fail(unexpected("getGroupInviteLink", "the answer has no inviteCode"))
      ),
    leaveGroup: (input) =>
      Effect.asVoid(call("leaveGroup", "leaveGroup", client.leaveGroup({ params: { jid: toJid(input.group) } }))),
    setProfileName: (input) =>
      Effect.asVoid(
        call(
          "setProfileName",
          "setProfileName",
          client.setProfileName({ payload: { messageData: { name: input.name } } })
        )
      ),
    setProfileStatus: (input) =>
      Effect.asVoid(
        call(
          "setProfileStatus",
          "setProfileStatus",
          client.setProfileStatus({ payload: { messageData: { status: input.status } } })
        )
      ),
    // Mega-API wants the connected number's own JID next to the picture's URL.
    setProfilePicture: (input) =>
      Effect.gen(function* () {
        const to = yield* connectedJid("setProfilePicture")
        yield* call(
          "setProfilePicture",
          "setProfilePictureUrl",
          client.setProfilePictureUrl({ payload: { messageData: { to, url: input.url } } })
        )
      }),
    getWebhook: () =>
      Effect.map(
        call("getWebhook", "getWebhook", client.getWebhook()),
        (result) =>
          new Directory.WebhookInfo(
            result.webhookUrl && result.webhookEnabled !== false ? { url: result.webhookUrl } : {}
          )
      ),
    setWebhook: (input) =>
      Effect.asVoid(
        call(
          "setWebhook",
          "configWebhook",
          client.configWebhook({ payload: { messageData: { webhookUrl: input.url, webhookEnabled: true } } })
        )
      )
  }

  return WhatsApp.make({ provider, operations })
})

/** `WhatsApp` over the `MegaApiClient` you provide. */
export const layer: Layer.Layer<WhatsApp.WhatsApp, never, MegaApiClient.MegaApiClient> = Layer.effect(
  WhatsApp.WhatsApp,
  make
)

/** `WhatsApp` and its `MegaApiClient`, configured from the environment (see `MegaApiClient.optionsConfig`). */
export const layerConfig: Layer.Layer<
  WhatsApp.WhatsApp | MegaApiClient.MegaApiClient,
  Config.ConfigError,
  HttpClient.HttpClient
> = Layer.provideMerge(layer, MegaApiClient.layerConfig)
