/**
 * Who a message goes to or comes from: a contact (a phone number), a group, a broadcast list or a
 * channel (newsletter).
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
import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js/core"
// The full metadata with the core functions: what `libphonenumber-js/max` binds, without loading
// its wrapper of every export (≈ 15 ms of a cold start).
import metadata from "libphonenumber-js/metadata.max.json"

/**
 * The shape of each kind's id, checked by its constructor so that no `ChatId` value can carry
 * anything else to a vendor (`new Contact({ phone: "abc" })` throws). Full phone-number validation
 * is `contact`'s job; these are the forms every path may produce, the lenient `WhatsAppId` reading
 * of vendor data included. A channel is, until it has its own kind, a broadcast id with its
 * `@newsletter` suffix (as Z-API's decoder reads it).
 */
const idShape = (pattern: RegExp, description: string) =>
  Schema.String.check(Schema.makeFilter((value: string) => pattern.test(value) || `must be ${description}`))

/** A WhatsApp user, by phone number (E.164 digits, no `+`). */
export class Contact extends Schema.TaggedClass<Contact>()("Contact", {
  phone: idShape(/^\d{8,15}$/, "8 to 15 digits (E.164 without +); read numbers with ChatId.contact")
}) {
  [Equal.symbol](that: unknown): boolean {
    return that instanceof Contact && that.phone === this.phone
  }
  [Hash.symbol](): number {
    return Hash.string(`Contact:${this.phone}`)
  }
}

const groupId = /^\d{5,30}(-\d{5,20})?$/

/**
 * Whether `id` is a group id as `Group` holds it: digits, optionally `digits-digits`, no suffix.
 * For decoders that check an id once and then build the `Group` without the constructor's check.
 */
export const isGroupId = (id: string): boolean => groupId.test(id)

/** A group, by its WhatsApp id without suffix (`120363019502650977`). */
export class Group extends Schema.TaggedClass<Group>()("Group", {
  id: idShape(groupId, "a group id: digits, optionally `digits-digits`")
}) {
  [Equal.symbol](that: unknown): boolean {
    return that instanceof Group && that.id === this.id
  }
  [Hash.symbol](): number {
    return Hash.string(`Group:${this.id}`)
  }
}

/** A broadcast list (or `status`, the status feed), by its id without suffix. */
export class Broadcast extends Schema.TaggedClass<Broadcast>()("Broadcast", {
  id: idShape(/^(status|\d{5,30}(@newsletter)?)$/, "a broadcast id: digits or `status`")
}) {
  [Equal.symbol](that: unknown): boolean {
    return that instanceof Broadcast && that.id === this.id
  }
  [Hash.symbol](): number {
    return Hash.string(`Broadcast:${this.id}`)
  }
}

/**
 * A WhatsApp channel (newsletter), by its id without the `@newsletter` suffix
 * (`120363166555745933`). Channels are one-to-many: posts arrive from them, and only their admins
 * post to them.
 */
export class Newsletter extends Schema.TaggedClass<Newsletter>()("Newsletter", {
  id: Schema.String
}) {
  [Equal.symbol](that: unknown): boolean {
    return that instanceof Newsletter && that.id === this.id
  }
  [Hash.symbol](): number {
    return Hash.string(`Newsletter:${this.id}`)
  }
}

/**
 * A user known by a business-scoped user id (BSUID, `US.13491208655302741918`) rather than a phone
 * number: Meta's Cloud API identifies users with a username this way and omits their phone. The
 * id is scoped to one business portfolio and changes when the user changes number; vendors without
 * BSUIDs refuse it.
 */
export class BusinessScopedUser extends Schema.TaggedClass<BusinessScopedUser>()("BusinessScopedUser", {
  id: Schema.String
}) {
  [Equal.symbol](that: unknown): boolean {
    return that instanceof BusinessScopedUser && that.id === this.id
  }
  [Hash.symbol](): number {
    return Hash.string(`BusinessScopedUser:${this.id}`)
  }
}

