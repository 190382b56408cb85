/**
 * Meta's wire forms of ids, read and written one way for the service and the webhook decoder
 * alike. A user is their phone number (`wa_id`, digits) or their business-scoped user id (BSUID,
 * `US.1349…`); Meta's Cloud API has no group, broadcast or channel chats in Pombo's spec.
 */
import { ChatId, type Operation, type WhatsAppError, WhatsAppEvent, WhatsAppId } from "@pombo/core"
import { Effect } from "effect"

/** Who a message goes to: `to` (a phone, digits) or `recipient` (a BSUID), never both. */
export type Recipient = { readonly to: string } | { readonly recipient: string }

/** The addressing of a send to `chat`; groups, broadcast lists and channels are refused naming `field`. */
export const recipientOf = (
  op: Operation.Context,
  chat: ChatId.ChatId,
  field = "to"
): Effect.Effect<Recipient, WhatsAppError.InvalidRequest> => {
  switch (chat._tag) {
    case "Contact":
      return Effect.succeed({ to: chat.phone })
    case "BusinessScopedUser":
      return Effect.succeed({ recipient: chat.id })
    case "Group":
    case "Broadcast":
    case "Newsletter":
      return Effect.fail(
        op.refuse(
          field,
          "Meta's Cloud API sends to one user (phone or BSUID), not to groups, broadcast lists or channels"
        )
      )
  }
}

const internationalDigits = /^\d{8,15}$/

/**
 * A contact from the `wa_id` / `from` / `recipient_id` Meta sends, or `undefined`. Meta's user id
 * is the number in international form, country code first, digits only (webhooks.md:150): a
 * Brazilian one (`55…`) gets `ChatId`'s rules (the ninth digit, so one person has one chat
 * whichever form Meta used), any other is kept as Meta gives it — the chat WhatsApp knows —
 * without libphonenumber (microseconds per number), which would only re-read it as a national
 * number or drop a national prefix written after the country code, forms a `wa_id` does not take.
 * Anything else is read as `WhatsAppId.contact` reads it.
 */
export const contactOf = (phone: unknown): ChatId.Contact | undefined =>
  typeof phone === "string" && internationalDigits.test(phone) && !phone.startsWith("55")
    ? WhatsAppEvent.makeTrusted(ChatId.Contact, { phone })
    : WhatsAppId.contact(phone)

/**
 * A user from Meta's identifiers: the phone when present, else the BSUID, else `undefined`.
 * `readContact` is `contactOf` or a reader that gives what it gives (the decoder's, which reads
 * each number of a payload once).
 */
export const userOf = (
  phone: unknown,
  bsuid: unknown,
  readContact: (phone: unknown) => ChatId.Contact | undefined = contactOf
): ChatId.ChatId | undefined => {
  const contact = readContact(phone)
  if (contact !== undefined) return contact
  return typeof bsuid === "string" && bsuid !== "" ? new ChatId.BusinessScopedUser({ id: bsuid }) : undefined
}
