/**
 * The conformance suite, written once: every abstract `WhatsApp` operation with the same
 * assertions, run against any provider. An operation the provider declares must work and answer
 * well-formed values; an operation it does not declare must fail with `Unsupported` naming the
 * provider and the operation. Swapping providers needs no code change because every provider
 * passes this same suite.
 */
import { Capability, ChatId, MessageRef, WhatsApp } from "@pombo/core"
import { Effect, Exit, type Layer } from "effect"
import { describe, expect, it } from "vitest"

const to = new ChatId.Contact({ phone: "5511987654321" })
const ana = new ChatId.Contact({ phone: "5521988887777" })
/**
 * A message received earlier. Its id is one the Mega-API mock has stored (the `instanceMessages`
 * example): Mega-API forwards and quotes a message's stored content, so it must exist there.
 */
const someone = new MessageRef.MessageRef({ chat: to, id: "3EB0C767D26A1B2C3D4E", fromMe: false })

/** A call of every operation with valid input, given what earlier calls returned. */
const calls = (
  w: WhatsApp.Shape,
  group: ChatId.Group
): Record<Capability.Capability, () => Effect.Effect<unknown, unknown>> => ({
  getStatus: () => w.getStatus(),
  getQrCode: () => w.getQrCode(),
  getPairingCode: () => w.getPairingCode({ phone: to }),
  logout: () => w.logout(),
  restart: () => w.restart(),
  sendText: () => w.sendText({ to, text: "Olá! Seu pedido saiu para entrega." }),
  sendMedia: () =>
    w.sendMedia({ to, kind: "image", source: { _tag: "Url", url: "https://example.com/a.png" }, caption: "Nota" }),
  sendLocation: () => w.sendLocation({ to, latitude: -23.5613, longitude: -46.6565, name: "MASP" }),
  sendContacts: () => w.sendContacts({ to, contacts: [{ name: "Ana", phone: ana }] }),
  sendLinkPreview: () =>
    w.sendLinkPreview({
      to,
      text: "Veja nosso catálogo: https://example.com/catalogo",
      url: "https://example.com/catalogo",
      title: "Catálogo",
      imageUrl: "https://example.com/capa.png"
    }),
  sendList: () =>
    w.sendList({
      to,
      text: "Como podemos ajudar?",
      buttonText: "Opções",
      sections: [{ title: "Atendimento", rows: [{ id: "1", title: "Pedido" }] }]
    }),
  sendButtons: () =>
    w.sendButtons({
      to,
      text: "Confirma?",
      buttons: [
        { id: "sim", label: "Sim" },
        { id: "nao", label: "Não" }
      ]
    }),
  sendPoll: () => w.sendPoll({ to, name: "Melhor horário?", options: ["Manhã", "Tarde"] }),
  sendReaction: () => w.sendReaction({ message: someone, emoji: "👍" }),
  reply: () => w.reply({ message: someone, text: "Combinado!" }),
  forwardMessage: () => w.forwardMessage({ message: someone, to: ana }),
  markRead: () => w.markRead({ message: someone }),
  deleteMessage: () =>
    w.deleteMessage({ message: new MessageRef.MessageRef({ chat: to, id: "3EB0C0FFEE", fromMe: true }) }),
  listChats: () => w.listChats(),
  archiveChat: () => w.archiveChat({ chat: to, archived: true }),
  pinChat: () => w.pinChat({ chat: to, pinned: true }),
  sendPresence: () => w.sendPresence({ chat: to, presence: "composing" }),
  isOnWhatsApp: () => w.isOnWhatsApp({ phone: to }),
  listContacts: () => w.listContacts(),
  blockContact: () => w.blockContact({ contact: ana, blocked: true }),
  getProfilePicture: () => w.getProfilePicture({ chat: to }),
  listGroups: () => w.listGroups(),
  getGroup: () => w.getGroup({ group }),
  createGroup: () => w.createGroup({ subject: "Equipe", participants: [to] }),
  addParticipants: () => w.addParticipants({ group, participants: [ana] }),
  removeParticipants: () => w.removeParticipants({ group, participants: [ana] }),
  promoteParticipants: () => w.promoteParticipants({ group, participants: [to] }),
  demoteParticipants: () => w.demoteParticipants({ group, participants: [to] }),
  updateGroupSettings: () => w.updateGroupSettings({ group, onlyAdminsCanSend: true }),
  getGroupInviteLink: () => w.getGroupInviteLink({ group }),
  leaveGroup: () => w.leaveGroup({ group }),
  setProfileName: () => w.setProfileName({ name: "Loja Exemplo" }),
  setProfileStatus: () => w.setProfileStatus({ status: "Atendimento das 8h às 18h" }),
  setProfilePicture: () => w.setProfilePicture({ url: "https://example.com/logo.png" }),
  getWebhook: () => w.getWebhook(),
  setWebhook: () => w.setWebhook({ url: "https://example.com/webhooks/whatsapp" })
})