/** Any chat a message can be sent to. */
export type ChatId = Contact | Group | Broadcast | Newsletter | BusinessScopedUser

/** The schema of `ChatId`. */
export const ChatId = Schema.Union([Contact, Group, Broadcast, Newsletter, BusinessScopedUser])

/** Input that is not a phone number or chat id; `reason` says why. */
export class InvalidChatId extends Schema.TaggedError<InvalidChatId>()("InvalidChatId", {
  input: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `Invalid chat id ${JSON.stringify(this.input)}: ${this.reason}`
  }
}

/** Options for reading a phone number. */
export interface PhoneOptions {
  /** Country assumed for numbers written without country code. Default `BR`. */
  readonly defaultCountry?: CountryCode
}

/** The area codes libphonenumber's `BR` metadata lists (for landlines and mobiles alike). */
const brazilianAreaCode = /^(?:[14689][1-9]|2[12478]|3[1-578]|5[13-5]|7[13-579])$/

/** `brazilianAreaCode` as a table indexed by the two digits' value, for the fast path below. */
const isBrazilianArea: ReadonlyArray<boolean> = Array.from({ length: 100 }, (_, n) =>
  brazilianAreaCode.test(String(n).padStart(2, "0"))
)

/**
 * Phone numbers in the vendors' own form, 55, an area code and 8 or 9 digits, decided without
 * libphonenumber (which costs microseconds per number, tens when it rejects one): libphonenumber's
 * `BR` patterns for numbers of this form are the mobile (9 and eight digits; a legacy 6 to 9 and
 * seven digits gets the ninth digit inserted first, see the module doc) and the fixed line (2 to 5
 * and seven digits); its toll-free, premium and shared-cost numbers start with digits that are no
 * area code or, at 12 digits, are read as legacy mobiles first (as `parsePhone` always did), and
 * read as a national number these digits give the same +55 number again. So the
 * answer is the canonical number, or `null` for none (the tests hold this to libphonenumber over
 * every area code and leading digit). `undefined`: not of this form, libphonenumber decides.
 */
const brazilianFastPath = (input: string): string | null | undefined => {
  const length = input.length
  if ((length !== 12 && length !== 13) || input.charCodeAt(0) !== 53 || input.charCodeAt(1) !== 53) return undefined
  for (let i = 2; i < length; i++) {
    const code = input.charCodeAt(i)
    if (code < 48 || code > 57) return undefined
  }
  if (!isBrazilianArea[(input.charCodeAt(2) - 48) * 10 + input.charCodeAt(3) - 48]) return undefined
  const first = input.charCodeAt(4) - 48
  if (length === 13) return first === 9 ? input : null
  if (first >= 6) return `${input.slice(0, 4)}9${input.slice(4)}`
  return first >= 2 ? input : null
}

const legacyBrazilianMobile = /^55(\d{2})([6-9]\d{7})$/

/** Inserts the ninth digit into a Brazilian mobile written the pre-2016 way (see module doc). */
const withNinthDigit = (digits: string): string => digits.replace(legacyBrazilianMobile, "55$19$2")

/** E.164 digits for the digits of an international number, when valid; `null` when not. */
const validE164Digits = (digits: string): string | null => {
  const fast = brazilianFastPath(digits)
  if (fast !== undefined) return fast
  const parsed = parsePhoneNumberFromString(`+${withNinthDigit(digits)}`, metadata)
  if (!parsed?.isValid()) return null
  // libphonenumber drops a national prefix written after the country code (`+49 0 40000` is
  // `+4940000`) and adds a country code to national input: the result can leave the 8–15 digits
  // a `Contact` holds, and is then not a number we can use.
  const e164 = parsed.number.slice(1)
  return e164.length >= 8 && e164.length <= 15 ? e164 : null
}

const phoneCharacters = /^\+?[\d\s().-]+$/

