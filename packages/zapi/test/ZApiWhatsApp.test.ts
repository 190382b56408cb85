/**
 * The `WhatsApp` service over Z-API, specified operation by operation against a recording fake
 * answering with the spec's examples: the request each operation sends (method, path with the
 * bound instance and encoded values, query, auth header, JSON body) and how the answer becomes a
 * core value.
 */

import { describe, expect, it } from "@effect/vitest"
import {
  type Capability,
  ChatId,
  ChatInfo,
  ContactInfo,
  GroupInfo,
  Instance,
  MessageRef,
  SendReceipt,
  type WhatsApp,
  type WhatsAppError
} from "@pombo/core"
import { RecordingHttpClient } from "@pombo/testing"
import { Effect } from "effect"
import { Generated } from "../src/index.ts"
import { clientToken, fake, prefix, withWhatsApp } from "./ZApiFixture.ts"

const contact = new ChatId.Contact({ phone: "5511999999999" })
const other = new ChatId.Contact({ phone: "5511888888888" })
const group = new ChatId.Group({ id: "120363019502650977" })
const oldGroup = new ChatId.Group({ id: "5511999999999-1623281429" })
const received = new MessageRef.MessageRef({ chat: contact, id: "3999984263738042930CD6ECDE9VDWSA", fromMe: false })
const mine = new MessageRef.MessageRef({ chat: contact, id: "D241XXXX732339502B68", fromMe: true })

/** The send answer every send operation documents. */
const queued = {
  zaapId: "3999984263738042930CD6ECDE9VDWSA",
  messageId: "D241XXXX732339502B68",
  id: "D241XXXX732339502B68"
}
const applied = { value: true }

/** The receipt for `queued`, at the test clock's time (0). */
const receiptTo = (chat: ChatId.ChatId, id = queued.messageId) =>
  new SendReceipt.SendReceipt({
    provider: "zapi",
    message: new MessageRef.MessageRef({ chat, id, fromMe: true }),
    providerId: queued.zaapId,
    acceptedAt: new Date(0)
  })

const groupMetadata = {
  phone: "120363019502650977-group",
  description: "Z-API Group",
  owner: "5511999999999",
  subject: "My group in Z-API",
  creation: 1588721491000,
  invitationLink: "https://chat.whatsapp.com/40Aasd6af1",
  communityId: null,
  adminOnlyMessage: false,
  adminOnlySettings: false,
  requireAdminApproval: false,
  isGroupAnnouncement: false,
  participants: [
    { phone: "5511888888888", isAdmin: false, isSuperAdmin: false },
    { phone: "5511777777777", isAdmin: true, isSuperAdmin: false, short: "ZAPIs", name: "ZAPIs Boys" }
  ],
  subjectTime: 1617805323000,
  subjectOwner: "554497050785"
}

interface ExpectedRequest {
  readonly method: string
  readonly path: string
  readonly query?: Record<string, string>
  readonly body?: unknown
}

interface Case {
  readonly name: string
  readonly capability: Capability.Capability
  readonly run: (whatsapp: WhatsApp.Shape) => Effect.Effect<unknown, WhatsAppError.WhatsAppError>
  readonly replies: ReadonlyArray<RecordingHttpClient.Answer>
  readonly requests: ReadonlyArray<ExpectedRequest>
  readonly result: unknown
}

