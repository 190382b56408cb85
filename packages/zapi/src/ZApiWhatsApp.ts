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
 * Retries follow `RetryPolicy` (set on `ZApiClient`): reads are retried on transient failures,
 * sends only when the request never left or Z-API asked for it, so a message is never sent twice.
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
import * as Generated from "./generated/ZApi.ts"
import * as ZApiClient from "./ZApiClient.ts"
import * as ZApiError from "./ZApiError.ts"

const { provider } = ZApiError

type OperationId = keyof Generated.ZApiClient
type Success<Id extends OperationId> = Effect.Success<ReturnType<Generated.ZApiClient[Id]>>

/** Contacts, chats and groups are read this many per page. */
const pageSize = 100
/** A bound on paging, in case Z-API ignores `page` and answers full pages forever. */
const maxPages = 1000

/** Z-API's id for a group: `-group` for current ids, none for old `<creator>-<timestamp>` ids. */
const wireGroup = (group: ChatId.Group): string => (group.id.includes("-") ? group.id : `${group.id}-group`)

const broadcastUnsupported = (operation: Capability.Capability) =>
  new WhatsAppError.Unsupported({
    provider,
    operation,
    detail: "Z-API documents no chat id for broadcast lists; only contacts and groups can be addressed"
  })

/** Z-API's id for a chat: digits for a contact, the group id for a group. */
const wireChat = (
  operation: Capability.Capability,
  chat: ChatId.ChatId
): Effect.Effect<string, WhatsAppError.Unsupported> => {
  switch (chat._tag) {
    case "Contact":
      return Effect.succeed(chat.phone)
    case "Group":
      return Effect.succeed(wireGroup(chat))
    case "Broadcast":
      return Effect.fail(broadcastUnsupported(operation))
  }
}

/**
 * A contact from a number Z-API answered, normalised like any `ChatId` (ninth digit). A number
 * libphonenumber does not know is kept as Z-API gave it: the vendor saw it on WhatsApp. Ids that
 * are not numbers (LIDs) give undefined.
 */
const contactOf = (phone: string | undefined): ChatId.Contact | undefined => {
  if (phone === undefined) return undefined
  const parsed = ChatId.parsePhone(phone)
  if (Result.isSuccess(parsed)) return new ChatId.Contact({ phone: parsed.success })
  return /^\d{8,15}$/.test(phone) ? new ChatId.Contact({ phone }) : undefined
}

/** A chat id Z-API answered (a number, `…-group` or an old `<creator>-<timestamp>` group id). */
const chatOf = (id: string | undefined): ChatId.ChatId | undefined => {
  if (id === undefined || !(id.endsWith("-group") || /^\d+-\d+$/.test(id))) return contactOf(id)
  const parsed = Effect.runSync(Effect.result(ChatId.group(id)))
  return Result.isSuccess(parsed) ? parsed.success : undefined
}

/** Z-API sends flags as booleans or as the strings `"true"` / `"false"`. */
const flag = (value: boolean | string | undefined): boolean | undefined =>
  value === undefined ? undefined : value === true || value === "true"

const count = (value: number | string | undefined): number | undefined => {
  const n = Number(value)
  return value === undefined || value === "" || !Number.isFinite(n) ? undefined : n
}

/** Z-API's timestamps come in seconds or milliseconds, as numbers or strings. */
const timestamp = (value: number | string | null | undefined): Date | undefined => {
  const n = Number(value)
  if (value === null || value === undefined || value === "" || !Number.isFinite(n) || n <= 0) return undefined
  return new Date(n < 1e12 ? n * 1000 : n)
}

/** Z-API answers some lookups as one object, or as an array of one (the docs show both). */
const single = <A extends object>(answer: A | ReadonlyArray<A>): A | undefined =>
  Array.isArray(answer) ? (answer as ReadonlyArray<A>)[0] : (answer as A)

