import { describe, expect, it } from "@effect/vitest"
import { type Capability, ChatId, MessageRef, type SendReceipt, WhatsApp } from "@pombo/core"
import { RecordingHttpClient } from "@pombo/testing"
import { Effect } from "effect"
import * as Generated from "../src/generated/MegaApi.ts"
import { encodedKey, example, providerLayer, token } from "./MegaApiFixture.ts"

const contact = new ChatId.Contact({ phone: "5511999999999" })
const other = new ChatId.Contact({ phone: "5511888888888" })
const group = new ChatId.Group({ id: "120363012345678901" })
const contactJid = "5511999999999@s.whatsapp.net"
const otherJid = "5511888888888@s.whatsapp.net"
const groupJid = "120363012345678901@g.us"
const received = new MessageRef.MessageRef({ chat: contact, id: "3EB0C767D26A1B2C3D4E", fromMe: false })
const inGroup = new MessageRef.MessageRef({ chat: group, id: "3EB0AAAA", fromMe: false, participant: other })
const receivedKey = { remoteJid: contactJid, fromMe: false, id: "3EB0C767D26A1B2C3D4E" }

/** One expected request: method, path after `/rest/` (the instance key is `{key}`), query, JSON body. */
interface Expected {
  readonly method: string
  readonly path: string
  readonly query?: Record<string, string>
  readonly body?: unknown
}

interface Case<A = unknown> {
  readonly operation: Capability.Capability
  readonly name: string
  readonly run: (whatsapp: WhatsApp.Shape) => Effect.Effect<A, unknown>
  /** The 200 bodies answered, in order. */
  readonly answers: ReadonlyArray<unknown>
  readonly requests: ReadonlyArray<Expected>
  readonly result: (value: A) => void
}

/** A case, its result checked with the operation's own result type. */
const op = <A>(c: Case<A>): Case => c as unknown as Case

const post = (path: string, body: unknown): Expected => ({ method: "POST", path, body })
const get = (path: string, query?: Record<string, string>): Expected => ({
  method: "GET",
  path,
  ...(query ? { query } : {})
})
const ack = { error: false, message: "ok" }
const isVoid = (value: unknown) => {
  expect(value).toBeUndefined()
}
const sentTo = (chat: ChatId.ChatId, id: string) => (receipt: SendReceipt.SendReceipt) => {
  expect(receipt.provider).toBe("megaapi")
  expect(receipt.message.id).toBe(id)
  expect(receipt.message.fromMe).toBe(true)
  expect(receipt.message.chat).toEqual(chat)
  expect(receipt.acceptedAt).toEqual(new Date(0))
}
const participantsCase = (
  operation: "addParticipants" | "removeParticipants" | "promoteParticipants" | "demoteParticipants"
): Case => ({
  operation,
  name: `${operation}: group_data with the group and contact JIDs`,
  run: (w) => w[operation]({ group, participants: [other] }),
  answers: [example(operation)],
  requests: [post(`group/{key}/${operation}`, { group_data: { jid: groupJid, participants: [otherJid] } })],
  result: isVoid
})

