/**
 * Every abstract operation of the `WhatsApp` service, declared once: its name, group, input schema
 * (the limits it is validated against) and output schema. The service's shape, the capability
 * names, input validation and spans are all derived from this table, so adding an operation is
 * one entry here plus its implementations.
 */
import { Result, Schema, SchemaIssue } from "effect"
import { ChatInfo, ProfilePicture } from "./ChatInfo.ts"
import { ContactInfo, PhoneCheck } from "./ContactInfo.ts"
import { GroupInfo, GroupInvite } from "./GroupInfo.ts"
import { InstanceStatus, PairingCode, QrCode } from "./Instance.ts"
import * as Inputs from "./OperationInput.ts"
import type { WithProviderOptions } from "./ProviderOptions.ts"
import { SendReceipt } from "./SendReceipt.ts"
import { WebhookInfo } from "./WebhookInfo.ts"
import { InvalidRequest, UnexpectedResponse } from "./WhatsAppError.ts"

/** The groups operations are listed in, as the service and its docs are organised. */
export type Group = "instance" | "sending" | "messages" | "chats" | "contacts" | "groups" | "profile" | "webhook"

/** One operation's declaration. */
export interface Definition<I extends Schema.Top | undefined, O extends Schema.Top> {
  readonly group: Group
  /** The input schema; `undefined` for an operation that takes none. */
  readonly input: I
  readonly output: O
}

const define = <I extends Schema.Top | undefined, O extends Schema.Top>(
  group: Group,
  input: I,
  output: O
): Definition<I, O> => ({ group, input, output })

const none = undefined
const receipt = SendReceipt

/** Every operation, in service order. */
export const operations = {
  /** Whether the instance is connected, and to which account. */
  getStatus: define("instance", none, InstanceStatus),
  /** A QR code to link the instance to a WhatsApp account. */
  getQrCode: define("instance", none, QrCode),
  /** A code to link the instance by typing it on the phone. */
  getPairingCode: define("instance", Inputs.GetPairingCode, PairingCode),
  /** Unlink the WhatsApp account from the instance. */
  logout: define("instance", none, Schema.Void),
  /** Restart the instance's WhatsApp session. */
  restart: define("instance", none, Schema.Void),
  /** Send text, optionally mentioning group members. */
  sendText: define("sending", Inputs.SendText, receipt),
  /** Send an image, video, audio, voice note, document or sticker, by URL or base64. */
  sendMedia: define("sending", Inputs.SendMedia, receipt),
  /** Send a location. */
  sendLocation: define("sending", Inputs.SendLocation, receipt),
  /** Send one or more contact cards. */
  sendContacts: define("sending", Inputs.SendContacts, receipt),
  /** Send text with a link preview card. */
  sendLinkPreview: define("sending", Inputs.SendLinkPreview, receipt),
  /** Send a list (menu) message. */
  sendList: define("sending", Inputs.SendList, receipt),
  /** Send text with reply buttons. */
  sendButtons: define("sending", Inputs.SendButtons, receipt),
  /** Send a poll. */
  sendPoll: define("sending", Inputs.SendPoll, receipt),
  /** React to a message with an emoji. */
  sendReaction: define("sending", Inputs.SendReaction, receipt),
  /** Reply to a message with text, quoting it. */
  reply: define("sending", Inputs.Reply, receipt),
  /** Send a pre-approved message template (the way to start a conversation on the official API). */
  sendTemplate: define("sending", Inputs.SendTemplate, receipt),
  /** Forward a message to a chat. */
  forwardMessage: define("sending", Inputs.ForwardMessage, receipt),
  /** Mark a received message as read. */
  markRead: define("messages", Inputs.MarkRead, Schema.Void),
  /** Delete a message for everyone. */
  deleteMessage: define("messages", Inputs.DeleteMessage, Schema.Void),
  /** The instance's chats. */
  listChats: define("chats", none, Schema.Array(ChatInfo)),
  /** Archive or unarchive a chat. */
  archiveChat: define("chats", Inputs.ArchiveChat, Schema.Void),
  /** Pin or unpin a chat. */
  pinChat: define("chats", Inputs.PinChat, Schema.Void),
  /** Show typing, recording, online or offline in a chat. */
  sendPresence: define("chats", Inputs.SendPresence, Schema.Void),
  /** Whether a phone number has WhatsApp. */
  isOnWhatsApp: define("contacts", Inputs.IsOnWhatsApp, PhoneCheck),
  /** The instance's contacts. */
  listContacts: define("contacts", none, Schema.Array(ContactInfo)),
  /** Block or unblock a contact. */
  blockContact: define("contacts", Inputs.BlockContact, Schema.Void),
  /** A contact's or group's profile picture. */
  getProfilePicture: define("contacts", Inputs.GetProfilePicture, ProfilePicture),
  /** The groups the instance is in. */
  listGroups: define("groups", none, Schema.Array(GroupInfo)),
  /** A group's details and members. */
  getGroup: define("groups", Inputs.GroupInput, GroupInfo),
  /** Create a group. */
  createGroup: define("groups", Inputs.CreateGroup, GroupInfo),
  /** Add members to a group. */
  addParticipants: define("groups", Inputs.GroupParticipants, Schema.Void),
  /** Remove members from a group. */
  removeParticipants: define("groups", Inputs.GroupParticipants, Schema.Void),
  /** Make members admins. */
  promoteParticipants: define("groups", Inputs.GroupParticipants, Schema.Void),
  /** Take admin rights from members. */
  demoteParticipants: define("groups", Inputs.GroupParticipants, Schema.Void),
  /** Change who may send messages and who may edit the group. */
  updateGroupSettings: define("groups", Inputs.UpdateGroupSettings, Schema.Void),
  /** A group's invite link. */
  getGroupInviteLink: define("groups", Inputs.GroupInput, GroupInvite),
  /** Leave a group. */
  leaveGroup: define("groups", Inputs.GroupInput, Schema.Void),
  /** Change the instance's display name. */
  setProfileName: define("profile", Inputs.SetProfileName, Schema.Void),
  /** Change the instance's "about" text. */
  setProfileStatus: define("profile", Inputs.SetProfileStatus, Schema.Void),
  /** Change the instance's profile picture. */
  setProfilePicture: define("profile", Inputs.SetProfilePicture, Schema.Void),
  /** Where the vendor posts inbound events. */
  getWebhook: define("webhook", none, WebhookInfo),
  /** Point the vendor's inbound events at a URL (your webhook receiver). */
  setWebhook: define("webhook", Inputs.SetWebhook, Schema.Void)
}

