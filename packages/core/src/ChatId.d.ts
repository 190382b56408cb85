/**
 * Who a message goes to or comes from: a contact (a phone number), a group, or a broadcast list.
 * Ids are values, not strings: each provider converts them to its own wire form
 * (`5511…@s.whatsapp.net`, `…@g.us`, `…-group`), and `ChatId.parse` reads any of those forms back.
 *
 * Phone numbers are stored as E.164 digits without the `+` (`5511987654321`), validated with
 * libphonenumber-js's full metadata.
 *
 * **The Brazilian ninth digit.** Since 2016 every Brazilian mobile number has nine digits and
 * starts with 9 (`11 98765-4321`). Numbers written the old way — area code plus eight digits
 * starting with 6, 7, 8 or 9 (`11 8765-4321`), as old contact lists and many WhatsApp JIDs still
 * have them — are read as the same mobile and get the 9 inserted, so one person always has one
 * `ChatId` (`551187654321` → `5511987654321`). Eight-digit numbers starting with 2 to 5 are
 * landlines and are kept as they are. The vendors resolve the canonical number to the account's
 * WhatsApp id themselves (Z-API documents this at `phone-exists-batch`: `outputPhone` "including
 * the ninth digit, if applicable").
 */
import { Effect, Equal, Hash, Result, Schema } from "effect"
import { type CountryCode } from "libphonenumber-js/max"

declare const Contact_base: Schema.Class<
  Contact,
  Schema.TaggedStruct<
    "Contact",
    {
      readonly phone: Schema.String
    }
  >,
  {}
>
/** A WhatsApp user, by phone number (E.164 digits, no `+`). */
export declare class Contact extends Contact_base {
  [Equal.symbol](that: unknown): boolean
  [Hash.symbol](): number
}
declare const Group_base: Schema.Class<
  Group,
  Schema.TaggedStruct<
    "Group",
    {
      readonly id: Schema.String
    }
  >,
  {}
>
/** A group, by its WhatsApp id without suffix (`120363019502650977`). */
export declare class Group extends Group_base {
  [Equal.symbol](that: unknown): boolean
  [Hash.symbol](): number
}
declare const Broadcast_base: Schema.Class<
  Broadcast,
  Schema.TaggedStruct<
    "Broadcast",
    {
      readonly id: Schema.String
    }
  >,
  {}
>
/** A broadcast list (or `status`, the status feed), by its id without suffix. */
export declare class Broadcast extends Broadcast_base {
  [Equal.symbol](that: unknown): boolean
  [Hash.symbol](): number
}
/** Any chat a message can be sent to. */
export type ChatId = Contact | Group | Broadcast
/** The schema of `ChatId`. */
export declare const ChatId: Schema.Union<readonly [typeof Contact, typeof Group, typeof Broadcast]>
declare const InvalidChatId_base: Schema.Class<
  InvalidChatId,
  Schema.TaggedStruct<
    "InvalidChatId",
    {
      readonly input: Schema.String
      readonly reason: Schema.String
    }
  >,
  import("effect/Cause").YieldableError
>
/** Input that is not a phone number or chat id; `reason` says why. */
export declare class InvalidChatId extends InvalidChatId_base {
  get message(): string
}
/** Options for reading a phone number. */
export interface PhoneOptions {
  /** Country assumed for numbers written without country code. Default `BR`. */
  readonly defaultCountry?: CountryCode
}
/**
 * Reads a phone number written any common way — `+55 (11) 98765-4321`, `5511987654321`,
 * `(11) 98765-4321`, `11987654321` — into E.164 digits without `+`.
 *
 * Digits without `+` are first read as an international number (the vendors' own format); when
 * that is not a valid number they are read as a national number of `defaultCountry` (`BR`).
 */
export declare const parsePhone: (input: string, options?: PhoneOptions) => Result.Result<string, InvalidChatId>
/** A contact from a phone number written any common way (see `parsePhone`). */
export declare const contact: (phone: string, options?: PhoneOptions) => Effect.Effect<Contact, InvalidChatId>
/** A group from its id, with or without the `@g.us` / `-group` suffix. */
export declare const group: (id: string) => Effect.Effect<Group, InvalidChatId>
/** A broadcast list from its id, with or without the `@broadcast` suffix. */
export declare const broadcast: (id: string) => Effect.Effect<Broadcast, InvalidChatId>
/**
 * Reads any chat id form the vendors use: a phone number, a contact JID
 * (`5511…@s.whatsapp.net`, `…@c.us`, with or without a `:device` part), a group (`…@g.us`,
 * `…-group`) or a broadcast list (`…@broadcast`). A LID (`…@lid`) is not a chat id.
 */
export declare const parse: (input: string, options?: PhoneOptions) => Effect.Effect<ChatId, InvalidChatId>
/** `parse`, synchronously, as a `Result`. */
export declare const parseResult: (input: string, options?: PhoneOptions) => Result.Result<ChatId, InvalidChatId>
/** A readable form for logs and tables: `+5511987654321`, `group:1203…`, `broadcast:status`. */
export declare const display: (chat: ChatId) => string
