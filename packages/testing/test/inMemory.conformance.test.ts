import { ChatId, GroupInfo, InMemoryWhatsApp } from "@pombo/core"
import { Conformance } from "../src/index.ts"
import { group } from "./targets.ts"

const groups = [
  new GroupInfo.GroupInfo({
    group,
    subject: "Equipe",
    participants: [
      new GroupInfo.GroupParticipant({ contact: new ChatId.Contact({ phone: "5511987654321" }), role: "admin" })
    ]
  })
]

Conformance.suite({ name: "in-memory (every capability)", layer: () => InMemoryWhatsApp.layer({ groups }), group })
Conformance.suite({
  name: "in-memory (text only)",
  layer: () => InMemoryWhatsApp.layer({ groups, capabilities: ["sendText", "getStatus"] }),
  group
})
