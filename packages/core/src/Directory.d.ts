/** What the chat and contact operations answer. */
import { Schema } from "effect"
import { Contact } from "./ChatId.ts"

declare const ChatInfo_base: Schema.Class<
  ChatInfo,
  Schema.Struct<{
    readonly chat: Schema.Union<
      readonly [typeof Contact, typeof import("./ChatId.ts").Group, typeof import("./ChatId.ts").Broadcast]
    >
    readonly name: Schema.optional<Schema.String>
    readonly unreadCount: Schema.optional<Schema.Finite>
    readonly archived: Schema.optional<Schema.Boolean>
    readonly pinned: Schema.optional<Schema.Boolean>
    readonly lastMessageAt: Schema.optional<Schema.Date>
  }>,
  {}
>
/** One chat in the instance's chat list. */
export declare class ChatInfo extends ChatInfo_base {}
declare const ContactInfo_base: Schema.Class<
  ContactInfo,
  Schema.Struct<{
    readonly contact: typeof Contact
    readonly name: Schema.optional<Schema.String>
    /** The name the contact set for themselves on WhatsApp. */
    readonly pushName: Schema.optional<Schema.String>
  }>,
  {}
>
/** One contact in the instance's address book. */
export declare class ContactInfo extends ContactInfo_base {}
declare const PhoneCheck_base: Schema.Class<
  PhoneCheck,
  Schema.Struct<{
    readonly exists: Schema.Boolean
    readonly contact: Schema.optional<typeof Contact>
  }>,
  {}
>
/** Whether a phone number has WhatsApp; `contact` is the id the vendor resolved it to. */
export declare class PhoneCheck extends PhoneCheck_base {}
declare const ProfilePicture_base: Schema.Class<
  ProfilePicture,
  Schema.Struct<{
    readonly url: Schema.optional<Schema.String>
  }>,
  {}
>
/** A profile picture URL; absent when the chat has none or hides it. */
export declare class ProfilePicture extends ProfilePicture_base {}
declare const WebhookInfo_base: Schema.Class<
  WebhookInfo,
  Schema.Struct<{
    readonly url: Schema.optional<Schema.String>
  }>,
  {}
>
/** Where the vendor currently posts inbound events; absent when no webhook is set. */
export declare class WebhookInfo extends WebhookInfo_base {}