/** Why `phoneDigits` rejects `input`: the first rule it breaks. */
const rejection = (input: string): string => {
  const trimmed = input.trim()
  if (!phoneCharacters.test(trimmed)) return "a phone number has only digits, spaces and + ( ) - ."
  const count = trimmed.replace(/\D/g, "").length
  return count < 8 || count > 15 ? "a phone number has 8 to 15 digits" : "not a valid phone number"
}

/**
 * What `parsePhone` reads, as the E.164 digits or `undefined` — without building an error. For
 * readers of vendor data in bulk (webhook decoders), which keep a number the rules reject their
 * own way (`WhatsAppId`); a user's input goes through `parsePhone`, whose error says why.
 */
export const phoneDigits = (input: string, options?: PhoneOptions): string | undefined => {
  const defaultCountry = options?.defaultCountry ?? "BR"
  // The vendors' own form (digits, 55 first) is decided at once; a rejection only when national
  // numbers are Brazilian, as another country may read the digits as one of its own.
  const fast = brazilianFastPath(input)
  if (fast !== undefined && (fast !== null || defaultCountry === "BR")) return fast ?? undefined
  const trimmed = input.trim()
  if (!phoneCharacters.test(trimmed)) return undefined
  const digits = trimmed.replace(/\D/g, "")
  if (digits.length < 8 || digits.length > 15) return undefined
  const international = validE164Digits(digits)
  if (international !== null) return international
  if (trimmed.startsWith("+")) return undefined
  // A number the fast path rejects reads as the same +55 number nationally in Brazil.
  if (defaultCountry === "BR" && brazilianFastPath(digits) === null) return undefined
  const national = parsePhoneNumberFromString(digits, defaultCountry, metadata)
  return national === undefined ? undefined : (validE164Digits(national.number.slice(1)) ?? undefined)
}

/**
 * Reads a phone number written any common way — `+55 (11) 98765-4321`, `5511987654321`,
 * `(11) 98765-4321`, `11987654321` — into E.164 digits without `+`.
 *
 * Digits without `+` are first read as an international number (the vendors' own format); when
 * that is not a valid number they are read as a national number of `defaultCountry` (`BR`).
 */
export const parsePhone = (input: string, options?: PhoneOptions): Result.Result<string, InvalidChatId> => {
  const digits = phoneDigits(input, options)
  return digits === undefined
    ? Result.fail(new InvalidChatId({ input, reason: rejection(input) }))
    : Result.succeed(digits)
}

/** A contact from a phone number written any common way (see `parsePhone`). */
export const contact = (phone: string, options?: PhoneOptions): Effect.Effect<Contact, InvalidChatId> =>
  Effect.fromResult(contactResult(phone, options))

const contactResult = (phone: string, options?: PhoneOptions): Result.Result<Contact, InvalidChatId> =>
  Result.map(parsePhone(phone, options), (digits) => new Contact({ phone: digits }))

const groupResult = (id: string): Result.Result<Group, InvalidChatId> => {
  const bare = id.trim().replace(/(@g\.us|-group)$/, "")
  return groupId.test(bare)
    ? Result.succeed(new Group({ id: bare }))
    : Result.fail(new InvalidChatId({ input: id, reason: "a group id is digits, optionally `digits-digits`" }))
}

/** A group from its id, with or without the `@g.us` / `-group` suffix. */
export const group = (id: string): Effect.Effect<Group, InvalidChatId> => Effect.fromResult(groupResult(id))

const broadcastResult = (id: string): Result.Result<Broadcast, InvalidChatId> => {
  const bare = id.trim().replace(/(@broadcast|-broadcast)$/, "")
  return /^(status|\d{5,30})$/.test(bare)
    ? Result.succeed(new Broadcast({ id: bare }))
    : Result.fail(new InvalidChatId({ input: id, reason: "a broadcast id is digits or `status`" }))
}

/**
 * A broadcast list from its id, with or without the `@broadcast` suffix, or in the
 * `<digits>-broadcast` form Z-API posts for the lists of the connected phone.
 */
