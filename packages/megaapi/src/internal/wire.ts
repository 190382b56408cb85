/**
 * Mega-API's wire forms of ids, read and written one way for the service and the webhook decoder
 * alike. Mega-API relays Baileys, so ids are WhatsApp JIDs: `<digits>@s.whatsapp.net` for a
 * contact, `<id>@g.us` for a group, `<id>@broadcast` for a broadcast list, `<id>@newsletter` for a channel, and a message is its
 * Baileys `key`.
 */
import { type ChatId, type MessageRef, WhatsAppId } from "@pombo/core"
import type * as Generated from "../generated/MegaApi.ts"

/** A chat as Mega-API's JID. */
export const toJid = (chat: ChatId.ChatId): string => {
  switch (chat._tag) {
    case "Contact":
      return `${chat.phone}@s.whatsapp.net`
    case "Group":
      return `${chat.id}@g.us`
    case "Broadcast":
      return `${chat.id}@broadcast`
    case "Newsletter":
      return `${chat.id}@newsletter`
    case "BusinessScopedUser":
      // Never reached: `WhatsApp.make` refuses a BSUID before Mega-API's operations see it.
      return chat.id
  }
}

/** A chat as the lookup parameters take it: a bare number for a contact (the docs' samples), else the JID. */
export const toQueryId = (chat: ChatId.ChatId): string => (chat._tag === "Contact" ? chat.phone : toJid(chat))

/** A message reference as Mega-API's message `key`. */
export const toKey = (message: MessageRef.MessageRef): Generated.ChatMessageKey => ({
  remoteJid: toJid(message.chat),
  fromMe: message.fromMe,
  id: message.id,
  ...(message.participant === undefined ? {} : { participant: toJid(message.participant) })
})

/** A chat from a JID Mega-API sends (see `WhatsAppId.chat`): LIDs and unknown servers give `undefined`. */
export const chatOf = WhatsAppId.chat

/** A contact from a phone or contact JID Mega-API sends. */
export const contactOf = WhatsAppId.contact

/** A group from a group JID Mega-API sends. */
export const groupOf = WhatsAppId.group

/** A LID Mega-API sends, as `<digits>@lid`. */
export const lidOf = WhatsAppId.lid
