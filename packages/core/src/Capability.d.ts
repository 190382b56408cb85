/**
 * The abstract operations of the `WhatsApp` service, by name. A provider declares the set it
 * supports (generated from the specs' `x-pombo-capability` extensions); calling one outside its
 * set fails with `Unsupported`, never silently does nothing.
 */
import { Schema } from "effect"
/** Every abstract operation, grouped as the service is. */
export declare const groups: {
  readonly instance: readonly ["getStatus", "getQrCode", "getPairingCode", "logout", "restart"]
  readonly sending: readonly [
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
  ]
  readonly messages: readonly ["markRead", "deleteMessage"]
  readonly chats: readonly ["listChats", "archiveChat", "pinChat", "sendPresence"]
  readonly contacts: readonly ["isOnWhatsApp", "listContacts", "blockContact", "getProfilePicture"]
  readonly groups: readonly [
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
  ]
  readonly profile: readonly ["setProfileName", "setProfileStatus", "setProfilePicture"]
  readonly webhook: readonly ["getWebhook", "setWebhook"]
}
/** The name of one abstract operation. */
export type Capability = (typeof groups)[keyof typeof groups][number]
/** Every capability, in service order. */
export declare const all: ReadonlyArray<Capability>
/** The schema of a capability name. */
export declare const Capability: Schema.Literals<
  readonly [
    (
      | "addParticipants"
      | "archiveChat"
      | "blockContact"
      | "createGroup"
      | "deleteMessage"
      | "demoteParticipants"
      | "forwardMessage"
      | "getGroup"
      | "getGroupInviteLink"
      | "getPairingCode"
      | "getProfilePicture"
      | "getQrCode"
      | "getStatus"
      | "getWebhook"
      | "isOnWhatsApp"
      | "leaveGroup"
      | "listChats"
      | "listContacts"
      | "listGroups"
      | "logout"
      | "markRead"
      | "pinChat"
      | "promoteParticipants"
      | "removeParticipants"
      | "reply"
      | "restart"
      | "sendButtons"
      | "sendContacts"
      | "sendLinkPreview"
      | "sendList"
      | "sendLocation"
      | "sendMedia"
      | "sendPoll"
      | "sendPresence"
      | "sendReaction"
      | "sendText"
      | "setProfileName"
      | "setProfilePicture"
      | "setProfileStatus"
      | "setWebhook"
      | "updateGroupSettings"
    ),
    ...(
      | "addParticipants"
      | "archiveChat"
      | "blockContact"
      | "createGroup"
      | "deleteMessage"
      | "demoteParticipants"
      | "forwardMessage"
      | "getGroup"
      | "getGroupInviteLink"
      | "getPairingCode"
      | "getProfilePicture"
      | "getQrCode"
      | "getStatus"
      | "getWebhook"
      | "isOnWhatsApp"
      | "leaveGroup"
      | "listChats"
      | "listContacts"
      | "listGroups"
      | "logout"
      | "markRead"
      | "pinChat"
      | "promoteParticipants"
      | "removeParticipants"
      | "reply"
      | "restart"
      | "sendButtons"
      | "sendContacts"
      | "sendLinkPreview"
      | "sendList"
      | "sendLocation"
      | "sendMedia"
      | "sendPoll"
      | "sendPresence"
      | "sendReaction"
      | "sendText"
      | "setProfileName"
      | "setProfilePicture"
      | "setProfileStatus"
      | "setWebhook"
      | "updateGroupSettings"
    )[]
  ]
>
/** What a provider can do. */
export type Capabilities = ReadonlySet<Capability>
/** Tells whether a string names a capability. */
export declare const isCapability: (name: string) => name is Capability
