/**
 * Z-API's wire forms of ids and values, read and written one way for the service and the webhook
 * decoder alike.
 *
 * A contact is its digits (`5511999999999`); a group is `<id>-group` for groups created since
 * November 2021 and the bare `<creator>-<timestamp>` id for older ones; a channel is
 * `<digits>@newsletter`. Broadcast lists arrive as `<digits>-broadcast` (messages the connected phone
 * sent to one); Z-API documents no way to send to them.
 */
import { ChatId, type Operation, type WhatsAppError, WhatsAppEvent, WhatsAppId } from "@pombo/core"
import { Effect } from "effect"

/** Z-API's id for a group: `-group` for current ids, none for old `<creator>-<timestamp>` ids. */
export const wireGroup = (group: ChatId.Group): string => (group.id.includes("-") ? group.id : `${group.id}-group`)

/**
 * Z-API's id for a chat: digits for a contact, the group id for a group, `<id>@newsletter` for a
 * channel. A broadcast list has no Z-API form to send to: the input is refused, naming `field`.
 */
export const wireChat = (
  op: Operation.Context,
  chat: ChatId.ChatId,
  field = "to"
): Effect.Effect<string, WhatsAppError.InvalidRequest> => {
  switch (chat._tag) {
    case "Contact":
      return Effect.succeed(chat.phone)
    case "Group":
      return Effect.succeed(wireGroup(chat))
    case "Newsletter":
      return Effect.succeed(`${chat.id}@newsletter`)
    case "Broadcast":
      return Effect.fail(
        op.refuse(
          field,
          "Z-API documents no chat id for broadcast lists; only contacts, groups and channels can be addressed"
        )
      )
    case "BusinessScopedUser":
      return Effect.fail(op.refuse(field, "Z-API has no business-scoped user ids; address the user by phone"))
  }
}

const oldGroup = /^\d{5,30}-\d{5,20}$/
const digitsOnly = /^\d+$/
/** Bare digits of a length a phone can have (8 to 15); other bare digits are never a contact. */
const phoneDigits = /^\d{8,15}$/
const anyDigit = /\d/

/**
 * A contact from 8 to 15 bare digits, Z-API's usual form, read as `WhatsAppId` reads it — the
 * phone rules (`ChatId.phoneDigits`), and a number they reject kept as the digits the vendor gave —
 * without the effect `ChatId.parse` runs or an error for a rejected number. Both answers are valid `Contact` phones, so the instance
 * is built without the constructor's check (microseconds per id, and a group notification lists
 * hundreds of members). `ZApiWebhookGuard.test.ts` checks this against `WhatsAppId`.
 */
const phoneContact = (digits: string): ChatId.Contact =>
  WhatsAppEvent.makeTrusted(ChatId.Contact, { phone: ChatId.phoneDigits(digits) ?? digits })

/**
 * A chat id Z-API sends: a number or JID, `…-group`, an old `<creator>-<timestamp>` group id, or a
 * channel (`…@newsletter`) or a broadcast list (`…-broadcast`). Anything else gives `undefined`.
 */
export const chatOf = (id: unknown): ChatId.ChatId | undefined => {
  if (typeof id !== "string") return undefined
  if (phoneDigits.test(id)) return phoneContact(id)
  if (digitsOnly.test(id)) return undefined
  const value = id.trim()
  // Old groups and `…-group`, Z-API's usual group form: the id checked once, without the effect
  // `ChatId.group` runs or the constructor's schema pass.
  if (oldGroup.test(value)) return WhatsAppEvent.makeTrusted(ChatId.Group, { id: value })
  if (value.endsWith("-group")) {
    const group = value.slice(0, -6)
    return ChatId.isGroupId(group) ? WhatsAppEvent.makeTrusted(ChatId.Group, { id: group }) : undefined
  }
  return WhatsAppId.chat(value)
}

/**
 * A contact Z-API sends (see `WhatsAppId.contact`). Values that cannot be one — no digit at all
 * (a currency in a payment notification's parameters), bare digits outside the 8 to 15 a phone
 * has — are answered without the phone rules, which would build an error for each.
 */
export const contactOf = (id: unknown): ChatId.Contact | undefined => {
  if (typeof id !== "string") return undefined
  if (phoneDigits.test(id)) return phoneContact(id)
  return digitsOnly.test(id) || !anyDigit.test(id) ? undefined : WhatsAppId.contact(id)
}

/** Z-API sends flags as booleans or as the strings `"true"` / `"false"`. */
export const flag = (value: boolean | string | null | undefined): boolean | undefined =>
  value === undefined || value === null ? undefined : value === true || value === "true"

/** A count Z-API sends as a number or a numeric string. */
export const count = (value: number | string | null | undefined): number | undefined => {
  const n = Number(value)
  return value === undefined || value === null || value === "" || !Number.isFinite(n) ? undefined : n
}

/** Z-API answers some lookups as one object, or as an array of one (the docs show both). */
export const single = <A extends object>(answer: A | ReadonlyArray<A>): A | undefined =>
  Array.isArray(answer) ? (answer as ReadonlyArray<A>)[0] : (answer as A)
