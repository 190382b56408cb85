/**
 * A complete `WhatsApp` provider that lives in memory, for your unit tests: it records every
 * message sent, answers with realistic receipts, keeps chats, contacts, groups and profile as
 * state that the operations change, and lets a test push inbound events. Give it a subset of
 * capabilities to test how your code copes with a vendor that lacks some.
 *
 * ```ts
 * const test = Effect.gen(function* () {
 *   const whatsapp = yield* WhatsApp
 *   yield* whatsapp.sendText({ to, text: "Olá" })
 *   const sent = yield* InMemoryWhatsApp.sent
 * }).pipe(Effect.provide(InMemoryWhatsApp.layer()))
 * ```
 */
import { Clock, Context, Effect, Layer, PubSub, Random, Ref, Stream } from "effect"
import * as Capability from "./Capability.ts"
import { type ChatId, Contact, Group } from "./ChatId.ts"
import { ChatInfo, ProfilePicture } from "./ChatInfo.ts"
import { type ContactInfo, PhoneCheck } from "./ContactInfo.ts"
import { GroupInfo, GroupInvite, GroupParticipant } from "./GroupInfo.ts"
import { InstanceStatus, PairingCode, QrCode } from "./Instance.ts"
import { MessageRef } from "./MessageRef.ts"
import type * as OperationInput from "./OperationInput.ts"
import { SendReceipt } from "./SendReceipt.ts"
import { WebhookInfo } from "./WebhookInfo.ts"
import * as WhatsApp from "./WhatsApp.ts"
import { NotConnected, RecipientNotFound } from "./WhatsAppError.ts"
import type { WhatsAppEvent } from "./WhatsAppEvent.ts"

/** The provider name the in-memory provider reports. */
export const provider = "in-memory"

/** One operation that sent something: which, with what input, and the receipt it answered. */
export interface SentMessage {
  readonly operation: Capability.Capability
  readonly input: unknown
  readonly receipt: SendReceipt
}

/** Options for the in-memory provider. */
export interface Options {
  /** Only these operations are supported; the rest fail with `Unsupported`. Default: all. */
  readonly capabilities?: Iterable<Capability.Capability>
  /** Whether the instance starts connected. Default true. */
  readonly connected?: boolean
  /** The instance's own number. Default `5511900000000`. */
  readonly phone?: string
  /** Numbers `isOnWhatsApp` says exist. Default: every number. */
  readonly onWhatsApp?: (phone: string) => boolean
  /** Groups the instance is already in. */
  readonly groups?: Iterable<GroupInfo>
}

/** The knobs a test turns: what was sent, inbound events, connection. */
export interface Control {
  /** Everything sent so far, oldest first. */
  readonly sent: Effect.Effect<ReadonlyArray<SentMessage>>
  /** Deliver an inbound event to `events` subscribers. */
  readonly push: (event: WhatsAppEvent) => Effect.Effect<void>
  /** Inbound events pushed after subscribing. */
  readonly events: Stream.Stream<WhatsAppEvent>
  /** Connect or disconnect the instance; while disconnected, operations fail with `NotConnected`. */
  readonly setConnected: (connected: boolean) => Effect.Effect<void>
}

/** The in-memory provider's control service. */
export class InMemoryControl extends Context.Service<InMemoryControl, Control>()("pombo/InMemoryControl") {}

interface State {
  readonly connected: boolean
  readonly name: string
  readonly status: string
  readonly picture: string | undefined
  readonly webhook: string | undefined
  readonly sent: ReadonlyArray<SentMessage>
  readonly chats: ReadonlyMap<string, ChatInfo>
  readonly contacts: ReadonlyMap<string, ContactInfo>
  readonly blocked: ReadonlySet<string>
  readonly groups: ReadonlyMap<string, GroupInfo>
}

const chatKey = (chat: ChatId): string => `${chat._tag}:${"phone" in chat ? chat.phone : chat.id}`

