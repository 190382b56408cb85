/**
 * A reference to one message: what both vendors need to reply to, forward, react to, mark read
 * or delete it. Mega-API needs the whole WhatsApp key (`remoteJid`, `fromMe`, `id`, and the
 * `participant` in groups); Z-API needs the message id and the chat's phone.
 */
import { Schema } from "effect"
import { Contact } from "./ChatId.ts"

declare const MessageRef_base: Schema.Class<
  MessageRef,
  Schema.Struct<{
    /** The chat the message is in. */
    readonly chat: Schema.Union<
      readonly [typeof Contact, typeof import("./ChatId.ts").Group, typeof import("./ChatId.ts").Broadcast]
    >
    /** The WhatsApp message id (the key id), not a vendor queue id. */
    readonly id: Schema.NonEmptyString
    /** True when this instance sent the message. */
    readonly fromMe: Schema.Boolean
    /** In a group, the member who sent it (needed by Mega-API to act on others' messages). */
    readonly participant: Schema.optional<typeof Contact>
  }>,
  {}
>
/** A message: the chat it is in, its WhatsApp id, who sent it. */
export declare class MessageRef extends MessageRef_base {}