/** The name of one operation. */
export type Name = keyof typeof operations

type Declared<N extends Name> = (typeof operations)[N]

/** What an operation takes once validated: its schema's type, or nothing. */
// biome-ignore lint/suspicious/noConfusingVoidType: `void` is what lets an implementation ignore a missing input.
export type Valid<N extends Name> = Declared<N>["input"] extends Schema.Top ? Declared<N>["input"]["Type"] : void

/** What callers pass: the validated shape plus `providerOptions`, or (for input-less operations) nothing. */
export type Input<N extends Name> = Declared<N>["input"] extends Schema.Top
  ? Declared<N>["input"]["Type"] & WithProviderOptions
  : // biome-ignore lint/suspicious/noConfusingVoidType: `void` is what lets callers write `getStatus()`.
    void | WithProviderOptions

/** What an operation answers. */
export type Output<N extends Name> = Declared<N>["output"]["Type"]

/** Every operation name, in service order. */
export const names: ReadonlyArray<Name> = Object.keys(operations) as Array<Name>

/** The operations of one group, in service order. */
export const groupOf = (group: Group): ReadonlyArray<Name> => names.filter((name) => operations[name].group === group)

/**
 * Builds a record with one entry per operation, each made by `entry` for its own name.
 * TypeScript cannot relate a generic `entry` to a mapped type's entries, so the one assertion
 * that the loop filled every key with the right entry lives here (`make` is its only user).
 */
export const record = <F extends { readonly [N in Name]: unknown }>(entry: <N extends Name>(name: N) => unknown): F =>
  Object.fromEntries(names.map((name) => [name, entry(name)])) as F

/** What an implementation is told about the call it serves, and the refusal it must use. */
export interface Context<N extends Name = Name> {
  readonly provider: string
  readonly operation: N
  /** This provider's entry of `providerOptions` (undefined when the caller gave none). */
  readonly providerOptions: object | undefined
  /**
   * The one refusal: the input asks for something this provider cannot carry exactly. Names the
   * field (`footer`, `to`, `providerOptions.zapi.delayMessage`) and says why; nothing is sent.
   */
  readonly refuse: (field: string, detail: string) => InvalidRequest
  /** The vendor answered a success the operation cannot use. */
  readonly unexpected: (detail: string) => UnexpectedResponse
}

/** The context of one call of `operation` on `provider`. */
export const context = <N extends Name>(
  provider: string,
  operation: N,
  providerOptions?: object | undefined
): Context<N> => ({
  provider,
  operation,
  providerOptions,
  refuse: (field, detail) => new InvalidRequest({ provider, operation, field, detail }),
  unexpected: (detail) => new UnexpectedResponse({ provider, operation, detail })
})

const formatter = SchemaIssue.makeFormatterStandardSchemaV1()

/**
 * Checks an input against a schema; the first problem becomes an `InvalidRequest` naming the
 * field (`sections.0.rows`) and saying what is wrong.
 */
export const validate = <S extends Schema.Top>(
  schema: S,
  input: unknown,
  context: { readonly provider: string; readonly operation: string }
): Result.Result<S["Type"], InvalidRequest> => {
  const result = Schema.decodeUnknownResult(Schema.toType(schema) as Schema.Codec<S["Type"], unknown>)(input)
  if (Result.isSuccess(result)) return Result.succeed(result.success)
  const issue = formatter(result.failure.issue).issues[0]
  const field = issue?.path?.map((key) => (typeof key === "object" ? String(key.key) : String(key))).join(".")
  return Result.fail(
    new InvalidRequest({
      ...context,
      detail: issue?.message ?? "invalid input",
      ...(field ? { field } : {})
    })
  )
}

/** The validated input of one operation, or the `InvalidRequest` naming what is wrong. */
export const validateInput = <N extends Name>(
  provider: string,
  operation: N,
  input: unknown
): Result.Result<Valid<N>, InvalidRequest> => {
  const schema: Schema.Top | undefined = operations[operation].input
  return schema === undefined
    ? Result.succeed(undefined as Valid<N>)
    : (validate(schema, input, { provider, operation }) as Result.Result<Valid<N>, InvalidRequest>)
}