const cases: ReadonlyArray<Case> = [
  {
    name: "getStatus reads /status",
    capability: "getStatus",
    run: (w) => w.getStatus(),
    replies: [
      RecordingHttpClient.json({ connected: true, error: "You are already connected.", smartphoneConnected: true })
    ],
    requests: [{ method: "GET", path: "/status" }],
    result: new Instance.InstanceStatus({ connected: true })
  },
  {
    name: "getQrCode reads the QR code image",
    capability: "getQrCode",
    run: (w) => w.getQrCode(),
    replies: [RecordingHttpClient.json({ value: "data:image/png;base64,iVBORw0KGgo=" })],
    requests: [{ method: "GET", path: "/qr-code/image" }],
    result: new Instance.QrCode({ image: "data:image/png;base64,iVBORw0KGgo=" })
  },
  {
    name: "getPairingCode puts the phone in the path",
    capability: "getPairingCode",
    run: (w) => w.getPairingCode({ phone: contact }),
    replies: [RecordingHttpClient.json({ code: "ABCD-1234" })],
    requests: [{ method: "GET", path: "/phone-code/5511999999999" }],
    result: new Instance.PairingCode({ code: "ABCD-1234" })
  },
  {
    name: "logout disconnects the instance",
    capability: "logout",
    run: (w) => w.logout(),
    replies: [RecordingHttpClient.json(applied)],
    requests: [{ method: "GET", path: "/disconnect" }],
    result: undefined
  },
  {
    name: "restart restarts the instance",
    capability: "restart",
    run: (w) => w.restart(),
    replies: [RecordingHttpClient.json(applied)],
    requests: [{ method: "GET", path: "/restart" }],
    result: undefined
  },
  {
    name: "sendText sends digits for a contact",
    capability: "sendText",
    run: (w) => w.sendText({ to: contact, text: "Welcome to *Z-API*" }),
    replies: [RecordingHttpClient.json(queued)],
    requests: [{ method: "POST", path: "/send-text", body: { phone: "5511999999999", message: "Welcome to *Z-API*" } }],
    result: receiptTo(contact)
  },
  {
    name: "sendText to a group with mentions",
    capability: "sendText",
    run: (w) =>
      w.sendText({
        to: group,
        text: "Welcome @5511888888888",
        mentions: [new ChatId.Contact({ phone: "5511888888888" })]
      }),
    replies: [RecordingHttpClient.json(queued)],
    requests: [
      {
        method: "POST",
        path: "/send-text",
        body: { phone: "120363019502650977-group", message: "Welcome @5511888888888", mentioned: ["5511888888888"] }
      }
    ],
    result: receiptTo(group)
  },
  {
    name: "sendText to an old-style group keeps its id",
    capability: "sendText",
    run: (w) => w.sendText({ to: oldGroup, text: "Hi" }),
    replies: [RecordingHttpClient.json(queued)],
    requests: [{ method: "POST", path: "/send-text", body: { phone: "5511999999999-1623281429", message: "Hi" } }],
    result: receiptTo(oldGroup)
  },
  {
    name: "sendMedia image by URL",
    capability: "sendMedia",
    run: (w) =>
      w.sendMedia({
        to: contact,
        kind: "image",
        source: { _tag: "Url", url: "https://www.z-api.io/logo.png" },
        caption: "Logo"
      }),
    replies: [RecordingHttpClient.json(queued)],
    requests: [
      {
        method: "POST",
        path: "/send-image",
        body: { phone: "5511999999999", image: "https://www.z-api.io/logo.png", caption: "Logo" }
      }
    ],
    result: receiptTo(contact)
  },
  {
    name: "sendMedia video as base64 becomes a data URI",
    capability: "sendMedia",
    run: (w) =>
      w.sendMedia({ to: contact, kind: "video", source: { _tag: "Base64", data: "AAYX", mimeType: "video/mp4" } }),
    replies: [RecordingHttpClient.json(queued)],
    requests: [
      { method: "POST", path: "/send-video", body: { phone: "5511999999999", video: "data:video/mp4;base64,AAYX" } }
    ],
    result: receiptTo(contact)
  },
  {
    name: "sendMedia audio",
    capability: "sendMedia",
    run: (w) =>
      w.sendMedia({ to: contact, kind: "audio", source: { _tag: "Url", url: "https://example.com/song.mp3" } }),
    replies: [RecordingHttpClient.json(queued)],
    requests: [
      { method: "POST", path: "/send-audio", body: { phone: "5511999999999", audio: "https://example.com/song.mp3" } }
    ],
    result: receiptTo(contact)
  },
  {
    name: "sendMedia voice is audio with the waveform",
    capability: "sendMedia",
    run: (w) =>
      w.sendMedia({ to: contact, kind: "voice", source: { _tag: "Base64", data: "SUQz", mimeType: "audio/mpeg" } }),
    replies: [RecordingHttpClient.json(queued)],
    requests: [
      {
        method: "POST",
        path: "/send-audio",
        body: { phone: "5511999999999", audio: "data:audio/mpeg;base64,SUQz", waveform: true }
      }
    ],
    result: receiptTo(contact)
  },
  {
    name: "sendMedia sticker",
    capability: "sendMedia",
    run: (w) =>
      w.sendMedia({ to: contact, kind: "sticker", source: { _tag: "Url", url: "https://example.com/s.webp" } }),
    replies: [RecordingHttpClient.json(queued)],
    requests: [
      { method: "POST", path: "/send-sticker", body: { phone: "5511999999999", sticker: "https://example.com/s.webp" } }
    ],
    result: receiptTo(contact)
  },
  {
    name: "sendMedia document takes its extension from the MIME type",
    capability: "sendMedia",
    run: (w) =>
      w.sendMedia({
        to: contact,
        kind: "document",
        source: { _tag: "Base64", data: "JVBE", mimeType: "application/pdf" },
        fileName: "My PDF"
      }),
    replies: [RecordingHttpClient.json(queued)],
    requests: [
      {
        method: "POST",
        path: "/send-document/pdf",
        body: { phone: "5511999999999", document: "data:application/pdf;base64,JVBE", fileName: "My PDF" }
      }
    ],
    result: receiptTo(contact)
  },
  {
    name: "sendMedia document takes its extension from the file name",
    capability: "sendMedia",
    run: (w) =>
      w.sendMedia({
        to: group,
        kind: "document",
        source: { _tag: "Url", url: "https://example.com/download?id=7" },
        fileName: "Report 2026.XLSX",
        caption: "Numbers"
      }),
    replies: [RecordingHttpClient.json(queued)],
    requests: [
      {
        method: "POST",
        path: "/send-document/xlsx",
        body: {
          phone: "120363019502650977-group",
          document: "https://example.com/download?id=7",
          fileName: "Report 2026.XLSX",
          caption: "Numbers"
        }
      }
    ],
    result: receiptTo(group)
  },
  {
    name: "sendLocation sends coordinates as strings",
    capability: "sendLocation",
    run: (w) =>
      w.sendLocation({
        to: contact,
        latitude: -23.0696347,
        longitude: -50.4357913,
        name: "Google Brazil",
        address: "Av. Brg. Faria Lima, 3477"
      }),
    replies: [RecordingHttpClient.json(queued)],
    requests: [
      {
        method: "POST",
        path: "/send-location",
        body: {
          phone: "5511999999999",
          title: "Google Brazil",
          address: "Av. Brg. Faria Lima, 3477",
          latitude: "-23.0696347",
          longitude: "-50.4357913"
        }
      }
    ],
    result: receiptTo(contact)
  },
  {
    name: "sendContacts with one card uses send-contact",
    capability: "sendContacts",
    run: (w) =>
      w.sendContacts({
        to: contact,
        contacts: [{ name: "Z-API Contato", phone: new ChatId.Contact({ phone: "5544999999999" }) }]
      }),
    replies: [RecordingHttpClient.json(queued)],
    requests: [
      {
        method: "POST",
        path: "/send-contact",
        body: { phone: "5511999999999", contactName: "Z-API Contato", contactPhone: "5544999999999" }
      }
    ],
    result: receiptTo(contact)
  },
  {
    name: "sendContacts with several cards uses send-contacts",
    capability: "sendContacts",
    run: (w) =>
      w.sendContacts({
        to: contact,
        contacts: [
          { name: "Ana", phone: new ChatId.Contact({ phone: "5544999999999" }) },
          { name: "Bia", phone: other, organization: "An Irrah Group company" }
        ]
      }),
    replies: [RecordingHttpClient.json(queued)],
    requests: [
      {
        method: "POST",
        path: "/send-contacts",
        body: {
          phone: "5511999999999",
          contacts: [
            { name: "Ana", phones: ["5544999999999"] },
            { name: "Bia", phones: ["5511888888888"], businessDescription: "An Irrah Group company" }
          ]
        }
      }
    ],
    result: receiptTo(contact)
  },
  {
    name: "sendLinkPreview ends the text with the link",
    capability: "sendLinkPreview",
    run: (w) =>
      w.sendLinkPreview({
        to: contact,
        text: "Learn more",
        url: "https://z-api.io",
        title: "Z-API",
        description: "WhatsApp Integration",
        imageUrl: "https://example.com/logo.png"
      }),
    replies: [RecordingHttpClient.json(queued)],
    requests: [
      {
        method: "POST",
        path: "/send-link",
        body: {
          phone: "5511999999999",
          message: "Learn more\nhttps://z-api.io",
          image: "https://example.com/logo.png",
          linkUrl: "https://z-api.io",
          title: "Z-API",
          linkDescription: "WhatsApp Integration"
        }
      }
    ],
    result: receiptTo(contact)
  },
  {
    name: "sendList sends an option list",
    capability: "sendList",
    run: (w) =>
      w.sendList({
        to: contact,
        text: "Select the best option:",
        buttonText: "Open options list",
        title: "Available Options",
        sections: [
          { title: "APIs", rows: [{ id: "1", title: "Z-API", description: "Wings for your imagination" }] },
          { title: "Others", rows: [{ id: "2", title: "Others" }] }
        ]
      }),
    replies: [RecordingHttpClient.json(queued)],
    requests: [
      {
        method: "POST",
        path: "/send-option-list",
        body: {
          phone: "5511999999999",
          message: "Select the best option:",
          optionList: {
            title: "Available Options",
            buttonLabel: "Open options list",
            options: [
              { id: "1", title: "Z-API", description: "Wings for your imagination" },
              { id: "2", title: "Others", description: "" }
            ]
          }
        }
      }
    ],
    result: receiptTo(contact)
  },
  {
    name: "sendButtons sends a button list",
    capability: "sendButtons",
    run: (w) =>
      w.sendButtons({
        to: contact,
        text: "Is Z-API Good?",
        buttons: [
          { id: "1", label: "Great" },
          { id: "2", label: "Excellent" }
        ]
      }),
    replies: [RecordingHttpClient.json(queued)],
    requests: [
      {
        method: "POST",
        path: "/send-button-list",
        body: {
          phone: "5511999999999",
          message: "Is Z-API Good?",
          buttonList: {
            buttons: [
              { id: "1", label: "Great" },
              { id: "2", label: "Excellent" }
            ]
          }
        }
      }
    ],
    result: receiptTo(contact)
  },
  {
    name: "sendPoll is single choice unless told otherwise",
    capability: "sendPoll",
    run: (w) => w.sendPoll({ to: contact, name: "What is the best API for WhatsApp?", options: ["Z-API", "Other"] }),
    replies: [RecordingHttpClient.json(queued)],
    requests: [
      {
        method: "POST",
        path: "/send-poll",
        body: {
          phone: "5511999999999",
          message: "What is the best API for WhatsApp?",
          poll: [{ name: "Z-API" }, { name: "Other" }],
          pollMaxOptions: 1
        }
      }
    ],
    result: receiptTo(contact)
  },
  {
    name: "sendReaction reacts to a message in its chat",
    capability: "sendReaction",
    run: (w) => w.sendReaction({ message: received, emoji: "❤️" }),
    replies: [RecordingHttpClient.json(queued)],
    requests: [
      {
        method: "POST",
        path: "/send-reaction",
        body: { phone: "5511999999999", reaction: "❤️", messageId: received.id }
      }
    ],
    result: receiptTo(contact)
  },
  {
    name: "reply is send-text with the quoted message id",
    capability: "reply",
    run: (w) => w.reply({ message: received, text: "Welcome to *Z-API*" }),
    replies: [RecordingHttpClient.json(queued)],
    requests: [
      {
        method: "POST",
        path: "/send-text",
        body: { phone: "5511999999999", message: "Welcome to *Z-API*", messageId: received.id }
      }
    ],
    result: receiptTo(contact)
  },
  {
    name: "forwardMessage names the source chat; Z-API documents only zaapId in the answer",
    capability: "forwardMessage",
    run: (w) => w.forwardMessage({ message: received, to: other }),
    replies: [RecordingHttpClient.json({ zaapId: queued.zaapId })],
    requests: [
      {
        method: "POST",
        path: "/forward-message",
        body: { phone: "5511888888888", messageId: received.id, messagePhone: "5511999999999" }
      }
    ],
    result: receiptTo(other, queued.zaapId)
  },
  {
    name: "markRead reads one message",
    capability: "markRead",
    run: (w) => w.markRead({ message: received }),
    replies: [RecordingHttpClient.empty(204)],
    requests: [{ method: "POST", path: "/read-message", body: { phone: "5511999999999", messageId: received.id } }],
    result: undefined
  },
  {
    name: "deleteMessage passes id, chat and owner in the query",
    capability: "deleteMessage",
    run: (w) => w.deleteMessage({ message: mine }),
    replies: [RecordingHttpClient.empty(204)],
    requests: [
      {
        method: "DELETE",
        path: "/messages",
        query: { messageId: mine.id, phone: "5511999999999", owner: "true" }
      }
    ],
    result: undefined
  },
  {
    name: "listChats reads pages and normalises string flags and second timestamps",
    capability: "listChats",
    run: (w) => w.listChats(),
    replies: [
      RecordingHttpClient.json([
        {
          archived: "false",
          pinned: "true",
          messagesUnread: 0,
          phone: "5511999999999",
          unread: "0",
          name: "Z-API SUPPORT",
          lastMessageTime: "1622991687",
          isMuted: "0",
          isMarketSpam: "false"
        },
        { isGroup: true, name: "Test group", phone: "120263358412332916-group", messagesUnread: "3", archived: true }
      ])
    ],
    requests: [{ method: "GET", path: "/chats", query: { page: "1", pageSize: "100" } }],
    result: [
      new ChatInfo.ChatInfo({
        chat: contact,
        name: "Z-API SUPPORT",
        unreadCount: 0,
        archived: false,
        pinned: true,
        lastMessageAt: new Date(1622991687000)
      }),
      new ChatInfo.ChatInfo({
        chat: new ChatId.Group({ id: "120263358412332916" }),
        name: "Test group",
        unreadCount: 3,
        archived: true
      })
    ]
  },
  {
    name: "archiveChat",
    capability: "archiveChat",
    run: (w) => w.archiveChat({ chat: contact, archived: true }),
    replies: [RecordingHttpClient.json(applied)],
    requests: [{ method: "POST", path: "/modify-chat", body: { phone: "5511999999999", action: "archive" } }],
    result: undefined
  },
  {
    name: "pinChat (unpin)",
    capability: "pinChat",
    run: (w) => w.pinChat({ chat: group, pinned: false }),
    replies: [RecordingHttpClient.json(applied)],
    requests: [{ method: "POST", path: "/modify-chat", body: { phone: "120363019502650977-group", action: "unpin" } }],
    result: undefined
  },
  {
    name: "isOnWhatsApp reads the array answer",
    capability: "isOnWhatsApp",
    run: (w) => w.isOnWhatsApp({ phone: contact }),
    replies: [RecordingHttpClient.json([{ exists: true }])],
    requests: [{ method: "GET", path: "/phone-exists/5511999999999" }],
    result: new ContactInfo.PhoneCheck({ exists: true, contact })
  },
  {
    name: "listContacts gives the ninth digit to old numbers",
    capability: "listContacts",
    run: (w) => w.listContacts(),
    replies: [
      RecordingHttpClient.json([
        {
          name: "First and last name of contact 1",
          short: "Contact Name 1",
          notify: "WhatsApp Name 1",
          vname: "Name no vcard",
          phone: "559999999999"
        }
      ])
    ],
    requests: [{ method: "GET", path: "/contacts", query: { page: "1", pageSize: "100" } }],
    result: [
      new ContactInfo.ContactInfo({
        contact: new ChatId.Contact({ phone: "5599999999999" }),
        name: "First and last name of contact 1",
        pushName: "WhatsApp Name 1"
      })
    ]
  },
  {
    name: "blockContact",
    capability: "blockContact",
    run: (w) => w.blockContact({ contact, blocked: true }),
    replies: [RecordingHttpClient.json(applied)],
    requests: [{ method: "POST", path: "/contacts/modify-blocked", body: { phone: "5511999999999", action: "block" } }],
    result: undefined
  },
  {
    name: "getProfilePicture puts the phone in the query",
    capability: "getProfilePicture",
    run: (w) => w.getProfilePicture({ chat: contact }),
    replies: [RecordingHttpClient.json([{ link: "https://pps.whatsapp.net/v/t61/photo.jpg" }])],
    requests: [{ method: "GET", path: "/profile-picture", query: { phone: "5511999999999" } }],
    result: new ChatInfo.ProfilePicture({ url: "https://pps.whatsapp.net/v/t61/photo.jpg" })
  },
  {
    name: "listGroups",
    capability: "listGroups",
    run: (w) => w.listGroups(),
    replies: [
      RecordingHttpClient.json([
        {
          isGroup: true,
          name: "Test group",
          phone: "120263358412332916-group",
          unread: "0",
          lastMessageTime: "1730918668000",
          isMuted: "0",
          isMarketSpam: "false",
          archived: "false",
          pinned: "false",
          muteEndTime: null,
          messagesUnread: "0"
        },
        { isGroup: true, name: "Old group", phone: "5511999999999-1623281429" }
      ])
    ],
    requests: [{ method: "GET", path: "/groups", query: { page: "1", pageSize: "100" } }],
    result: [
      new GroupInfo.GroupInfo({
        group: new ChatId.Group({ id: "120263358412332916" }),
        subject: "Test group",
        participants: []
      }),
      new GroupInfo.GroupInfo({ group: oldGroup, subject: "Old group", participants: [] })
    ]
  },
  {
    name: "getGroup reads the metadata and the members' roles",
    capability: "getGroup",
    run: (w) => w.getGroup({ group }),
    replies: [RecordingHttpClient.json(groupMetadata)],
    requests: [{ method: "GET", path: "/group-metadata/120363019502650977-group" }],
    result: new GroupInfo.GroupInfo({
      group,
      subject: "My group in Z-API",
      description: "Z-API Group",
      owner: contact,
      createdAt: new Date(1588721491000),
      participants: [
        new GroupInfo.GroupParticipant({ contact: other, role: "member" }),
        new GroupInfo.GroupParticipant({ contact: new ChatId.Contact({ phone: "5511777777777" }), role: "admin" })
      ]
    })
  },
  {
    name: "createGroup",
    capability: "createGroup",
    run: (w) => w.createGroup({ subject: "Grupo Z-API", participants: [other] }),
    replies: [
      RecordingHttpClient.json({
        phone: "120363019502650977-group",
        invitationLink: "https://chat.whatsapp.com/GONwbGGDkLe8BifUWwLgct"
      })
    ],
    requests: [
      { method: "POST", path: "/create-group", body: { groupName: "Grupo Z-API", phones: ["5511888888888"] } }
    ],
    result: new GroupInfo.GroupInfo({
      group,
      subject: "Grupo Z-API",
      participants: [new GroupInfo.GroupParticipant({ contact: other, role: "member" })]
    })
  },
  ...(
    [
      ["addParticipants", "/add-participant"],
      ["removeParticipants", "/remove-participant"],
      ["promoteParticipants", "/add-admin"],
      ["demoteParticipants", "/remove-admin"]
    ] as const
  ).map(
    ([capability, path]): Case => ({
      name: `${capability} → POST ${path}`,
      capability,
      run: (w) => w[capability]({ group, participants: [other] }),
      replies: [RecordingHttpClient.json(applied)],
      requests: [{ method: "POST", path, body: { groupId: "120363019502650977-group", phones: ["5511888888888"] } }],
      result: undefined
    })
  ),
  {
    name: "updateGroupSettings keeps the settings not asked to change",
    capability: "updateGroupSettings",
    run: (w) => w.updateGroupSettings({ group, onlyAdminsCanSend: true }),
    replies: [RecordingHttpClient.json(groupMetadata), RecordingHttpClient.json(applied)],
    requests: [
      { method: "GET", path: "/group-metadata/120363019502650977-group" },
      {
        method: "POST",
        path: "/update-group-settings",
        body: {
          phone: "120363019502650977-group",
          adminOnlyMessage: true,
          adminOnlySettings: false,
          requireAdminApproval: false,
          adminOnlyAddMember: false
        }
      }
    ],
    result: undefined
  },
  {
    name: "getGroupInviteLink is a POST without body",
    capability: "getGroupInviteLink",
    run: (w) => w.getGroupInviteLink({ group }),
    replies: [
      RecordingHttpClient.json({
        phone: "120363019502650977-group",
        invitationLink: "https://chat.whatsapp.com/C1adgkdEGki7554BWDdMkd"
      })
    ],
    requests: [{ method: "POST", path: "/group-invitation-link/120363019502650977-group" }],
    result: new GroupInfo.GroupInvite({ url: "https://chat.whatsapp.com/C1adgkdEGki7554BWDdMkd" })
  },
  {
    name: "leaveGroup",
    capability: "leaveGroup",
    run: (w) => w.leaveGroup({ group: oldGroup }),
    replies: [RecordingHttpClient.json(applied)],
    requests: [{ method: "POST", path: "/leave-group", body: { groupId: "5511999999999-1623281429" } }],
    result: undefined
  },
  {
    name: "setProfileName",
    capability: "setProfileName",
    run: (w) => w.setProfileName({ name: "Profile Name" }),
    replies: [RecordingHttpClient.json(applied)],
    requests: [{ method: "PUT", path: "/profile-name", body: { value: "Profile Name" } }],
    result: undefined
  },
  {
    name: "setProfileStatus",
    capability: "setProfileStatus",
    run: (w) => w.setProfileStatus({ status: "Profile Description" }),
    replies: [RecordingHttpClient.json(applied)],
    requests: [{ method: "PUT", path: "/profile-description", body: { value: "Profile Description" } }],
    result: undefined
  },
  {
    name: "setProfilePicture",
    capability: "setProfilePicture",
    run: (w) => w.setProfilePicture({ url: "https://example.com/images/profile.jpg" }),
    replies: [RecordingHttpClient.json(applied)],
    requests: [{ method: "PUT", path: "/profile-picture", body: { value: "https://example.com/images/profile.jpg" } }],
    result: undefined
  },
  {
    name: "setWebhook points every webhook at one URL",
    capability: "setWebhook",
    run: (w) => w.setWebhook({ url: "https://example.com/webhooks/zapi" }),
    replies: [RecordingHttpClient.json(applied)],
    requests: [{ method: "PUT", path: "/update-every-webhooks", body: { value: "https://example.com/webhooks/zapi" } }],
    result: undefined
  }
]

