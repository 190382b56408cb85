/**
 * Reading the ids vendors answer and post, the same way on every path (a provider's service and
 * its webhook decoder): phone numbers, contact JIDs (`5511…@s.whatsapp.net`, `…@c.us`, with a
 * `:device` part or not), group and broadcast ids, and LIDs.
 *
 * Lenient where WhatsApp itself vouches for the value: a number the `ChatId` phone rules do not
 * recognise (a new numbering plan, a country libphonenumber lags on) is kept as the digits the
 * vendor gave, since the vendor saw it on WhatsApp; dropping it would lose a chat or a member.
 * Numbers the rules know get them (the Brazilian ninth digit), so one person has one `ChatId`.
 */
import { Result } from "effect"
import * as ChatId from "./ChatId.ts"
import { makeTrusted } from "./WhatsAppEvent.ts"

const contactJid = /^(\d{8,15})(?::\d+)?@(?:s\.whatsapp\.net|c\.us)$/
const bareDigits = /^\d{8,15}$/

/**
 * A chat from any id form a vendor sends (see `ChatId.parse`); a phone number or contact JID the
 * phone rules reject is kept as its digits. LIDs, unknown servers and junk give `undefined`.
 */
export const chat = (value: unknown): ChatId.ChatId | undefined => {
  if (typeof value !== "string") return undefined
  const input = value.trim()
  // A LID is never a chat: said before parsing, which would build an error to throw away.
  if (input === "" || input.endsWith("@lid")) return undefined
  // Numbers and groups, the most frequent ids, are read without building an error for a rejected
  // one, and built without the constructors' schema pass once their shape is checked here.
  const digits = bareDigits.test(input) ? input : contactJid.exec(input)?.[1]
  if (digits !== undefined) {
    const phone = ChatId.phoneDigits(digits) ?? digits
    // libphonenumber could in principle shorten a number below 8 digits: the constructor refuses
    // that, as it always did.
    return bareDigits.test(phone) ? makeTrusted(ChatId.Contact, { phone }) : new ChatId.Contact({ phone })
  }
  if (input.endsWith("@g.us") && ChatId.isGroupId(input.slice(0, -5))) {
    return makeTrusted(ChatId.Group, { id: input.slice(0, -5) })
  }
  const parsed = ChatId.parseResult(input)
  return Result.isSuccess(parsed) ? parsed.success : undefined
}

/** A contact from a phone number or contact JID (see `chat`); groups, LIDs and junk give `undefined`. */
export const contact = (value: unknown): ChatId.Contact | undefined => {
  const read = chat(value)
  return read?._tag === "Contact" ? read : undefined
}

/** A group from its id with or without suffix; anything else gives `undefined`. */
export const group = (value: unknown): ChatId.Group | undefined => {
  const read = chat(value)
  return read?._tag === "Group" ? read : undefined
}

/** Every distinct contact among `values` (phones or JIDs), in order; the rest are skipped. */
export const contacts = (values: ReadonlyArray<unknown> | undefined): Array<ChatId.Contact> => {
  const out: Array<ChatId.Contact> = []
  const seen = new Set<string>()
  for (const value of values ?? []) {
    const read = contact(value)
    if (read === undefined || seen.has(read.phone)) continue
    seen.add(read.phone)
    out.push(read)
  }
  return out
}

/**
 * A LID (WhatsApp's phone-less user id) written `<digits>@lid`, from `<digits>@lid`, with a
 * `:device` part or without the suffix (fields that only ever hold LIDs); anything else, phone
 * JIDs included, gives `undefined`.
 */
export const lid = (value: unknown): string | undefined => {
  if (typeof value !== "string") return undefined
  const match = /^(\d{1,30})(?::\d+)?(?:@lid)?$/.exec(value.trim())
  return match ? `${match[1]}@lid` : undefined
}
