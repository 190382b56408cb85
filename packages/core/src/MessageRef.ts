/**
 * A reference to one message: what both vendors need to reply to, forward, react to, mark read
 * or delete it. Mega-API needs the whole WhatsApp key (`remoteJid`, `fromMe`, `id`, and the
 * `participant` in groups); Z-API needs the message id and the chat's phone.
 */
import { Schema } from "effect"
import { ChatId, Contact } from "./ChatId.ts"

/** A message: the chat it is in, its WhatsApp id, who sent it. */
export class MessageRef extends Schema.Class<MessageRef>("pombo/MessageRef")({
  /** The chat the message is in. */
  chat: ChatId,
  /** The WhatsApp message id (the key id), not a vendor queue id. */
  id: Schema.NonEmptyString,
  /** True when this instance sent the message. */
  fromMe: Schema.Boolean,
  /** In a group, the member who sent it (needed by Mega-API to act on others' messages). */
  participant: Schema.optional(Contact)
}) {}