const mediaUri = (source: Content.MediaSource): string =>
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
const documentExtension = (input: Content.SendMedia): string | undefined => {
  const fromName = input.fileName === undefined ? undefined : extensionOf(input.fileName)
  if (fromName !== undefined) return fromName
  if (input.source._tag === "Base64") {
    const mime = input.source.mimeType.toLowerCase()
    const subtype = mime.split("/")[1] ?? ""
    return documentExtensions[mime] ?? (/^[a-z0-9]{1,10}$/.test(subtype) ? subtype : undefined)
  }
  return extensionOf(new URL(input.source.url).pathname)
}

const refused = (operation: Capability.Capability, field: string, detail: string) =>
  new WhatsAppError.InvalidRequest({ provider, operation, field, detail })

/** Builds the `WhatsApp` service over the `ZApiClient` in context. */
export const make = Effect.gen(function* () {
  const { client, options } = yield* ZApiClient.ZApiClient
  const secrets = [options.token, options.clientToken, options.partnerBearer]
  const unexpected = (operation: Capability.Capability, detail: string) =>
    ZApiError.unexpected(operation, detail, secrets)

  /**
   * One generated call on behalf of `operation`: errors mapped, then retried as a read or a send
   * according to whether the spec marks the Z-API operation idempotent.
   */
  const call = <Id extends OperationId>(
    operation: Capability.Capability,
    operationId: Id,
    ...input: Parameters<Generated.ZApiClient[Id]>
  ): Effect.Effect<Success<Id>, WhatsAppError.WhatsAppError> => {
    const method = client[operationId] as unknown as (
      ...args: ReadonlyArray<unknown>
    ) => Effect.Effect<Success<Id>, Generated.ZApiError>
    return RetryPolicy.retry(Effect.mapError(method(...input), ZApiError.fromClientError(operation, secrets)), {
      kind: Generated.operations[operationId].idempotent ? "read" : "send",
      policy: options.retry
    })
  }

  /** Z-API documents `{"value": false}` as "not applied". */
  const applied =
    (operation: Capability.Capability) =>
    (result: { readonly value: boolean }): Effect.Effect<void, WhatsAppError.InvalidRequest> =>
      result.value ? Effect.void : Effect.fail(ZApiError.notApplied(operation))

  const receipt = (
    chat: ChatId.ChatId,
    result: { readonly zaapId: string; readonly messageId?: string; readonly id?: string }
  ): Effect.Effect<SendReceipt.SendReceipt> =>
    Effect.map(
      Clock.currentTimeMillis,
      (now) =>
        new SendReceipt.SendReceipt({
          provider,
          // forward-message documents only `zaapId`; it is the only id there is then.
          message: new MessageRef.MessageRef({
            chat,
            id: result.messageId ?? result.id ?? result.zaapId,
            fromMe: true
          }),
          providerId: result.zaapId,
          acceptedAt: new Date(now)
        })
    )

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

  const sendMedia = Effect.fnUntraced(function* (input: Content.SendMedia) {
    const operation = "sendMedia"
    const phone = yield* wireChat(operation, input.to)
    const file = mediaUri(input.source)
    const caption = input.caption === undefined ? {} : { caption: input.caption }
    if (input.caption !== undefined && (input.kind === "audio" || input.kind === "voice" || input.kind === "sticker")) {
      return yield* refused(operation, "caption", `Z-API cannot send a caption with ${input.kind} messages`)
    }
    switch (input.kind) {
      case "image":
        return yield* call(operation, "sendImage", { payload: { phone, image: file, ...caption } })
      case "video":
        return yield* call(operation, "sendVideo", { payload: { phone, video: file, ...caption } })
      case "audio":
        return yield* call(operation, "sendAudio", { payload: { phone, audio: file } })
      case "voice":
        // `waveform` is Z-API's voice-note look (sound waves); it documents no other ptt flag.
        return yield* call(operation, "sendAudio", { payload: { phone, audio: file, waveform: true } })
      case "sticker":
        return yield* call(operation, "sendSticker", { payload: { phone, sticker: file } })
      case "document": {
        const extension = documentExtension(input)
        if (extension === undefined) {
          return yield* refused(
            operation,
            "fileName",
            "Z-API needs the document's extension: give a fileName like report.pdf or a known MIME type"
          )
        }
        const fileName = input.fileName === undefined ? {} : { fileName: input.fileName }
        return yield* call(operation, "sendDocument", {
          params: { extension },
          payload: { phone, document: file, ...fileName, ...caption }
        })
      }
    }
  })

  const participants = (
    operation: Capability.Capability,
    operationId: "addParticipant" | "removeParticipant" | "addAdmin" | "removeAdmin",
    input: Content.GroupParticipants
  ) =>
    Effect.flatMap(
      call(operation, operationId, {
        payload: { groupId: wireGroup(input.group), phones: input.participants.map((c) => c.phone) }
      }),
      applied(operation)
    )

  const groupInfo = (
    operation: Capability.Capability,
    metadata: Success<"getGroupMetadata">
  ): Effect.Effect<GroupInfo.GroupInfo, WhatsAppError.UnexpectedResponse> => {
    const group = chatOf(metadata.phone)
    if (group?._tag !== "Group") {
      return Effect.fail(unexpected(operation, "the group metadata has no group id in `phone`"))
    }
    const owner = contactOf(metadata.owner)
    const createdAt = timestamp(metadata.creation)
    return Effect.succeed(
      new GroupInfo.GroupInfo({
        group,
        subject: metadata.subject ?? "",
        ...(metadata.description === undefined ? {} : { description: metadata.description }),
        ...(owner === undefined ? {} : { owner }),
        ...(createdAt === undefined ? {} : { createdAt }),
        participants: metadata.participants.flatMap((member) => {
          const contact = contactOf(member.phone)
          if (contact === undefined) return []
          const role = flag(member.isSuperAdmin) ? "superadmin" : flag(member.isAdmin) ? "admin" : "member"
          return [new GroupInfo.GroupParticipant({ contact, role })]
        })
      })
    )
  }

  const operations: Partial<WhatsApp.Operations> = {
    getStatus: () =>
      Effect.map(
        call("getStatus", "getInstanceStatus"),
        (status) => new Instance.InstanceStatus({ connected: status.connected })
      ),

    getQrCode: () =>
      Effect.flatMap(
        call("getQrCode", "getQrCodeImage"),
        (answer): Effect.Effect<Instance.QrCode, WhatsAppError.WhatsAppError> => {
          if (answer.value !== undefined && answer.value !== "") {
            const image = answer.value.startsWith("data:") ? answer.value : `data:image/png;base64,${answer.value}`
            return Effect.succeed(new Instance.QrCode({ image }))
          }
          if (answer.connected === true) {
            return Effect.fail(
              new WhatsAppError.InvalidRequest({
                provider,
                operation: "getQrCode",
                detail: "the instance is already connected"
              })
            )
          }
          return Effect.fail(unexpected("getQrCode", answer.error ?? "Z-API answered no QR code"))
        }
      ),

    getPairingCode: (input) =>
      Effect.flatMap(call("getPairingCode", "getPhoneCode", { params: { phone: input.phone.phone } }), (answer) => {
        const code = answer.code ?? answer.value
        return code === undefined || code === ""
          ? Effect.fail(unexpected("getPairingCode", answer.error ?? "Z-API answered no pairing code"))
          : Effect.succeed(new Instance.PairingCode({ code }))
      }),

    logout: () => Effect.flatMap(call("logout", "disconnectInstance"), applied("logout")),

    restart: () => Effect.flatMap(call("restart", "restartInstance"), applied("restart")),

    sendText: Effect.fnUntraced(function* (input) {
      const phone = yield* wireChat("sendText", input.to)
      const mentioned = input.mentions?.map((contact) => contact.phone) ?? []
      const payload =
        mentioned.length === 0 ? { phone, message: input.text } : { phone, message: input.text, mentioned }
      return yield* receipt(input.to, yield* call("sendText", "sendText", { payload }))
    }),

    sendMedia: (input) => Effect.flatMap(sendMedia(input), (result) => receipt(input.to, result)),

    sendLocation: Effect.fnUntraced(function* (input) {
      const phone = yield* wireChat("sendLocation", input.to)
      const result = yield* call("sendLocation", "sendLocation", {
        payload: {
          phone,
          title: input.name ?? "",
          address: input.address ?? "",
          latitude: String(input.latitude),
          longitude: String(input.longitude)
        }
      })
      return yield* receipt(input.to, result)
    }),

    sendContacts: Effect.fnUntraced(function* (input) {
      const phone = yield* wireChat("sendContacts", input.to)
      const [only, ...others] = input.contacts
      const result =
        only !== undefined && others.length === 0
          ? yield* call("sendContacts", "sendContact", {
              payload: {
                phone,
                contactName: only.name,
                contactPhone: only.phone.phone,
                ...(only.organization === undefined ? {} : { contactBusinessDescription: only.organization })
              }
            })
          : yield* call("sendContacts", "sendContacts", {
              payload: {
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

    sendLinkPreview: Effect.fnUntraced(function* (input) {
      const operation = "sendLinkPreview"
      const phone = yield* wireChat(operation, input.to)
      if (input.imageUrl === undefined) {
        return yield* refused(operation, "imageUrl", "Z-API's link preview needs an image (imageUrl)")
      }
      // Z-API requires the text to end with the link it previews.
      const text = input.text.trimEnd()
      const message = text.endsWith(input.url) ? text : `${text}\n${input.url}`
      const result = yield* call(operation, "sendLink", {
        payload: {
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

    sendList: Effect.fnUntraced(function* (input) {
      const operation = "sendList"
      const phone = yield* wireChat(operation, input.to)
      if (input.footer !== undefined) return yield* refused(operation, "footer", "Z-API's option list has no footer")
      const result = yield* call(operation, "sendOptionList", {
        payload: {
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

    sendButtons: Effect.fnUntraced(function* (input) {
      const operation = "sendButtons"
      const phone = yield* wireChat(operation, input.to)
      if (input.footer !== undefined) return yield* refused(operation, "footer", "Z-API's button list has no footer")
      const result = yield* call(operation, "sendButtonList", {
        payload: {
          phone,
          message: input.text,
          buttonList: { buttons: input.buttons.map((button) => ({ id: button.id, label: button.label })) }
        }
      })
      return yield* receipt(input.to, result)
    }),

    sendPoll: Effect.fnUntraced(function* (input) {
      const phone = yield* wireChat("sendPoll", input.to)
      const result = yield* call("sendPoll", "sendPoll", {
        payload: {
          phone,
          message: input.name,
          poll: input.options.map((name) => ({ name })),
          // Without pollMaxOptions Z-API makes a multiple-choice poll; Pombo's default is one answer.
          pollMaxOptions: input.selectableCount ?? 1
        }
      })
      return yield* receipt(input.to, result)
    }),

    sendReaction: Effect.fnUntraced(function* (input) {
      const phone = yield* wireChat("sendReaction", input.message.chat)
      const result = yield* call("sendReaction", "sendReaction", {
        payload: { phone, reaction: input.emoji, messageId: input.message.id }
      })
      return yield* receipt(input.message.chat, result)
    }),

    reply: Effect.fnUntraced(function* (input) {
      const phone = yield* wireChat("reply", input.message.chat)
      const result = yield* call("reply", "sendText", {
        payload: { phone, message: input.text, messageId: input.message.id }
      })
      return yield* receipt(input.message.chat, result)
    }),

    forwardMessage: Effect.fnUntraced(function* (input) {
      const phone = yield* wireChat("forwardMessage", input.to)
      const messagePhone = yield* wireChat("forwardMessage", input.message.chat)
      const result = yield* call("forwardMessage", "forwardMessage", {
        payload: { phone, messageId: input.message.id, messagePhone }
      })
      return yield* receipt(input.to, result)
    }),

    markRead: Effect.fnUntraced(function* (input) {
      const phone = yield* wireChat("markRead", input.message.chat)
      yield* call("markRead", "readMessage", { payload: { phone, messageId: input.message.id } })
    }),

    deleteMessage: Effect.fnUntraced(function* (input) {
      const phone = yield* wireChat("deleteMessage", input.message.chat)
      yield* call("deleteMessage", "deleteMessage", {
        params: { messageId: input.message.id, phone, owner: input.message.fromMe }
      })
    }),

    listChats: () =>
      Effect.map(
        allPages((page) => call("listChats", "getChats", { params: { page, pageSize } })),
        (entries) =>
          entries.flatMap((entry) => {
            const chat = chatOf(entry.phone)
            if (chat === undefined) return []
            const unreadCount = count(entry.messagesUnread ?? entry.unread)
            const archived = flag(entry.archived)
            const pinned = flag(entry.pinned)
            const lastMessageAt = timestamp(entry.lastMessageTime)
            return [
              new Directory.ChatInfo({
                chat,
                ...(entry.name === undefined ? {} : { name: entry.name }),
                ...(unreadCount === undefined ? {} : { unreadCount }),
                ...(archived === undefined ? {} : { archived }),
                ...(pinned === undefined ? {} : { pinned }),
                ...(lastMessageAt === undefined ? {} : { lastMessageAt })
              })
            ]
          })
      ),

    archiveChat: Effect.fnUntraced(function* (input) {
      const phone = yield* wireChat("archiveChat", input.chat)
      const action = input.archived ? "archive" : "unarchive"
      yield* Effect.flatMap(call("archiveChat", "modifyChat", { payload: { phone, action } }), applied("archiveChat"))
    }),

    pinChat: Effect.fnUntraced(function* (input) {
      const phone = yield* wireChat("pinChat", input.chat)
      const action = input.pinned ? "pin" : "unpin"
      yield* Effect.flatMap(call("pinChat", "modifyChat", { payload: { phone, action } }), applied("pinChat"))
    }),

    isOnWhatsApp: (input) =>
      Effect.map(call("isOnWhatsApp", "phoneExists", { params: { phone: input.phone.phone } }), (answer) => {
        const exists = single(answer)?.exists ?? false
        return new Directory.PhoneCheck(exists ? { exists, contact: input.phone } : { exists })
      }),

    listContacts: () =>
      Effect.map(
        allPages((page) => call("listContacts", "getContacts", { params: { page, pageSize } })),
        (entries) =>
          entries.flatMap((entry) => {
            const contact = contactOf(entry.phone)
            if (contact === undefined) return []
            const name = entry.name ?? entry.short ?? entry.vname
            return [
              new Directory.ContactInfo({
                contact,
                ...(name === undefined ? {} : { name }),
                ...(entry.notify === undefined ? {} : { pushName: entry.notify })
              })
            ]
          })
      ),

    blockContact: (input) =>
      Effect.flatMap(
        call("blockContact", "modifyBlockedContact", {
          payload: { phone: input.contact.phone, action: input.blocked ? "block" : "unblock" }
        }),
        applied("blockContact")
      ),

    getProfilePicture: (input) => {
      if (input.chat._tag !== "Contact") {
        return Effect.fail(
          new WhatsAppError.Unsupported({
            provider,
            operation: "getProfilePicture",
            detail: "Z-API's profile-picture takes a contact's phone number only, not a group or broadcast list"
          })
        )
      }
      return Effect.map(
        call("getProfilePicture", "getProfilePicture", { params: { phone: input.chat.phone } }),
        (answer) => {
          const link = single(answer)?.link
          return new Directory.ProfilePicture(link === undefined || link === "" ? {} : { url: link })
        }
      )
    },

    listGroups: () =>
      Effect.map(
        allPages((page) => call("listGroups", "getGroups", { params: { page, pageSize } })),
        (entries) =>
          entries.flatMap((entry) => {
            const group = chatOf(entry.phone)
            return group?._tag === "Group"
              ? [new GroupInfo.GroupInfo({ group, subject: entry.name ?? "", participants: [] })]
              : []
          })
      ),

    getGroup: (input) =>
      Effect.flatMap(call("getGroup", "getGroupMetadata", { params: { phone: wireGroup(input.group) } }), (metadata) =>
        groupInfo("getGroup", metadata)
      ),

    createGroup: (input) =>
      Effect.flatMap(
        call("createGroup", "createGroup", {
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
            : Effect.fail(unexpected("createGroup", "the created group's id in `phone` is not a group id"))
        }
      ),

    addParticipants: (input) => participants("addParticipants", "addParticipant", input),
    removeParticipants: (input) => participants("removeParticipants", "removeParticipant", input),
    promoteParticipants: (input) => participants("promoteParticipants", "addAdmin", input),
    demoteParticipants: (input) => participants("demoteParticipants", "removeAdmin", input),

    updateGroupSettings: Effect.fnUntraced(function* (input) {
      const operation = "updateGroupSettings"
      const phone = wireGroup(input.group)
      // Z-API sets all four settings at once: the ones not asked to change keep their current
      // value. The metadata has no "only admins add members"; it follows "only admins edit".
      const current = yield* call(operation, "getGroupMetadata", { params: { phone } })
      const adminOnlySettings = input.onlyAdminsCanEditInfo ?? current.adminOnlySettings ?? false
      const result = yield* call(operation, "updateGroupSettings", {
        payload: {
          phone,
          adminOnlyMessage: input.onlyAdminsCanSend ?? current.adminOnlyMessage ?? false,
          adminOnlySettings,
          requireAdminApproval: current.requireAdminApproval ?? false,
          adminOnlyAddMember: adminOnlySettings
        }
      })
      yield* applied(operation)(result)
    }),

    getGroupInviteLink: (input) =>
      Effect.map(
        call("getGroupInviteLink", "getGroupInvitationLink", { params: { groupId: wireGroup(input.group) } }),
        (answer) => new GroupInfo.GroupInvite({ url: answer.invitationLink })
      ),

    leaveGroup: (input) =>
      Effect.flatMap(
        call("leaveGroup", "leaveGroup", { payload: { groupId: wireGroup(input.group) } }),
        applied("leaveGroup")
      ),

    setProfileName: (input) =>
      Effect.flatMap(
        call("setProfileName", "updateProfileName", { payload: { value: input.name } }),
        applied("setProfileName")
      ),

    setProfileStatus: (input) =>
      Effect.flatMap(
        call("setProfileStatus", "updateProfileDescription", { payload: { value: input.status } }),
        applied("setProfileStatus")
      ),

    setProfilePicture: (input) =>
      Effect.flatMap(
        call("setProfilePicture", "updateProfilePicture", { payload: { value: input.url } }),
        applied("setProfilePicture")
      ),

    setWebhook: (input) =>
      Effect.flatMap(
        call("setWebhook", "updateEveryWebhooks", { payload: { value: input.url } }),
        applied("setWebhook")
      )
  }

  return WhatsApp.WhatsApp.of(WhatsApp.make({ provider, operations }))
})

/** `WhatsApp` over the `ZApiClient` in context. */
export const layer: Layer.Layer<WhatsApp.WhatsApp, never, ZApiClient.ZApiClient> = Layer.effect(WhatsApp.WhatsApp, make)

/**
 * `WhatsApp` and `ZApiClient` configured from the environment (`ZAPI_INSTANCE_ID`, `ZAPI_TOKEN`,
 * `ZAPI_CLIENT_TOKEN`, `ZAPI_BASE_URL`); bring an `HttpClient`.
 */
export const layerConfig: Layer.Layer<
  WhatsApp.WhatsApp | ZApiClient.ZApiClient,
  Config.ConfigError,
  HttpClient.HttpClient
> = Layer.provideMerge(layer, ZApiClient.layerConfig)
