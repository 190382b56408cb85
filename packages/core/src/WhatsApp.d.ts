/**
 * The `WhatsApp` service: the provider-agnostic operations an application calls. A provider
 * layer (`@pombo/megaapi`, `@pombo/zapi`, or `InMemoryWhatsApp` in tests) supplies it; swapping
 * vendors is a configuration change, not a code change.
 *
 * Providers build the service with `make`, giving only the operations their vendor can do. `make`
 * validates every input before the provider sees it (bad input → `InvalidRequest`, nothing
 * sent), answers `Unsupported` for every operation the provider did not give, derives
 * `capabilities` from what it was given, and traces each call as `WhatsApp.<operation>`.
 */
import { Context, Effect, type Schema } from "effect"
import type { Capabilities } from "./Capability.ts"
import * as Capability from "./Capability.ts"
import * as Content from "./Content.ts"
import type { ChatInfo, ContactInfo, PhoneCheck, ProfilePicture, WebhookInfo } from "./Directory.ts"
import type { GroupInfo, GroupInvite } from "./GroupInfo.ts"
import type { InstanceStatus, PairingCode, QrCode } from "./Instance.ts"
import type { SendReceipt } from "./SendReceipt.ts"
import { type WhatsAppError } from "./WhatsAppError.ts"

type Op<I, A> = [I] extends [void]
  ? () => Effect.Effect<A, WhatsAppError>
  : (input: I) => Effect.Effect<A, WhatsAppError>
/** Every abstract operation, by capability name. */
export interface Operations {
  /** Whether the instance is connected, and to which account. */
  readonly getStatus: Op<void, InstanceStatus>
  /** A QR code to link the instance to a WhatsApp account. */
  readonly getQrCode: Op<void, QrCode>
  /** A code to link the instance by typing it on the phone. */
  readonly getPairingCode: Op<Content.GetPairingCode, PairingCode>
  /** Unlink the WhatsApp account from the instance. */
  readonly logout: Op<void, void>
  /** Restart the instance's WhatsApp session. */
  readonly restart: Op<void, void>
  /** Send text, optionally mentioning group members. */
  readonly sendText: Op<Content.SendText, SendReceipt>
  /** Send an image, video, audio, voice note, document or sticker, by URL or base64. */
  readonly sendMedia: Op<Content.SendMedia, SendReceipt>
  /** Send a location. */
  readonly sendLocation: Op<Content.SendLocation, SendReceipt>
  /** Send one or more contact cards. */
  readonly sendContacts: Op<Content.SendContacts, SendReceipt>
  /** Send text with a link preview card. */
  readonly sendLinkPreview: Op<Content.SendLinkPreview, SendReceipt>
  /** Send a list (menu) message. */
  readonly sendList: Op<Content.SendList, SendReceipt>
  /** Send text with reply buttons. */
  readonly sendButtons: Op<Content.SendButtons, SendReceipt>
  /** Send a poll. */
  readonly sendPoll: Op<Content.SendPoll, SendReceipt>
  /** React to a message with an emoji. */
  readonly sendReaction: Op<Content.SendReaction, SendReceipt>
  /** Reply to a message with text, quoting it. */
  readonly reply: Op<Content.Reply, SendReceipt>
  /** Forward a message to a chat. */
  readonly forwardMessage: Op<Content.ForwardMessage, SendReceipt>
  /** Mark a received message as read. */
  readonly markRead: Op<Content.MarkRead, void>
  /** Delete a message for everyone. */
  readonly deleteMessage: Op<Content.DeleteMessage, void>
  /** The instance's chats. */
  readonly listChats: Op<void, ReadonlyArray<ChatInfo>>
  /** Archive or unarchive a chat. */
  readonly archiveChat: Op<Content.ArchiveChat, void>
  /** Pin or unpin a chat. */
  readonly pinChat: Op<Content.PinChat, void>
  /** Show typing, recording, online or offline in a chat. */
  readonly sendPresence: Op<Content.SendPresence, void>
  /** Whether a phone number has WhatsApp. */
  readonly isOnWhatsApp: Op<Content.IsOnWhatsApp, PhoneCheck>
  /** The instance's contacts. */
  readonly listContacts: Op<void, ReadonlyArray<ContactInfo>>
  /** Block or unblock a contact. */
  readonly blockContact: Op<Content.BlockContact, void>
  /** A contact's or group's profile picture. */
  readonly getProfilePicture: Op<Content.GetProfilePicture, ProfilePicture>
  /** The groups the instance is in. */
  readonly listGroups: Op<void, ReadonlyArray<GroupInfo>>
  /** A group's details and members. */
  readonly getGroup: Op<Content.GroupInput, GroupInfo>
  /** Create a group. */
  readonly createGroup: Op<Content.CreateGroup, GroupInfo>
  /** Add members to a group. */
  readonly addParticipants: Op<Content.GroupParticipants, void>
  /** Remove members from a group. */
  readonly removeParticipants: Op<Content.GroupParticipants, void>
  /** Make members admins. */
  readonly promoteParticipants: Op<Content.GroupParticipants, void>
  /** Take admin rights from members. */
  readonly demoteParticipants: Op<Content.GroupParticipants, void>
  /** Change who may send messages and who may edit the group. */
  readonly updateGroupSettings: Op<Content.UpdateGroupSettings, void>
  /** A group's invite link. */
  readonly getGroupInviteLink: Op<Content.GroupInput, GroupInvite>
  /** Leave a group. */
  readonly leaveGroup: Op<Content.GroupInput, void>
  /** Change the instance's display name. */
  readonly setProfileName: Op<Content.SetProfileName, void>
  /** Change the instance's "about" text. */
  readonly setProfileStatus: Op<Content.SetProfileStatus, void>
  /** Change the instance's profile picture. */
  readonly setProfilePicture: Op<Content.SetProfilePicture, void>
  /** Where the vendor posts inbound events. */
  readonly getWebhook: Op<void, WebhookInfo>
  /** Point the vendor's inbound events at a URL (your webhook receiver). */
  readonly setWebhook: Op<Content.SetWebhook, void>
}
/** The service: every operation, plus who provides it and what it can do. */
export interface Shape extends Operations {
  /** The provider's name: `megaapi`, `zapi`, `in-memory`… */
  readonly provider: string
  /** The operations this provider can do; every other one fails with `Unsupported`. */
  readonly capabilities: Capabilities
}
declare const WhatsApp_base: Context.ServiceClass<WhatsApp, "pombo/WhatsApp", Shape>
/** The WhatsApp service. */
export declare class WhatsApp extends WhatsApp_base {}
/** The input schema of every operation that takes input. */
export declare const inputs: {
  readonly [K in Capability.Capability]?: Schema.Top
}
/**
 * Builds the service from the operations a provider implements. Inputs are validated here, once
 * for every provider; operations left out fail with `Unsupported`.
 */
export declare const make: (options: { readonly provider: string; readonly operations: Partial<Operations> }) => Shape