const cases: ReadonlyArray<Case> = [
  op({
    operation: "getStatus",
    name: "getStatus: connected, with the account's number and name",
    run: (w) => w.getStatus(),
    answers: [example("instanceStatus", 0)],
    requests: [get("instance/{key}")],
    result: (status) => {
      expect(status.connected).toBe(true)
      expect(status.phone).toEqual(contact)
      expect(status.name).toBe("Loja Exemplo")
    }
  }),
  op({
    operation: "getStatus",
    name: "getStatus: no user means not connected",
    run: (w) => w.getStatus(),
    answers: [example("instanceStatus", 1)],
    requests: [get("instance/{key}")],
    result: (status) => expect(status.connected).toBe(false)
  }),
  op({
    operation: "getQrCode",
    name: "getQrCode: the base64 image",
    run: (w) => w.getQrCode(),
    answers: [example("qrcodeBase64")],
    requests: [get("instance/qrcode_base64/{key}")],
    result: (qr) => expect(qr.image).toMatch(/^data:image\/png;base64,iVBOR/)
  }),
  op({
    operation: "getPairingCode",
    name: "getPairingCode: digits in phoneNumber",
    run: (w) => w.getPairingCode({ phone: contact }),
    answers: [example("pairingCode")],
    requests: [get("instance/pairingCode/{key}", { phoneNumber: "5511999999999" })],
    result: (code) => expect(code.code).toBe("K7QX-9M2P")
  }),
  op({
    operation: "logout",
    name: "logout: DELETE …/logout",
    run: (w) => w.logout(),
    answers: [example("instanceLogout")],
    requests: [{ method: "DELETE", path: "instance/{key}/logout" }],
    result: isVoid
  }),
  op({
    operation: "sendText",
    name: "sendText: to a contact JID; the receipt falls back to our chat when the answer's JID is not a valid phone",
    run: (w) => w.sendText({ to: contact, text: "Olá" }),
    answers: [example("sendText", 0)],
    requests: [post("sendMessage/{key}/text", { messageData: { to: contactJid, text: "Olá" } })],
    result: sentTo(contact, "3EB0C767D26A1D0B4F21")
  }),
  op({
    operation: "sendText",
    name: "sendText: to a group, the receipt's chat read from the answer's key",
    run: (w) => w.sendText({ to: group, text: "Olá grupo" }),
    answers: [
      { ...(example("sendText", 1) as object), data: { key: { remoteJid: groupJid, fromMe: true, id: "3EB0G" } } }
    ],
    requests: [post("sendMessage/{key}/text", { messageData: { to: groupJid, text: "Olá grupo" } })],
    result: sentTo(group, "3EB0G")
  }),
  op({
    operation: "sendText",
    name: "sendText: with mentions through textMentioned",
    run: (w) => w.sendText({ to: group, text: "@5511888888888 oi", mentions: [other] }),
    answers: [example("sendTextMentioned")],
    requests: [
      post("sendMessage/{key}/textMentioned", {
        messageData: { to: groupJid, text: "@5511888888888 oi", mentions: [otherJid] }
      })
    ],
    result: sentTo(group, "3EB0C767D26A1D0B4F23")
  }),
  op({
    operation: "sendMedia",
    name: "sendMedia: by URL, file name and MIME type taken from the URL",
    run: (w) =>
      w.sendMedia({
        to: contact,
        kind: "image",
        source: { _tag: "Url", url: "https://cdn.example.com/files/foto.png" },
        caption: "Legenda"
      }),
    answers: [example("sendMediaUrl")],
    requests: [
      post("sendMessage/{key}/mediaUrl", {
        messageData: {
          to: contactJid,
          url: "https://cdn.example.com/files/foto.png",
          fileName: "foto.png",
          type: "image",
          mimeType: "image/png",
          caption: "Legenda"
        }
      })
    ],
    result: sentTo(contact, "3EB0C767D26A1D0B4F24")
  }),
  op({
    operation: "sendMedia",
    name: "sendMedia: a voice note as base64 goes as ptt with a data URI",
    run: (w) =>
      w.sendMedia({ to: contact, kind: "voice", source: { _tag: "Base64", data: "T2dnUw==", mimeType: "audio/ogg" } }),
    answers: [example("sendMediaBase64")],
    requests: [
      post("sendMessage/{key}/mediaBase64", {
        messageData: {
          to: contactJid,
          base64: "data:audio/ogg;base64,T2dnUw==",
          fileName: "voice.ogg",
          type: "ptt",
          mimeType: "audio/ogg"
        }
      })
    ],
    result: sentTo(contact, "3EB0C767D26A1D0B4F27")
  }),
  op({
    operation: "sendLocation",
    name: "sendLocation: the name goes as caption",
    run: (w) =>
      w.sendLocation({
        to: contact,
        latitude: -15.7470795,
        longitude: -48.2982315,
        name: "Escola classe",
        address: "QD 04 Lote 25"
      }),
    answers: [example("sendLocation")],
    requests: [
      post("sendMessage/{key}/location", {
        messageData: {
          to: contactJid,
          latitude: -15.7470795,
          longitude: -48.2982315,
          caption: "Escola classe",
          address: "QD 04 Lote 25"
        }
      })
    ],
    result: sentTo(contact, "3EB0C767D26A1D0B4F28")
  }),
  op({
    operation: "sendContacts",
    name: "sendContacts: one vcard",
    run: (w) => w.sendContacts({ to: contact, contacts: [{ name: "Maria", phone: other, organization: "Loja" }] }),
    answers: [example("sendContactMessage")],
    requests: [
      post("sendMessage/{key}/contactMessage", {
        messageData: {
          to: contactJid,
          vcard: { fullName: "Maria", displayName: "Maria", organization: "Loja", phoneNumber: "5511888888888" }
        }
      })
    ],
    result: sentTo(contact, "3EB0C767D26A1D0B4F2D")
  }),
  op({
    operation: "sendLinkPreview",
    name: "sendLinkPreview: the link appended to the text",
    run: (w) => w.sendLinkPreview({ to: contact, text: "Veja", url: "https://www.youtube.com" }),
    answers: [example("sendLinkPreview")],
    requests: [
      post("sendMessage/{key}/sendLinkPreview", {
        messageData: { to: contactJid, textWithLink: "Veja\nhttps://www.youtube.com" }
      })
    ],
    result: sentTo(contact, "3EB0C767D26A1D0B4F29")
  }),
  op({
    operation: "sendList",
    name: "sendList: sections and rows",
    run: (w) =>
      w.sendList({
        to: contact,
        text: "Escolha o pagamento",
        buttonText: "Escolha",
        title: "Pagamento",
        sections: [{ title: "PIX", rows: [{ id: "pix", title: "PIX", description: "via PIX" }] }]
      }),
    answers: [example("sendListMessage")],
    requests: [
      post("sendMessage/{key}/listMessage", {
        messageData: {
          to: contactJid,
          buttonText: "Escolha",
          text: "Escolha o pagamento",
          title: "Pagamento",
          description: "Escolha o pagamento",
          sections: [{ title: "PIX", rows: [{ title: "PIX", description: "via PIX", rowId: "pix" }] }]
        }
      })
    ],
    result: sentTo(contact, "3EB0C767D26A1D0B4F2A")
  }),
  op({
    operation: "reply",
    name: "reply: looks the quoted content up, then quoteMessage with key and content",
    run: (w) => w.reply({ message: received, text: "Bom dia!" }),
    answers: [example("instanceMessages"), example("quoteMessage")],
    requests: [
      get("instance/messages/{key}", { chat_id: "5511999999999" }),
      post("sendMessage/{key}/quoteMessage", {
        messageData: {
          to: contactJid,
          text: "Bom dia!",
          key: receivedKey,
          message: { conversation: "Olá bom dia" }
        }
      })
    ],
    result: sentTo(contact, "3EB0C767D26A1D0B4F2F")
  }),
  op({
    operation: "forwardMessage",
    name: "forwardMessage: looks the content up, then forwards key and content to the other chat",
    run: (w) => w.forwardMessage({ message: received, to: group }),
    answers: [example("instanceMessages"), example("forwardMessage")],
    requests: [
      get("instance/messages/{key}", { chat_id: "5511999999999" }),
      post("sendMessage/{key}/forwardMessage", {
        messageData: { to: groupJid, key: receivedKey, message: { conversation: "Olá bom dia" } }
      })
    ],
    result: sentTo(group, "3EB0C767D26A1D0B4F2E")
  }),
  op({
    operation: "markRead",
    name: "markRead: the message key, with the group participant's JID",
    run: (w) => w.markRead({ message: inGroup }),
    answers: [example("readMessage")],
    requests: [
      post("chat/{key}/readMessage", {
        messageData: { key: { remoteJid: groupJid, fromMe: false, id: "3EB0AAAA", participant: otherJid } }
      })
    ],
    result: isVoid
  }),
  op({
    operation: "deleteMessage",
    name: "deleteMessage: chat and key",
    run: (w) => w.deleteMessage({ message: received }),
    answers: [example("deleteMessage")],
    requests: [post("chat/{key}/deleteMessage", { messageData: { to: contactJid, key: receivedKey } })],
    result: isVoid
  }),
  op({
    operation: "listChats",
    name: "listChats: JIDs read back, Long timestamps as dates",
    run: (w) => w.listChats(),
    answers: [example("instanceChats")],
    requests: [get("instance/chats/{key}")],
    result: (chats) => {
      expect(chats.map((c) => c.chat)).toEqual([other, group])
      expect(chats[0]?.unreadCount).toBe(2)
      expect(chats[0]?.lastMessageAt).toEqual(new Date(1688998491000))
    }
  }),
  op({
    operation: "archiveChat",
    name: "archiveChat: `option`",
    run: (w) => w.archiveChat({ chat: contact, archived: true }),
    answers: [example("archiveChat")],
    requests: [post("chat/{key}/archiveChat", { to: contactJid, option: true })],
    result: isVoid
  }),
  op({
    operation: "pinChat",
    name: "pinChat: the plural `options`",
    run: (w) => w.pinChat({ chat: group, pinned: false }),
    answers: [example("pinChat")],
    requests: [post("chat/{key}/pinChat", { to: groupJid, options: false })],
    result: isVoid
  }),
  op({
    operation: "sendPresence",
    name: "sendPresence: composing",
    run: (w) => w.sendPresence({ chat: contact, presence: "composing" }),
    answers: [example("presenceUpdateChat")],
    requests: [post("chat/{key}/presenceUpdateChat", { to: contactJid, option: "composing" })],
    result: isVoid
  }),
  op({
    operation: "isOnWhatsApp",
    name: "isOnWhatsApp: a bare number in jid",
    run: (w) => w.isOnWhatsApp({ phone: contact }),
    answers: [example("isOnWhatsApp", 0)],
    requests: [get("instance/isOnWhatsApp/{key}", { jid: "5511999999999" })],
    result: (check) => {
      expect(check.exists).toBe(true)
      expect(check.contact).toEqual(contact)
    }
  }),
  op({
    operation: "isOnWhatsApp",
    name: "isOnWhatsApp: not on WhatsApp",
    run: (w) => w.isOnWhatsApp({ phone: contact }),
    answers: [example("isOnWhatsApp", 1)],
    requests: [get("instance/isOnWhatsApp/{key}", { jid: "5511999999999" })],
    result: (check) => {
      expect(check.exists).toBe(false)
      expect(check.contact).toBeUndefined()
    }
  }),
  op({
    operation: "listContacts",
    name: "listContacts: the `chats` array",
    run: (w) => w.listContacts(),
    answers: [example("instanceContacts")],
    requests: [get("instance/contacts/{key}")],
    result: (contacts) => {
      expect(contacts.map((c) => [c.contact.phone, c.name])).toEqual([
        ["5511888888888", "Maria Silva"],
        ["5511777777777", "João Souza"]
      ])
    }
  }),
  op({
    operation: "blockContact",
    name: "blockContact: `option`",
    run: (w) => w.blockContact({ contact, blocked: true }),
    answers: [example("blockChat")],
    requests: [post("chat/{key}/blockChat", { to: contactJid, option: true })],
    result: isVoid
  }),
  op({
    operation: "getProfilePicture",
    name: "getProfilePicture: full-size picture of a contact",
    run: (w) => w.getProfilePicture({ chat: contact }),
    answers: [example("getProfilePicture")],
    requests: [get("instance/getProfilePicture/{key}", { to: "5511999999999", type: "image" })],
    result: (picture) => expect(picture.url).toMatch(/^https:\/\/pps\.whatsapp\.net\//)
  }),
  op({
    operation: "getProfilePicture",
    name: "getProfilePicture: a group by its JID",
    run: (w) => w.getProfilePicture({ chat: group }),
    answers: [example("getProfilePicture")],
    requests: [get("instance/getProfilePicture/{key}", { to: groupJid, type: "image" })],
    result: (picture) => expect(picture.url).toBeDefined()
  }),
  op({
    operation: "listGroups",
    name: "listGroups: groups with owner, creation and roles",
    run: (w) => w.listGroups(),
    answers: [example("listGroups")],
    requests: [get("group/list/{key}")],
    result: (groups) => {
      expect(groups.map((g) => g.group)).toEqual([group, new ChatId.Group({ id: "120363098765432109" })])
      expect(groups[0]?.subject).toBe("Equipe de Vendas")
      expect(groups[0]?.owner).toEqual(contact)
      expect(groups[0]?.createdAt).toEqual(new Date(1688998491000))
      expect(groups[0]?.participants.map((p) => [p.contact.phone, p.role])).toEqual([
        ["5511999999999", "superadmin"],
        ["5511888888888", "member"]
      ])
      expect(groups[1]?.participants).toEqual([])
    }
  }),
  op({
    operation: "getGroup",
    name: "getGroup: the group JID in `jid`",
    run: (w) => w.getGroup({ group }),
    answers: [example("groupDetail")],
    requests: [get("group/{key}/group", { jid: groupJid })],
    result: (info) => {
      expect(info.group).toEqual(group)
      expect(info.participants.map((p) => p.role)).toEqual(["admin", "member"])
    }
  }),
  op({
    operation: "createGroup",
    name: "createGroup: group_data with name and contact JIDs",
    run: (w) => w.createGroup({ subject: "Nome do Grupo", participants: [other] }),
    answers: [example("createGroup")],
    requests: [post("group/{key}/create", { group_data: { group_name: "Nome do Grupo", participants: [otherJid] } })],
    result: (info) => {
      expect(info.group).toEqual(group)
      expect(info.subject).toBe("Nome do Grupo")
    }
  }),
  participantsCase("addParticipants"),
  participantsCase("removeParticipants"),
  participantsCase("promoteParticipants"),
  participantsCase("demoteParticipants"),
  op({
    operation: "updateGroupSettings",
    name: "updateGroupSettings: one PUT per setting, in the query",
    run: (w) => w.updateGroupSettings({ group, onlyAdminsCanSend: true, onlyAdminsCanEditInfo: false }),
    answers: [example("setWhoCanSendMessage"), example("setWhoCanChangeSettings")],
    requests: [
      { method: "PUT", path: "group/{key}/setWhoCanSendMessage", query: { jid: groupJid, allowOnlyAdmins: "true" } },
      {
        method: "PUT",
        path: "group/{key}/setWhoCanChangeSettings",
        query: { jid: groupJid, allowOnlyAdmins: "false" }
      }
    ],
    result: isVoid
  }),
  op({
    operation: "getGroupInviteLink",
    name: "getGroupInviteLink: the code as a chat.whatsapp.com link",
    run: (w) => w.getGroupInviteLink({ group }),
    answers: [example("groupInviteCode")],
    requests: [get("group/{key}/groupInviteCode", { group_id: groupJid })],
    result: (invite) => expect(invite.url).toBe("https://chat.whatsapp.com/Fk3x9QaZp0L2mN7rT4vB1c")
  }),
  op({
    operation: "leaveGroup",
    name: "leaveGroup: DELETE with the group JID",
    run: (w) => w.leaveGroup({ group }),
    answers: [example("leaveGroup")],
    requests: [{ method: "DELETE", path: "group/{key}/leaveGroup", query: { jid: groupJid } }],
    result: isVoid
  }),
  op({
    operation: "setProfileName",
    name: "setProfileName",
    run: (w) => w.setProfileName({ name: "Loja" }),
    answers: [example("setProfileName")],
    requests: [post("instance/setProfileName/{key}", { messageData: { name: "Loja" } })],
    result: isVoid
  }),
  op({
    operation: "setProfileStatus",
    name: "setProfileStatus",
    run: (w) => w.setProfileStatus({ status: "Atendimento 9h-18h" }),
    answers: [example("setProfileStatus")],
    requests: [post("instance/setProfileStatus/{key}", { messageData: { status: "Atendimento 9h-18h" } })],
    result: isVoid
  }),
  op({
    operation: "setProfilePicture",
    name: "setProfilePicture: reads the connected number, then sends it with the URL",
    run: (w) => w.setProfilePicture({ url: "https://example.com/p.jpg" }),
    answers: [example("instanceStatus", 0), example("setProfilePictureUrl")],
    requests: [
      get("instance/{key}"),
      post("instance/setProfilePictureUrl/{key}", {
        messageData: { to: contactJid, url: "https://example.com/p.jpg" }
      })
    ],
    result: isVoid
  }),
  op({
    operation: "getWebhook",
    name: "getWebhook: the saved URL",
    run: (w) => w.getWebhook(),
    answers: [example("getWebhook")],
    requests: [get("webhook/{key}")],
    result: (info) => expect(info.url).toBe("https://meuwebhook.com")
  }),
  op({
    operation: "setWebhook",
    name: "setWebhook: URL and delivery enabled",
    run: (w) => w.setWebhook({ url: "https://app.example.com/hooks/whatsapp" }),
    answers: [example("configWebhook")],
    requests: [
      post("webhook/{key}/configWebhook", {
        messageData: { webhookUrl: "https://app.example.com/hooks/whatsapp", webhookEnabled: true }
      })
    ],
    result: isVoid
  })
]

const run = <A>(
  effect: (w: WhatsApp.Shape) => Effect.Effect<A, unknown>,
  script: (request: RecordingHttpClient.Recorded, index: number) => RecordingHttpClient.Answer
) => {
  const http = RecordingHttpClient.make(script)
  return Effect.map(WhatsApp.WhatsApp.use(effect).pipe(Effect.provide(providerLayer(http.httpClient))), (value) => ({
    value,
    requests: http.requests
  }))
}

describe("every operation on the wire", () => {
  for (const c of cases) {
    it.effect(c.name, () =>
      Effect.gen(function* () {
        const { value, requests } = yield* run(c.run, (_, index) => ({ status: 200, body: c.answers[index] ?? ack }))
        expect(requests.map((r) => ({ method: r.method, path: r.path, query: r.query, body: r.body }))).toEqual(
          c.requests.map((r) => ({
            method: r.method,
            path: `/rest/${r.path.replace("{key}", encodedKey)}`,
            query: r.query ?? {},
            body: r.body
          }))
        )
        for (const request of requests) {
          expect(request.headers.authorization).toBe(`Bearer ${token}`)
          expect(request.body === undefined || request.headers["content-type"] === "application/json").toBe(true)
        }
        c.result(value)
      })
    )
  }

  it("covers every capability the spec declares", () => {
    expect(new Set(cases.map((c) => c.operation))).toEqual(new Set(Object.keys(Generated.capabilities)))
  })
})

describe("capabilities", () => {
  it.effect("are exactly the spec's capability keys", () =>
    Effect.gen(function* () {
      const { value } = yield* run(
        (w) => Effect.succeed(w.capabilities),
        () => ({ status: 200 })
      )
      expect(value).toEqual(new Set(Object.keys(Generated.capabilities)))
    })
  )

  it.effect("an operation outside them fails with Unsupported and sends nothing", () =>
    Effect.gen(function* () {
      const { value, requests } = yield* run(
        (w) => Effect.flip(w.sendPoll({ to: contact, name: "Pizza?", options: ["Sim", "Não"] })),
        () => ({ status: 200 })
      )
      expect(value).toMatchObject({ _tag: "Unsupported", provider: "megaapi", operation: "sendPoll" })
      expect(requests).toEqual([])
    })
  )
})

describe("what Mega-API cannot send", () => {
  const refusals: ReadonlyArray<[string, (w: WhatsApp.Shape) => Effect.Effect<unknown, unknown>, string]> = [
    ["to a broadcast list", (w) => w.sendText({ to: new ChatId.Broadcast({ id: "status" }), text: "Oi" }), "to"],
    [
      "a sticker",
      (w) => w.sendMedia({ to: contact, kind: "sticker", source: { _tag: "Url", url: "https://x.test/s.webp" } }),
      "kind"
    ],
    [
      "two contact cards in one message",
      (w) =>
        w.sendContacts({
          to: contact,
          contacts: [
            { name: "A", phone: contact },
            { name: "B", phone: other }
          ]
        }),
      "contacts"
    ]
  ]
  for (const [name, call, field] of refusals) {
    it.effect(`${name}: InvalidRequest, nothing sent`, () =>
      Effect.gen(function* () {
        const { value, requests } = yield* run(
          (w) => Effect.flip(call(w)),
          () => ({ status: 200 })
        )
        expect(value).toMatchObject({ _tag: "InvalidRequest", provider: "megaapi", field })
        expect(requests).toEqual([])
      })
    )
  }

  it.effect("forwarding a message that is not in the chat's store: InvalidRequest, nothing forwarded", () =>
    Effect.gen(function* () {
      const { value, requests } = yield* run(
        (w) => Effect.flip(w.forwardMessage({ message: inGroup, to: contact })),
        () => ({ status: 200, body: example("instanceMessages") })
      )
      expect(value).toMatchObject({ _tag: "InvalidRequest", field: "message" })
      expect(requests.map((r) => r.path)).toEqual([`/rest/instance/messages/${encodedKey}`])
    })
  )

  it.effect("a reply whose original is not stored still threads by key, with an empty quote", () =>
    Effect.gen(function* () {
      const { requests } = yield* run(
        (w) => w.reply({ message: inGroup, text: "Oi" }),
        (_, index) => ({ status: 200, body: index === 0 ? { messages: [] } : example("quoteMessage") })
      )
      expect(requests[1]?.body).toMatchObject({ messageData: { to: groupJid, message: {} } })
    })
  )
})
