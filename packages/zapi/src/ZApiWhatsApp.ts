/**
 * The `WhatsApp` service over Z-API: every abstract operation Z-API's spec backs (the generated
 * `capabilities`), each mapped onto the generated client. `sendPresence` and `getWebhook` are not
 * backed by the spec and answer `Unsupported`.
 *
 * Wire ids: a contact is its digits (`5511999999999`); a group is `<id>-group` for groups created
 * since November 2021 and the bare `<creator>-<timestamp>` id for older ones. Z-API documents no
 * wire form for broadcast lists, so an operation addressed to one fails with `Unsupported`.
 *
 * What Z-API cannot carry is refused, not dropped: a caption on audio, voice notes and stickers,
 * a footer on lists and buttons, a link preview without an image. A list's section titles are
 * the one exception: Z-API's option list has no sections, so rows are sent in order, untitled.
 *
 * `providerOptions.zapi` (`delayMessage`, `delayTyping`: Z-API's queue pacing, typed from its
 * spec) is sent with every message send; given to another operation it is refused.
 *
 * Retries follow `RetryPolicy` (set on `ZApiClient`): reads are retried on transient failures,
 * sends only when the request never left or Z-API asked for it, so a message is never sent twice.
 */
import {
  type ChatId,
  ChatInfo,
  ContactInfo,
  EpochDate,
  GroupInfo,
  Instance,
  Operation,
  type OperationInput,
  ProviderCall,
  SendReceipt,
  WhatsApp,
  WhatsAppError
} from "@pombo/core"
import { type Config, Effect, Layer, Schema } from "effect"
import type { HttpClient } from "effect/http"
import * as Generated from "./generated/ZApi.ts"
import { chatOf, contactOf, count, flag, single, wireChat, wireGroup } from "./internal/wire.ts"
import * as ZApiClient from "./ZApiClient.ts"
import * as ZApiError from "./ZApiError.ts"

const { provider } = ZApiError

/** Z-API's own options (`providerOptions.zapi`), typed from its spec: queue pacing of a send. */
export const ProviderOptions = Schema.Struct({
  /** Seconds Z-API waits before sending (1–15; its default is 1–3). */
  delayMessage: Schema.optionalKey(Generated.MessagesDelayMessage),
  /** Seconds Z-API shows "typing…" before sending (1–15). */
  delayTyping: Schema.optionalKey(Generated.MessagesDelayTyping)
})
/** Z-API's own options (`providerOptions.zapi`). */
export type ProviderOptions = typeof ProviderOptions.Type

declare module "@pombo/core/ProviderOptions" {
  interface ProviderOptions {
    /** Options only Z-API understands; other providers ignore them. */
    readonly zapi?: import("./ZApiWhatsApp.ts").ProviderOptions | undefined
  }
}

type Success<Id extends keyof Generated.ZApiClient> = Effect.Success<ReturnType<Generated.ZApiClient[Id]>>

/** Contacts, chats and groups are read this many per page. */
const pageSize = 100
/** A bound on paging, in case Z-API ignores `page` and answers full pages forever. */
const maxPages = 1000

const mediaUri = (source: OperationInput.MediaSource): string =>
  source._tag === "Url" ? source.url : `data:${source.mimeType};base64,${source.data}`

const documentExtensions: Readonly<Record<string, string>> = {
  "application/msword": "doc",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
  "application/vnd.ms-excel": "xls",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
  "application/vnd.ms-powerpoint": "ppt",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
  "application/vnd.oasis.opendocument.text": "odt",
  "application/vnd.oasis.opendocument.spreadsheet": "ods",
  "text/plain": "txt"
}

const extensionOf = (name: string): string | undefined => /\.([a-z0-9]{1,10})$/i.exec(name)?.[1]?.toLowerCase()

