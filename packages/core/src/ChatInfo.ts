/** What the chat operations answer: the chat list and profile pictures. */
import { Schema } from "effect"
import { ChatId } from "./ChatId.ts"

/** One chat in the instance's chat list. */
export class ChatInfo extends Schema.Class<ChatInfo>("pombo/ChatInfo")({
  chat: ChatId,
  name: Schema.optional(Schema.String),
  unreadCount: Schema.optional(Schema.Finite),
  archived: Schema.optional(Schema.Boolean),
  pinned: Schema.optional(Schema.Boolean),
  lastMessageAt: Schema.optional(Schema.Date)
}) {}

/** A profile picture URL; absent when the chat has none or hides it. */
export class ProfilePicture extends Schema.Class<ProfilePicture>("pombo/ProfilePicture")({
  url: Schema.optional(Schema.String)
}) {}