/** Builds the in-memory `WhatsApp` service and its control. */
export const make = Effect.fnUntraced(function* (options: Options = {}) {
  const own = new Contact({ phone: options.phone ?? "5511900000000" })
  const state = yield* Ref.make<State>({
    connected: options.connected ?? true,
    name: "Pombo",
    status: "",
    picture: undefined,
    webhook: undefined,
    sent: [],
    chats: new Map(),
    contacts: new Map(),
    blocked: new Set(),
    groups: new Map([...(options.groups ?? [])].map((info) => [info.group.id, info] as const))
  })
  const inbound = yield* PubSub.unbounded<WhatsAppEvent>()
  const onWhatsApp = options.onWhatsApp ?? (() => true)

  const connected = <A, E>(operation: string, effect: Effect.Effect<A, E>): Effect.Effect<A, E | NotConnected> =>
    Effect.flatMap(
      Ref.get(state),
      (s): Effect.Effect<A, E | NotConnected> =>
        s.connected
          ? effect
          : Effect.fail(new NotConnected({ provider, operation, detail: "the in-memory instance is disconnected" }))
    )

  const messageId = Effect.map(
    Effect.forEach(Array.from({ length: 10 }), () => Random.nextIntBetween(0, 255)),
    (bytes) => `3EB0${bytes.map((b) => b.toString(16).padStart(2, "0").toUpperCase()).join("")}`
  )

  const send = (operation: Capability.Capability, to: ChatId, input: unknown) =>
    connected(
      operation,
      Effect.gen(function* () {
        if (to._tag === "Contact" && !onWhatsApp(to.phone)) {
          return yield* new RecipientNotFound({ provider, operation, detail: `+${to.phone} is not on WhatsApp` })
        }
        if (to._tag === "Group" && !(yield* Ref.get(state)).groups.has(to.id)) {
          return yield* new RecipientNotFound({ provider, operation, detail: `group ${to.id} does not exist` })
        }
        const now = yield* Clock.currentTimeMillis
        const receipt = new SendReceipt({
          provider,
          message: new MessageRef({ chat: to, id: yield* messageId, fromMe: true }),
          acceptedAt: new Date(now)
        })
        yield* Ref.update(state, (s) => {
          const chats = new Map(s.chats)
          const previous = chats.get(chatKey(to))
          chats.set(chatKey(to), new ChatInfo({ ...previous, chat: to, lastMessageAt: new Date(now) }))
          return { ...s, chats, sent: [...s.sent, { operation, input, receipt }] }
        })
        return receipt
      })
    )

  const update = (operation: string, f: (s: State) => State) => connected(operation, Ref.update(state, f))

  const existingGroup = (operation: string, group: Group) =>
    connected(
      operation,
      Effect.flatMap(Ref.get(state), (s): Effect.Effect<GroupInfo, RecipientNotFound> => {
        const info = s.groups.get(group.id)
        return info
          ? Effect.succeed(info)
          : Effect.fail(new RecipientNotFound({ provider, operation, detail: `group ${group.id} does not exist` }))
      })
    )

  const changeMembers = (
    operation: Capability.Capability,
    input: OperationInput.GroupParticipants,
    change: (members: ReadonlyArray<GroupParticipant>, phones: ReadonlySet<string>) => ReadonlyArray<GroupParticipant>
  ) =>
    Effect.flatMap(existingGroup(operation, input.group), (info) =>
      Ref.update(state, (s) => {
        const groups = new Map(s.groups)
        const phones = new Set(input.participants.map((p) => p.phone))
        groups.set(input.group.id, new GroupInfo({ ...info, participants: change(info.participants, phones) }))
        return { ...s, groups }
      })
    )

  const setRole =
    (role: GroupParticipant["role"]) => (members: ReadonlyArray<GroupParticipant>, phones: ReadonlySet<string>) =>
      members.map((m) => (phones.has(m.contact.phone) ? new GroupParticipant({ contact: m.contact, role }) : m))

  const operations: Required<WhatsApp.Implementations> = {
    getStatus: () =>
      Effect.map(Ref.get(state), (s) =>
        s.connected
          ? new InstanceStatus({ connected: true, phone: own, name: s.name })
          : new InstanceStatus({ connected: false })
      ),
    getQrCode: () => Effect.succeed(new QrCode({ image: "data:image/png;base64,iVBORw0KGgo=" })),
    getPairingCode: () => Effect.succeed(new PairingCode({ code: "ABCD-1234" })),
    logout: () => Ref.update(state, (s) => ({ ...s, connected: false })),
    restart: () => Effect.void,
    sendText: (input) => send("sendText", input.to, input),
    sendMedia: (input) => send("sendMedia", input.to, input),
    sendLocation: (input) => send("sendLocation", input.to, input),
    sendContacts: (input) => send("sendContacts", input.to, input),
    sendLinkPreview: (input) => send("sendLinkPreview", input.to, input),
    sendList: (input) => send("sendList", input.to, input),
    sendButtons: (input) => send("sendButtons", input.to, input),
    sendPoll: (input) => send("sendPoll", input.to, input),
    sendReaction: (input) => send("sendReaction", input.message.chat, input),
    reply: (input) => send("reply", input.message.chat, input),
    sendTemplate: (input) => send("sendTemplate", input.to, input),
    forwardMessage: (input) => send("forwardMessage", input.to, input),
    markRead: (input) =>
      update("markRead", (s) => {
        const chats = new Map(s.chats)
        const chat = chats.get(chatKey(input.message.chat))
        if (chat) chats.set(chatKey(chat.chat), new ChatInfo({ ...chat, unreadCount: 0 }))
        return { ...s, chats }
      }),
    deleteMessage: (input) => connected("deleteMessage", Effect.asVoid(Effect.succeed(input))),
    listChats: () =>
      connected(
        "listChats",
        Effect.map(Ref.get(state), (s) => [...s.chats.values()])
      ),
    archiveChat: (input) =>
      update("archiveChat", (s) => {
        const chats = new Map(s.chats)
        chats.set(
          chatKey(input.chat),
          new ChatInfo({ ...chats.get(chatKey(input.chat)), chat: input.chat, archived: input.archived })
        )
        return { ...s, chats }
      }),
    pinChat: (input) =>
      update("pinChat", (s) => {
        const chats = new Map(s.chats)
        chats.set(
          chatKey(input.chat),
          new ChatInfo({ ...chats.get(chatKey(input.chat)), chat: input.chat, pinned: input.pinned })
        )
        return { ...s, chats }
      }),
    sendPresence: () => connected("sendPresence", Effect.void),
    isOnWhatsApp: (input) =>
      connected(
        "isOnWhatsApp",
        Effect.succeed(
          onWhatsApp(input.phone.phone)
            ? new PhoneCheck({ exists: true, contact: input.phone })
            : new PhoneCheck({ exists: false })
        )
      ),
    listContacts: () =>
      connected(
        "listContacts",
        Effect.map(Ref.get(state), (s) => [...s.contacts.values()])
      ),
    blockContact: (input) =>
      update("blockContact", (s) => {
        const blocked = new Set(s.blocked)
        if (input.blocked) blocked.add(input.contact.phone)
        else blocked.delete(input.contact.phone)
        return { ...s, blocked }
      }),
    getProfilePicture: () => connected("getProfilePicture", Effect.succeed(new ProfilePicture({}))),
    listGroups: () =>
      connected(
        "listGroups",
        Effect.map(Ref.get(state), (s) => [...s.groups.values()])
      ),
    getGroup: (input) => existingGroup("getGroup", input.group),
    createGroup: (input) =>
      connected(
        "createGroup",
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          const suffix = yield* Random.nextIntBetween(100_000_000, 999_999_999)
          const info = new GroupInfo({
            group: new Group({ id: `120363${now}${suffix}`.slice(0, 18) }),
            subject: input.subject,
            owner: own,
            createdAt: new Date(now),
            participants: [
              new GroupParticipant({ contact: own, role: "superadmin" }),
              ...input.participants.map((contact) => new GroupParticipant({ contact, role: "member" }))
            ]
          })
          yield* Ref.update(state, (s) => ({ ...s, groups: new Map(s.groups).set(info.group.id, info) }))
          return info
        })
      ),
    addParticipants: (input) =>
      changeMembers("addParticipants", input, (members, phones) => [
        ...members,
        ...[...phones]
          .filter((phone) => !members.some((m) => m.contact.phone === phone))
          .map((phone) => new GroupParticipant({ contact: new Contact({ phone }), role: "member" }))
      ]),
    removeParticipants: (input) =>
      changeMembers("removeParticipants", input, (members, phones) =>
        members.filter((m) => !phones.has(m.contact.phone))
      ),
    promoteParticipants: (input) => changeMembers("promoteParticipants", input, setRole("admin")),
    demoteParticipants: (input) => changeMembers("demoteParticipants", input, setRole("member")),
    updateGroupSettings: (input) => Effect.asVoid(existingGroup("updateGroupSettings", input.group)),
    getGroupInviteLink: (input) =>
      Effect.map(
        existingGroup("getGroupInviteLink", input.group),
        (info) => new GroupInvite({ url: `https://chat.whatsapp.com/${info.group.id.slice(-12)}` })
      ),
    leaveGroup: (input) =>
      Effect.flatMap(existingGroup("leaveGroup", input.group), () =>
        Ref.update(state, (s) => {
          const groups = new Map(s.groups)
          groups.delete(input.group.id)
          return { ...s, groups }
        })
      ),
    setProfileName: (input) => update("setProfileName", (s) => ({ ...s, name: input.name })),
    setProfileStatus: (input) => update("setProfileStatus", (s) => ({ ...s, status: input.status })),
    setProfilePicture: (input) => update("setProfilePicture", (s) => ({ ...s, picture: input.url })),
    getWebhook: () =>
      Effect.map(Ref.get(state), (s) => new WebhookInfo(s.webhook === undefined ? {} : { url: s.webhook })),
    setWebhook: (input) => Ref.update(state, (s) => ({ ...s, webhook: input.url }))
  }

  const allowed = new Set(options.capabilities ?? Capability.all)
  const supported = Object.fromEntries(
    Object.entries(operations).filter(([name]) => allowed.has(name as Capability.Capability))
  ) as WhatsApp.Implementations

  const control: Control = {
    sent: Effect.map(Ref.get(state), (s) => s.sent),
    push: (event) => Effect.asVoid(PubSub.publish(inbound, event)),
    events: Stream.fromPubSub(inbound),
    setConnected: (value) => Ref.update(state, (s) => ({ ...s, connected: value }))
  }

  return {
    whatsapp: WhatsApp.make({
      provider,
      operations: supported,
      addressable: ["Contact", "Group", "Broadcast", "BusinessScopedUser"]
    }),
    control
  }
})

/** A layer with the in-memory `WhatsApp` service and its `InMemoryControl`. */
export const layer = (options?: Options): Layer.Layer<WhatsApp.WhatsApp | InMemoryControl> =>
  Layer.effectContext(
    Effect.map(make(options), ({ whatsapp, control }) =>
      Context.make(WhatsApp.WhatsApp, whatsapp).pipe(Context.add(InMemoryControl, control))
    )
  )

/** Everything the in-memory provider sent so far. */
export const sent: Effect.Effect<ReadonlyArray<SentMessage>, never, InMemoryControl> = InMemoryControl.use(
  (control) => control.sent
)

/** Pushes an inbound event to the in-memory provider's `events`. */
export const push = (event: WhatsAppEvent): Effect.Effect<void, never, InMemoryControl> =>
  InMemoryControl.use((control) => control.push(event))