const expectRequest = (actual: RecordingHttpClient.Recorded | undefined, expected: ExpectedRequest) => {
  expect(actual).toBeDefined()
  const request = actual!
  expect(request.method).toBe(expected.method)
  expect(request.path).toBe(`${prefix}${expected.path}`)
  expect(request.query).toEqual(expected.query ?? {})
  expect(request.headers["client-token"]).toBe(clientToken)
  expect(request.body).toEqual(expected.body)
  expect(request.contentType).toBe(expected.body === undefined ? undefined : "application/json")
}

describe("every operation: request and result", () => {
  for (const c of cases) {
    it.effect(c.name, () =>
      Effect.gen(function* () {
        const { recorded, layer } = fake(c.replies)
        const result = yield* withWhatsApp(c.run).pipe(Effect.provide(layer))
        expect(result).toEqual(c.result)
        expect(recorded).toHaveLength(c.requests.length)
        for (const [i, expected] of c.requests.entries()) expectRequest(recorded[i], expected)
      })
    )
  }

  it("covers every capability the spec backs", () => {
    expect(new Set(cases.map((c) => c.capability))).toEqual(new Set(Object.keys(Generated.capabilities)))
  })

  it.effect("the instance id and token are URL-encoded in the path", () =>
    Effect.gen(function* () {
      const { recorded, layer } = fake(RecordingHttpClient.json({ connected: false }), { instanceId: "inst/1" })
      yield* withWhatsApp((w) => w.getStatus()).pipe(Effect.provide(layer))
      expect(recorded[0]!.path).toBe(`/instances/inst%2F1/token/SECRET-TOKEN-123/status`)
    })
  )
})

describe("paging", () => {
  it.effect("reads pages until a short one", () =>
    Effect.gen(function* () {
      const page = (n: number, from: number) =>
        RecordingHttpClient.json(
          Array.from({ length: n }, (_, i) => ({ phone: `55119${String(from + i).padStart(8, "0")}` }))
        )
      const { recorded, layer } = fake([page(100, 0), page(100, 100), page(3, 200)])
      const contacts = yield* withWhatsApp((w) => w.listContacts()).pipe(Effect.provide(layer))
      expect(contacts).toHaveLength(203)
      expect(recorded.map((r) => r.query.page)).toEqual(["1", "2", "3"])
    })
  )
})
