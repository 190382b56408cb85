/** What the chat and contact operations answer. */
import { Schema } from "effect"
import { ChatId, Contact } from "./ChatId.ts"

/** One chat in the instance's chat list. */
export class ChatInfo extends Schema.Class<ChatInfo>("pombo/ChatInfo")({
  chat: ChatId,
  name: Schema.optional(Schema.String),
  unreadCount: Schema.optional(Schema.Finite),
  archived: Schema.optional(Schema.Boolean),
  pinned: Schema.optional(Schema.Boolean),
  lastMessageAt: Schema.optional(Schema.Date)
}) {}

/** One contact in the instance's address book. */
export class ContactInfo extends Schema.Class<ContactInfo>("pombo/ContactInfo")({
  contact: Contact,
  name: Schema.optional(Schema.String),
  /** The name the contact set for themselves on WhatsApp. */
  pushName: Schema.optional(Schema.String)
}) {}

/** Whether a phone number has WhatsApp; `contact` is the id the vendor resolved it to. */
export class PhoneCheck extends Schema.Class<PhoneCheck>("pombo/PhoneCheck")({
  exists: Schema.Boolean,
  contact: Schema.optional(Contact)
}) {}

/** A profile picture URL; absent when the chat has none or hides it. */
export class ProfilePicture extends Schema.Class<ProfilePicture>("pombo/ProfilePicture")({
  url: Schema.optional(Schema.String)
}) {}

/** Where the vendor currently posts inbound events; absent when no webhook is set. */
export class WebhookInfo extends Schema.Class<WebhookInfo>("pombo/WebhookInfo")({
  url: Schema.optional(Schema.String)
}) {}
