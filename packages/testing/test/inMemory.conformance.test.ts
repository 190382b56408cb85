import { ChatId, GroupInfo, InMemoryWhatsApp } from "@pombo/core"
import { conformance } from "./conformance.ts"

const group = new ChatId.Group({ id: "120363019502650977" })
const groups = [
  new GroupInfo.GroupInfo({
    group,
    subject: "Equipe",
    participants: [
      new GroupInfo.GroupParticipant({ contact: new ChatId.Contact({ phone: "5511987654321" }), role: "admin" })
    ]
  })
]

conformance("in-memory (every capability)", InMemoryWhatsApp.layer({ groups }), group)
conformance("in-memory (text only)", InMemoryWhatsApp.layer({ groups, capabilities: ["sendText", "getStatus"] }), group)