export const broadcast = (id: string): Effect.Effect<Broadcast, InvalidChatId> => Effect.fromResult(broadcastResult(id))

const newsletterResult = (id: string): Result.Result<Newsletter, InvalidChatId> => {
  const bare = id.trim().replace(/@newsletter$/, "")
  return /^\d{5,30}$/.test(bare)
    ? Result.succeed(new Newsletter({ id: bare }))
    : Result.fail(new InvalidChatId({ input: id, reason: "a channel id is digits" }))
}

/** A channel from its id, with or without the `@newsletter` suffix. */
export const newsletter = (id: string): Effect.Effect<Newsletter, InvalidChatId> =>
  Effect.fromResult(newsletterResult(id))

/** A BSUID: a country code, optionally `.ENT` (a parent BSUID), a dot and up to 128 alphanumerics. */
const bsuidPattern = /^[A-Z]{2}(\.ENT)?\.[A-Za-z0-9]{1,128}$/

const bsuidResult = (id: string): Result.Result<BusinessScopedUser, InvalidChatId> => {
  const value = id.trim()
  return bsuidPattern.test(value)
    ? Result.succeed(new BusinessScopedUser({ id: value }))
    : Result.fail(
        new InvalidChatId({ input: id, reason: "a BSUID is a country code, a dot and up to 128 letters or digits" })
      )
}

/** A business-scoped user from its BSUID (`US.13491208655302741918`), sent whole as Meta gives it. */
export const bsuid = (id: string): Effect.Effect<BusinessScopedUser, InvalidChatId> =>
  Effect.fromResult(bsuidResult(id))

const contactJid = /^(\d+)(:\d+)?@(s\.whatsapp\.net|c\.us)$/

/** `parse`, synchronously, as a `Result`: what `parse` runs, without a fiber. */
export const parseResult = (input: string, options?: PhoneOptions): Result.Result<ChatId, InvalidChatId> => {
  const value = input.trim()
  if (value.endsWith("@s.whatsapp.net") || value.endsWith("@c.us")) {
    const jid = contactJid.exec(value)
    if (jid) return contactResult(jid[1]!, options)
  }
  if (value.endsWith("@g.us") || value.endsWith("-group")) return groupResult(value)
  if (value.endsWith("@broadcast") || value.endsWith("-broadcast")) return broadcastResult(value)
  if (value.endsWith("@newsletter")) return newsletterResult(value)
  if (/^[A-Z]{2}\./.test(value)) return bsuidResult(value)
  if (value.endsWith("@lid")) {
    return Result.fail(new InvalidChatId({ input, reason: "a LID identifies a user, not a chat: use their phone" }))
  }
  if (value.includes("@")) return Result.fail(new InvalidChatId({ input, reason: "unknown JID server" }))
  return contactResult(value, options)
}

/**
 * Reads any chat id form the vendors use: a phone number, a contact JID
 * (`5511…@s.whatsapp.net`, `…@c.us`, with or without a `:device` part), a group (`…@g.us`,
 * `…-group`), a broadcast list (`…@broadcast`, `…-broadcast`), a channel (`…@newsletter`) or a
 * BSUID (`US.1349…`). A LID (`…@lid`) is not a chat id.
 */
export const parse = (input: string, options?: PhoneOptions): Effect.Effect<ChatId, InvalidChatId> =>
  Effect.fromResult(parseResult(input, options))

/** A readable form for logs and tables: `+5511987654321`, `group:1203…`, `broadcast:status`, `channel:1203…`, `bsuid:US.1349…`. */
export const display = (chat: ChatId): string => {
  switch (chat._tag) {
    case "Contact":
      return `+${chat.phone}`
    case "Group":
      return `group:${chat.id}`
    case "Broadcast":
      return `broadcast:${chat.id}`
    case "Newsletter":
      return `channel:${chat.id}`
    case "BusinessScopedUser":
      return `bsuid:${chat.id}`
  }
}
