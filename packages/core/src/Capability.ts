/**
 * The abstract operations of the `WhatsApp` service, by name. A provider declares the set it
 * supports (generated from the specs' `x-pombo-capability` extensions); calling one outside its
 * set fails with `Unsupported`, never silently does nothing.
 */
import { Schema } from "effect"

/** Every abstract operation, grouped as the service is. */
export const groups = {
  instance: ["getStatus", "getQrCode", "getPairingCode", "logout", "restart"],
  sending: [
    "sendText",
    "sendMedia",
    "sendLocation",
    "sendContacts",
    "sendLinkPreview",
    "sendList",
    "sendButtons",
    "sendPoll",
    "sendReaction",
    "reply",
    "forwardMessage"
  ],
  messages: ["markRead", "deleteMessage"],
  chats: ["listChats", "archiveChat", "pinChat", "sendPresence"],
  contacts: ["isOnWhatsApp", "listContacts", "blockContact", "getProfilePicture"],
  groups: [
    "listGroups",
    "getGroup",
    "createGroup",
    "addParticipants",
    "removeParticipants",
    "promoteParticipants",
    "demoteParticipants",
    "updateGroupSettings",
    "getGroupInviteLink",
    "leaveGroup"
  ],
  profile: ["setProfileName", "setProfileStatus", "setProfilePicture"],
  webhook: ["getWebhook", "setWebhook"]
} as const

/** The name of one abstract operation. */
export type Capability = (typeof groups)[keyof typeof groups][number]

/** Every capability, in service order. */
export const all: ReadonlyArray<Capability> = Object.values(groups).flat()

/** The schema of a capability name. */
export const Capability = Schema.Literals(all as readonly [Capability, ...Array<Capability>])

/** What a provider can do. */
export type Capabilities = ReadonlySet<Capability>

/** Tells whether a string names a capability. */
export const isCapability = (name: string): name is Capability => (all as ReadonlyArray<string>).includes(name)