/** `send-document/{extension}` needs the file's extension: from its name, MIME type or URL. */
const documentExtension = (input: OperationInput.SendMedia): string | undefined => {
  const fromName = input.fileName === undefined ? undefined : extensionOf(input.fileName)
  if (fromName !== undefined) return fromName
  if (input.source._tag === "Base64") {
    const mime = input.source.mimeType.toLowerCase()
    const subtype = mime.split("/")[1] ?? ""
    return documentExtensions[mime] ?? (/^[a-z0-9]{1,10}$/.test(subtype) ? subtype : undefined)
  }
  return extensionOf(new URL(input.source.url).pathname)
}

/** Builds the `WhatsApp` service over the `ZApiClient` in context. */
export const make = Effect.gen(function* () {
  const { client, options } = yield* ZApiClient.ZApiClient
  const call = ProviderCall.make({
    client,
    operations: Generated.operations,
    fromStatus: ZApiError.fromStatus,
    retry: options.retry,
    timeout: options.timeout
  })

  /** Z-API documents `{"value": false}` as "not applied". */
  const applied =
    (op: Operation.Context) =>
    (result: { readonly value: boolean }): Effect.Effect<void, WhatsAppError.InvalidRequest> =>
      result.value ? Effect.void : Effect.fail(ZApiError.notApplied(op))

  /** The caller's `providerOptions.zapi`, already checked against `ProviderOptions` by `WhatsApp.make`. */
  const pacing = (op: Operation.Context): ProviderOptions => (op.providerOptions ?? {}) as ProviderOptions

  const receipt = (
    chat: ChatId.ChatId,
    result: { readonly zaapId: string; readonly messageId?: string; readonly id?: string }
  ): Effect.Effect<SendReceipt.SendReceipt> =>
    SendReceipt.accepted({
      provider,
      chat,
      // forward-message documents only `zaapId`; it is the only id there is then.
      id: result.messageId ?? result.id ?? result.zaapId,
      providerId: result.zaapId
    })

  /** Reads every page of a paged list. */
  const allPages = <A>(
    fetch: (page: number) => Effect.Effect<ReadonlyArray<A>, WhatsAppError.WhatsAppError>
  ): Effect.Effect<Array<A>, WhatsAppError.WhatsAppError> =>
    Effect.gen(function* () {
      const items: Array<A> = []
      for (let page = 1; page <= maxPages; page++) {
        const batch = yield* fetch(page)
        items.push(...batch)
        if (batch.length < pageSize) break
      }
      return items
    })

  const sendMedia = Effect.fnUntraced(function* (input: OperationInput.SendMedia, op: Operation.Context) {
    const phone = yield* wireChat(op, input.to)
    const pace = pacing(op)
    const file = mediaUri(input.source)
    const caption = input.caption === undefined ? {} : { caption: input.caption }
    if (input.caption !== undefined && (input.kind === "audio" || input.kind === "voice" || input.kind === "sticker")) {
      return yield* op.refuse("caption", `Z-API cannot send a caption with ${input.kind} messages`)
    }
    switch (input.kind) {
      case "image":
        return yield* call(op, "sendImage", { payload: { phone, image: file, ...caption, ...pace } })
      case "video":
        return yield* call(op, "sendVideo", { payload: { phone, video: file, ...caption, ...pace } })
      case "audio":
        return yield* call(op, "sendAudio", { payload: { phone, audio: file, ...pace } })
      case "voice":
        // `waveform` is Z-API's voice-note look (sound waves); it documents no other ptt flag.
        return yield* call(op, "sendAudio", { payload: { phone, audio: file, waveform: true, ...pace } })
      case "sticker":
        return yield* call(op, "sendSticker", { payload: { phone, sticker: file, ...pace } })
      case "document": {
        const extension = documentExtension(input)
        if (extension === undefined) {
          return yield* op.refuse(
            "fileName",
            "Z-API needs the document's extension: give a fileName like report.pdf or a known MIME type"
          )
        }
        const fileName = input.fileName === undefined ? {} : { fileName: input.fileName }
        return yield* call(op, "sendDocument", {
          params: { extension },
          payload: { phone, document: file, ...fileName, ...caption, ...pace }
        })
      }
    }
  })

  const participants =
    (operationId: "addParticipant" | "removeParticipant" | "addAdmin" | "removeAdmin") =>
    (input: OperationInput.GroupParticipants, op: Operation.Context) =>
      Effect.flatMap(
        call(op, operationId, {
          payload: { groupId: wireGroup(input.group), phones: input.participants.map((c) => c.phone) }
        }),
        applied(op)
      )

  const groupInfo = (
    op: Operation.Context,
    metadata: Success<"getGroupMetadata">
  ): Effect.Effect<GroupInfo.GroupInfo, WhatsAppError.UnexpectedResponse> => {
    const group = chatOf(metadata.phone)
    if (group?._tag !== "Group") {
      return Effect.fail(op.unexpected("the group metadata has no group id in `phone`"))
    }
    const owner = contactOf(metadata.owner)
    const createdAt = EpochDate.fromEpoch(metadata.creation)
    return Effect.succeed(
      new GroupInfo.GroupInfo({
        group,
        subject: metadata.subject ?? "",
        description: metadata.description,
        owner,
        createdAt,
        participants: metadata.participants.flatMap((member) => {
          const contact = contactOf(member.phone)
          if (contact === undefined) return []
          const role = flag(member.isSuperAdmin) ? "superadmin" : flag(member.isAdmin) ? "admin" : "member"
          return [new GroupInfo.GroupParticipant({ contact, role })]
        })
      })
    )
  }

  const operations: WhatsApp.Implementations = {
    getStatus: (_, op) =>
      Effect.map(
        call(op, "getInstanceStatus"),
        (status) => new Instance.InstanceStatus({ connected: status.connected })
      ),

    getQrCode: (_, op) =>
      Effect.flatMap(
        call(op, "getQrCodeImage"),
        (answer): Effect.Effect<Instance.QrCode, WhatsAppError.WhatsAppError> => {
          if (answer.value !== undefined && answer.value !== "") {
            const image = answer.value.startsWith("data:") ? answer.value : `data:image/png;base64,${answer.value}`
            return Effect.succeed(new Instance.QrCode({ image }))
          }
          if (answer.connected === true) {
            return Effect.fail(new WhatsAppError.InvalidRequest({ ...op, detail: "the instance is already connected" }))
          }
          return Effect.fail(op.unexpected(answer.error ?? "Z-API answered no QR code"))
        }
      ),

    getPairingCode: (input, op) =>
      Effect.flatMap(call(op, "getPhoneCode", { params: { phone: input.phone.phone } }), (answer) => {
        const code = answer.code ?? answer.value
        return code === undefined || code === ""
          ? Effect.fail(op.unexpected(answer.error ?? "Z-API answered no pairing code"))
          : Effect.succeed(new Instance.PairingCode({ code }))
      }),

    logout: (_, op) => Effect.flatMap(call(op, "disconnectInstance"), applied(op)),

    restart: (_, op) => Effect.flatMap(call(op, "restartInstance"), applied(op)),

    sendText: (input, op) =>
      Effect.flatMap(wireChat(op, input.to), (phone) => {
        const mentioned = input.mentions?.map((contact) => contact.phone) ?? []
        const payload = { phone, message: input.text, ...(mentioned.length === 0 ? {} : { mentioned }), ...pacing(op) }
        return Effect.flatMap(call(op, "sendText", { payload }), (result) => receipt(input.to, result))
      }),

    sendMedia: (input, op) => Effect.flatMap(sendMedia(input, op), (result) => receipt(input.to, result)),

    sendLocation: Effect.fnUntraced(function* (input, op) {
      const phone = yield* wireChat(op, input.to)
      const result = yield* call(op, "sendLocation", {
        payload: {
          ...pacing(op),
          phone,
          title: input.name ?? "",
          address: input.address ?? "",
          latitude: String(input.latitude),
          longitude: String(input.longitude)
        }
      })
      return yield* receipt(input.to, result)
    }),

    sendContacts: Effect.fnUntraced(function* (input, op) {
      const phone = yield* wireChat(op, input.to)
      const [only, ...others] = input.contacts
      const result =
        only !== undefined && others.length === 0
          ? yield* call(op, "sendContact", {
              payload: {
                ...pacing(op),
                phone,
                contactName: only.name,
                contactPhone: only.phone.phone,
                ...(only.organization === undefined ? {} : { contactBusinessDescription: only.organization })
              }
            })
          : yield* call(op, "sendContacts", {
              payload: {
                ...pacing(op),
                phone,
                contacts: input.contacts.map((card) => ({
                  name: card.name,
                  phones: [card.phone.phone],
                  ...(card.organization === undefined ? {} : { businessDescription: card.organization })
                }))
              }
            })
      return yield* receipt(input.to, result)
    }),

    sendLinkPreview: Effect.fnUntraced(function* (input, op) {
      const phone = yield* wireChat(op, input.to)
      if (input.imageUrl === undefined) {
        return yield* op.refuse("imageUrl", "Z-API's link preview needs an image (imageUrl)")
      }
      // Z-API requires the text to end with the link it previews.
      const text = input.text.trimEnd()
      const message = text.endsWith(input.url) ? text : `${text}\n${input.url}`
      const result = yield* call(op, "sendLink", {
        payload: {
          ...pacing(op),
          phone,
          message,
          image: input.imageUrl,
          linkUrl: input.url,
          title: input.title ?? new URL(input.url).hostname,
          linkDescription: input.description ?? ""
        }
      })
      return yield* receipt(input.to, result)
    }),

    sendList: Effect.fnUntraced(function* (input, op) {
      const phone = yield* wireChat(op, input.to)
      if (input.footer !== undefined) return yield* op.refuse("footer", "Z-API's option list has no footer")
      const result = yield* call(op, "sendOptionList", {
        payload: {
          ...pacing(op),
          phone,
          message: input.text,
          optionList: {
            title: input.title ?? "",
            buttonLabel: input.buttonText,
            options: input.sections.flatMap((section) =>
              section.rows.map((row) => ({ id: row.id, title: row.title, description: row.description ?? "" }))
            )
          }
        }
      })
      return yield* receipt(input.to, result)
    }),

    sendButtons: Effect.fnUntraced(function* (input, op) {
      const phone = yield* wireChat(op, input.to)
      if (input.footer !== undefined) return yield* op.refuse("footer", "Z-API's button list has no footer")
      const result = yield* call(op, "sendButtonList", {
        payload: {
          ...pacing(op),
          phone,
          message: input.text,
          buttonList: { buttons: input.buttons.map((button) => ({ id: button.id, label: button.label })) }
        }
      })
      return yield* receipt(input.to, result)
    }),

    sendPoll: Effect.fnUntraced(function* (input, op) {
      const phone = yield* wireChat(op, input.to)
      const result = yield* call(op, "sendPoll", {
        payload: {
          ...pacing(op),
          phone,
          message: input.name,
          poll: input.options.map((name) => ({ name })),
          // Without pollMaxOptions Z-API makes a multiple-choice poll; Pombo's default is one answer.
          pollMaxOptions: input.selectableCount ?? 1
        }
      })
      return yield* receipt(input.to, result)
    }),

    sendReaction: Effect.fnUntraced(function* (input, op) {
      const phone = yield* wireChat(op, input.message.chat)
      const result = yield* call(op, "sendReaction", {
        payload: { phone, reaction: input.emoji, messageId: input.message.id, ...pacing(op) }
      })
      return yield* receipt(input.message.chat, result)
    }),

    reply: Effect.fnUntraced(function* (input, op) {
      const phone = yield* wireChat(op, input.message.chat)
      const result = yield* call(op, "sendText", {
        payload: { phone, message: input.text, messageId: input.message.id, ...pacing(op) }
      })
      return yield* receipt(input.message.chat, result)
    }),

    forwardMessage: Effect.fnUntraced(function* (input, op) {
      const phone = yield* wireChat(op, input.to)
      const messagePhone = yield* wireChat(op, input.message.chat)
      const result = yield* call(op, "forwardMessage", {
        payload: { phone, messageId: input.message.id, messagePhone, ...pacing(op) }
      })
      return yield* receipt(input.to, result)
    }),

    markRead: Effect.fnUntraced(function* (input, op) {
      const phone = yield* wireChat(op, input.message.chat)
      yield* call(op, "readMessage", { payload: { phone, messageId: input.message.id } })
    }),

    deleteMessage: Effect.fnUntraced(function* (input, op) {
      const phone = yield* wireChat(op, input.message.chat)
      yield* call(op, "deleteMessage", {
        params: { messageId: input.message.id, phone, owner: input.message.fromMe }
      })
    }),

    listChats: (_, op) =>
      Effect.map(
        allPages((page) => call(op, "getChats", { params: { page, pageSize } })),
        (entries) =>
          entries.flatMap((entry) => {
            const chat = chatOf(entry.phone)
            if (chat === undefined) return []
            const unreadCount = count(entry.messagesUnread ?? entry.unread)
            const archived = flag(entry.archived)
            const pinned = flag(entry.pinned)
            const lastMessageAt = EpochDate.fromEpoch(entry.lastMessageTime)
            return [
              new ChatInfo.ChatInfo({
                chat,
                name: entry.name,
                unreadCount,
                archived,
                pinned,
                lastMessageAt
              })
            ]
          })
      ),

    archiveChat: Effect.fnUntraced(function* (input, op) {
      const phone = yield* wireChat(op, input.chat)
      const action = input.archived ? "archive" : "unarchive"
      yield* Effect.flatMap(call(op, "modifyChat", { payload: { phone, action } }), applied(op))
    }),

    pinChat: Effect.fnUntraced(function* (input, op) {
      const phone = yield* wireChat(op, input.chat)
      const action = input.pinned ? "pin" : "unpin"
      yield* Effect.flatMap(call(op, "modifyChat", { payload: { phone, action } }), applied(op))
    }),

    isOnWhatsApp: (input, op) =>
      Effect.map(call(op, "phoneExists", { params: { phone: input.phone.phone } }), (answer) => {
        const exists = single(answer)?.exists ?? false
        return new ContactInfo.PhoneCheck(exists ? { exists, contact: input.phone } : { exists })
      }),

    listContacts: (_, op) =>
      Effect.map(
        allPages((page) => call(op, "getContacts", { params: { page, pageSize } })),
        (entries) =>
          entries.flatMap((entry) => {
            const contact = contactOf(entry.phone)
            if (contact === undefined) return []
            const name = entry.name ?? entry.short ?? entry.vname
            return [
              new ContactInfo.ContactInfo({
                contact,
                name,
                pushName: entry.notify
              })
            ]
          })
      ),

    blockContact: (input, op) =>
      Effect.flatMap(
        call(op, "modifyBlockedContact", {
          payload: { phone: input.contact.phone, action: input.blocked ? "block" : "unblock" }
        }),
        applied(op)
      ),

    getProfilePicture: (input, op) => {
      if (input.chat._tag !== "Contact") {
        return Effect.fail(
          op.refuse(
            "chat",
            "Z-API's profile-picture takes a contact's phone number only, not a group or broadcast list"
          )
        )
      }
      return Effect.map(call(op, "getProfilePicture", { params: { phone: input.chat.phone } }), (answer) => {
        const link = single(answer)?.link
        return new ChatInfo.ProfilePicture(link === undefined || link === "" ? {} : { url: link })
      })
    },

    listGroups: (_, op) =>
      Effect.map(
        allPages((page) => call(op, "getGroups", { params: { page, pageSize } })),
        (entries) =>
          entries.flatMap((entry) => {
            const group = chatOf(entry.phone)
            return group?._tag === "Group"
              ? [new GroupInfo.GroupInfo({ group, subject: entry.name ?? "", participants: [] })]
              : []
          })
      ),

    getGroup: (input, op) =>
      Effect.flatMap(call(op, "getGroupMetadata", { params: { phone: wireGroup(input.group) } }), (metadata) =>
        groupInfo(op, metadata)
      ),

    createGroup: (input, op) =>
      Effect.flatMap(
        call(op, "createGroup", {
          payload: { groupName: input.subject, phones: input.participants.map((contact) => contact.phone) }
        }),
        (created) => {
          const group = chatOf(created.phone)
          return group?._tag === "Group"
            ? Effect.succeed(
                new GroupInfo.GroupInfo({
                  group,
                  subject: input.subject,
                  // Z-API answers only the id: the members are the ones asked for.
                  participants: input.participants.map(
                    (contact) => new GroupInfo.GroupParticipant({ contact, role: "member" })
                  )
                })
              )
            : Effect.fail(op.unexpected("the created group's id in `phone` is not a group id"))
        }
      ),

    addParticipants: participants("addParticipant"),
    removeParticipants: participants("removeParticipant"),
    promoteParticipants: participants("addAdmin"),
    demoteParticipants: participants("removeAdmin"),

    updateGroupSettings: Effect.fnUntraced(function* (input, op) {
      const phone = wireGroup(input.group)
      // Z-API sets all four settings at once: the ones not asked to change keep their current
      // value. The metadata has no "only admins add members"; it follows "only admins edit".
      const current = yield* call(op, "getGroupMetadata", { params: { phone } })
      const adminOnlySettings = input.onlyAdminsCanEditInfo ?? current.adminOnlySettings ?? false
      const result = yield* call(op, "updateGroupSettings", {
        payload: {
          phone,
          adminOnlyMessage: input.onlyAdminsCanSend ?? current.adminOnlyMessage ?? false,
          adminOnlySettings,
          requireAdminApproval: current.requireAdminApproval ?? false,
          adminOnlyAddMember: adminOnlySettings
        }
      })
      yield* applied(op)(result)
    }),

    getGroupInviteLink: (input, op) =>
      Effect.map(
        call(op, "getGroupInvitationLink", { params: { groupId: wireGroup(input.group) } }),
        (answer) => new GroupInfo.GroupInvite({ url: answer.invitationLink })
      ),

    leaveGroup: (input, op) =>
      Effect.flatMap(call(op, "leaveGroup", { payload: { groupId: wireGroup(input.group) } }), applied(op)),

    setProfileName: (input, op) =>
      Effect.flatMap(call(op, "updateProfileName", { payload: { value: input.name } }), applied(op)),

    setProfileStatus: (input, op) =>
      Effect.flatMap(call(op, "updateProfileDescription", { payload: { value: input.status } }), applied(op)),

    setProfilePicture: (input, op) =>
      Effect.flatMap(call(op, "updateProfilePicture", { payload: { value: input.url } }), applied(op)),

    setWebhook: (input, op) =>
      Effect.flatMap(call(op, "updateEveryWebhooks", { payload: { value: input.url } }), applied(op))
  }

  return WhatsApp.make({
    provider,
    operations,
    providerOptions: { schema: ProviderOptions, operations: Operation.groupOf("sending") }
  })
})

/** `WhatsApp` over the `ZApiClient` you provide. */
export const layer: Layer.Layer<WhatsApp.WhatsApp, never, ZApiClient.ZApiClient> = Layer.effect(WhatsApp.WhatsApp, make)

/** `WhatsApp` and its `ZApiClient`, configured from the environment (see `ZApiClient.config`). */
export const layerConfig: Layer.Layer<
  WhatsApp.WhatsApp | ZApiClient.ZApiClient,
  Config.ConfigError,
  HttpClient.HttpClient
> = Layer.provideMerge(layer, ZApiClient.layerConfig)