/** What every provider's answer must look like, per operation. */
const expectWellFormed = (operation: Capability.Capability, value: any, provider: string) => {
  if (operation.startsWith("send") && operation !== "sendPresence") {
    expect(value.provider).toBe(provider)
    expect(value.message.id.length).toBeGreaterThan(0)
    expect(value.acceptedAt).toBeInstanceOf(Date)
  }
  if (operation === "reply" || operation === "forwardMessage") expect(value.message.id.length).toBeGreaterThan(0)
  if (operation === "getStatus") expect(typeof value.connected).toBe("boolean")
  if (operation === "getQrCode") expect(value.image).toMatch(/^data:image\//)
  if (operation === "getPairingCode") expect(value.code.length).toBeGreaterThan(0)
  if (operation.startsWith("list")) expect(Array.isArray(value)).toBe(true)
  if (operation === "isOnWhatsApp") expect(typeof value.exists).toBe("boolean")
  if (operation === "getGroup" || operation === "createGroup") {
    expect(value.group._tag).toBe("Group")
    expect(typeof value.subject).toBe("string")
  }
  if (operation === "getGroupInviteLink") expect(value.url).toMatch(/^https:\/\//)
}

/** Registers the suite for one provider. `layer` provides `WhatsApp`; `group` exists there. */
export const conformance = (name: string, layer: Layer.Layer<WhatsApp.WhatsApp>, group: ChatId.Group) =>
  describe(`${name} conforms to the WhatsApp service`, () => {
    for (const operation of Capability.all) {
      it(operation, async () => {
        const exit = await Effect.runPromiseExit(
          Effect.gen(function* () {
            const whatsapp = yield* WhatsApp.WhatsApp
            const supported = whatsapp.capabilities.has(operation)
            const result = yield* Effect.exit(calls(whatsapp, group)[operation]())
            return { supported, result, provider: whatsapp.provider }
          }).pipe(Effect.provide(layer))
        )
        if (Exit.isFailure(exit)) throw new Error(`layer failed: ${String(exit.cause)}`)
        const { supported, result, provider } = exit.value
        if (supported) {
          if (Exit.isFailure(result) && operation === "sendLinkPreview") {
            // The card's fields are carried exactly or refused by name (Mega-API cannot set them).
            expect(String(result.cause)).toMatch(/InvalidRequest.*\((title|description|imageUrl)\)/)
            return
          }
          if (Exit.isFailure(result)) throw new Error(`${operation} failed: ${String(result.cause)}`)
          expectWellFormed(operation, result.value, provider)
        } else {
          expect(Exit.isFailure(result)).toBe(true)
          if (Exit.isFailure(result)) {
            const error: any = (result.cause as any).reasons?.[0]?.error ?? (result.cause as any).failures?.[0]
            expect(String(result.cause)).toContain("Unsupported")
            if (error) expect(error).toMatchObject({ _tag: "Unsupported", provider, operation })
          }
        }
      })
    }
  })
