/**
 * The conformance suite, written once: the rules every `WhatsApp` provider must keep, asserted
 * the same way for each. Run it from your own Vitest file against your own provider:
 *
 * ```ts
 * import { Conformance } from "@pombo/testing"
 * Conformance.suite({ name: "my vendor", layer: (http) => MyWhatsApp.layer.pipe(...), upstream, group })
 * ```
 *
 * The rules:
 * 1. **Every operation answers.** A supported operation succeeds with a value its declared output
 *    schema accepts and that fits the call (a receipt names the provider and the chat sent to; a
 *    group answer names a group); an unsupported one fails with `Unsupported` naming the provider
 *    and the operation. Nothing passes by merely not failing.
 * 2. **Carried exactly, or refused by name.** An input a provider cannot carry is refused with
 *    `InvalidRequest` naming the field, and nothing is sent: each marked input below either reaches
 *    the vendor (its marker is in a recorded request) or is refused that way.
 * 3. **Other providers' options are ignored.** `providerOptions` keyed by another provider changes
 *    nothing.
 * 4. **Secrets never show**, even when the vendor echoes the request back in its errors.
 * 5. **A message is never sent twice**: reads retry transient failures, sends retry only when the
 *    request provably never left or the vendor asked, and a timed-out send is not repeated.
 * 6. **Decoding never throws**: any JSON, documented or mutated, gives at least one event, and an
 *    unrecognised payload is `Unknown` with `raw`.
 */
import {
  Capability,
  ChatId as Chat,
  type ChatId,
  MessageRef,
  Operation,
  RetryPolicy,
  type WebhookDecoder,
  WhatsApp,
  type WhatsAppError
} from "@pombo/core"
import { Cause, type Duration, Effect, Exit, Inspectable, type Layer, Logger, Predicate, Schema, Tracer } from "effect"
import type { HttpClient } from "effect/http"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Leaks from "./Leaks.ts"
import * as RecordingHttpClient from "./RecordingHttpClient.ts"

/** How the suite configures a provider: its retry policy and its per-exchange timeout. */
export interface LayerOptions {
  readonly retry: RetryPolicy.RetryPolicy
  readonly timeout: Duration.Input
}

/** A provider under test, over the HTTP client the suite gives it (recording, then `upstream`). */
export interface Target {
  readonly name: string
  /** `WhatsApp` over the given client, retrying and timing out as given. */
  readonly layer: (httpClient: HttpClient.HttpClient, options: LayerOptions) => Layer.Layer<WhatsApp.WhatsApp>
  /** The vendor (or its mock) that answers rule 1–3 calls; absent for providers without HTTP. */
  readonly upstream?: HttpClient.HttpClient | undefined
  /** A group that exists upstream. */
  readonly group: ChatId.Group
  /** What rules 4–5 need: the secrets configured in `layer`, and a success answer for two operations. */
  readonly vendor?:
    | {
        readonly secrets: ReadonlyArray<string>
        /** A documented success body of the call `sendText` makes. */
        readonly sendTextAnswer: unknown
        /** A documented success body of the call `getStatus` makes. */
        readonly getStatusAnswer: unknown
      }
    | undefined
  /** Rule 6: the provider's decoder and its documented webhook payloads. */
  readonly webhooks?:
    | { readonly decoder: WebhookDecoder.WebhookDecoder; readonly examples: ReadonlyArray<unknown> }
    | undefined
}

const to = new Chat.Contact({ phone: "5511987654321" })
const ana = new Chat.Contact({ phone: "5521988887777" })
/**
 * A message received earlier. Its id is one the Mega-API mock has stored (the `instanceMessages`
 * example): Mega-API forwards and quotes a message's stored content, so it must exist there.
 */
const someone = new MessageRef.MessageRef({ chat: to, id: "3EB0C767D26A1B2C3D4E", fromMe: false })

type Call = (w: WhatsApp.Shape) => Effect.Effect<unknown, WhatsAppError.WhatsAppError>
type Calls = { readonly [N in Operation.Name]: Call | ReadonlyArray<Call> }

/**
 * A call of every operation with valid input. Where vendors need different inputs (a link preview
 * with or without its card's image) there are several: each must succeed or be refused by name,
 * and at least one must succeed.
 */
const calls = (group: ChatId.Group): Calls => ({
  getStatus: (w) => w.getStatus(),
  getQrCode: (w) => w.getQrCode(),
  getPairingCode: (w) => w.getPairingCode({ phone: to }),
  logout: (w) => w.logout(),
  restart: (w) => w.restart(),
  sendText: (w) => w.sendText({ to, text: "Olá! Seu pedido saiu para entrega." }),
  sendMedia: (w) =>
    w.sendMedia({ to, kind: "image", source: { _tag: "Url", url: "https://example.com/a.png" }, caption: "Nota" }),
  sendLocation: (w) => w.sendLocation({ to, latitude: -23.5613, longitude: -46.6565, name: "MASP" }),
  sendContacts: (w) => w.sendContacts({ to, contacts: [{ name: "Ana", phone: ana }] }),
  sendLinkPreview: [
    (w) =>
      w.sendLinkPreview({
        to,
        text: "Veja nosso catálogo: https://example.com/catalogo",
        url: "https://example.com/catalogo"
      }),
    (w) =>
      w.sendLinkPreview({
        to,
        text: "Veja nosso catálogo: https://example.com/catalogo",
        url: "https://example.com/catalogo",
        title: "Catálogo",
        imageUrl: "https://example.com/capa.png"
      })
  ],
  sendList: (w) =>
    w.sendList({
      to,
      text: "Como podemos ajudar?",
      buttonText: "Opções",
      sections: [{ title: "Atendimento", rows: [{ id: "1", title: "Pedido" }] }]
    }),
  sendButtons: (w) =>
    w.sendButtons({
      to,
      text: "Confirma?",
      buttons: [
        { id: "sim", label: "Sim" },
        { id: "nao", label: "Não" }
      ]
    }),
  sendPoll: (w) => w.sendPoll({ to, name: "Melhor horário?", options: ["Manhã", "Tarde"] }),
  sendReaction: (w) => w.sendReaction({ message: someone, emoji: "👍" }),
  reply: (w) => w.reply({ message: someone, text: "Combinado!" }),
  sendTemplate: (w) =>
    w.sendTemplate({
      to,
      name: "pedido_enviado",
      language: "pt_BR",
      components: [{ type: "body", parameters: [{ _tag: "Text", text: "Ana" }] }]
    }),
  forwardMessage: (w) => w.forwardMessage({ message: someone, to: ana }),
  markRead: (w) => w.markRead({ message: someone }),
  deleteMessage: (w) =>
    w.deleteMessage({ message: new MessageRef.MessageRef({ chat: to, id: "3EB0C0FFEE", fromMe: true }) }),
  listChats: (w) => w.listChats(),
  archiveChat: (w) => w.archiveChat({ chat: to, archived: true }),
  pinChat: (w) => w.pinChat({ chat: to, pinned: true }),
  sendPresence: (w) => w.sendPresence({ chat: to, presence: "composing", message: someone }),
  isOnWhatsApp: (w) => w.isOnWhatsApp({ phone: to }),
  listContacts: (w) => w.listContacts(),
  blockContact: (w) => w.blockContact({ contact: ana, blocked: true }),
  getProfilePicture: (w) => w.getProfilePicture({ chat: to }),
  listGroups: (w) => w.listGroups(),
  getGroup: (w) => w.getGroup({ group }),
  createGroup: (w) => w.createGroup({ subject: "Equipe", participants: [to] }),
  addParticipants: (w) => w.addParticipants({ group, participants: [ana] }),
  removeParticipants: (w) => w.removeParticipants({ group, participants: [ana] }),
  promoteParticipants: (w) => w.promoteParticipants({ group, participants: [to] }),
  demoteParticipants: (w) => w.demoteParticipants({ group, participants: [to] }),
  updateGroupSettings: (w) => w.updateGroupSettings({ group, onlyAdminsCanSend: true }),
  getGroupInviteLink: (w) => w.getGroupInviteLink({ group }),
  leaveGroup: (w) => w.leaveGroup({ group }),
  setProfileName: (w) => w.setProfileName({ name: "Loja Exemplo" }),
  setProfileStatus: (w) => w.setProfileStatus({ status: "Atendimento das 8h às 18h" }),
  setProfilePicture: (w) => w.setProfilePicture({ url: "https://example.com/logo.png" }),
  getWebhook: (w) => w.getWebhook(),
  setWebhook: (w) => w.setWebhook({ url: "https://example.com/webhooks/whatsapp" })
})

/** The chat a send addresses, to check its receipt against. */
const sentTo: { readonly [N in Operation.Name]?: ChatId.ChatId } = {
  sendText: to,
  sendMedia: to,
  sendLocation: to,
  sendContacts: to,
  sendLinkPreview: to,
  sendList: to,
  sendButtons: to,
  sendPoll: to,
  sendReaction: to,
  reply: to,
  sendTemplate: to,
  forwardMessage: ana
}

/** The value at `path` in an answer (already checked against its schema). */
const at = (value: unknown, ...path: ReadonlyArray<string>): unknown =>
  path.reduce<unknown>(
    (inner, key) => (Predicate.isObject(inner) ? (inner as Record<string, unknown>)[key] : undefined),
    value
  )

const nonEmpty = (value: unknown): boolean => typeof value === "string" && value.length > 0

/** Whether an answer fits the call beyond its schema: what a user would notice if it did not. */
const fits = (operation: Operation.Name, value: unknown, provider: string, group: ChatId.Group): boolean => {
  const chat = sentTo[operation]
  if (chat !== undefined) {
    const message = at(value, "message")
    return (
      at(value, "provider") === provider &&
      nonEmpty(at(message, "id")) &&
      Chat.display(at(message, "chat") as ChatId.ChatId) === Chat.display(chat)
    )
  }
  switch (operation) {
    case "getQrCode":
      return /^data:image\//.test(String(at(value, "image")))
    case "getPairingCode":
      return nonEmpty(at(value, "code"))
    case "getGroup":
      return at(value, "group", "id") === group.id
    case "createGroup":
      return at(value, "group", "_tag") === "Group" && nonEmpty(at(value, "subject"))
    case "getGroupInviteLink":
      return /^https:\/\//.test(String(at(value, "url")))
    default:
      return true
  }
}

/** What an exit shows a user: success with a fitting value, or the error's tag, provider, operation and field. */
const outcome = (exit: Exit.Exit<unknown, WhatsAppError.WhatsAppError>, check: (value: unknown) => boolean) =>
  Exit.isSuccess(exit)
    ? { _tag: "Success", fits: check(exit.value) }
    : Cause.findErrorOption(exit.cause).pipe((error) =>
        error._tag === "Some"
          ? {
              _tag: error.value._tag,
              provider: error.value.provider,
              operation: error.value.operation,
              field: "field" in error.value ? error.value.field : undefined
            }
          : { _tag: "Defect", cause: Cause.pretty(exit.cause) }
      )

/** An input carrying `marker` that a provider must send as given or refuse naming `field`. */
interface MarkedInput {
  readonly operation: Operation.Name
  readonly field: string
  readonly marker: string
  readonly call: (w: WhatsApp.Shape) => Effect.Effect<unknown, WhatsAppError.WhatsAppError>
}

const markedInputs = (group: ChatId.Group): ReadonlyArray<MarkedInput> => [
  {
    operation: "sendText",
    field: "to",
    marker: "120363000000000077",
    call: (w) => w.sendText({ to: new Chat.Broadcast({ id: "120363000000000077" }), text: "Olá" })
  },
  {
    operation: "sendText",
    field: "mentions",
    marker: "5521988887777",
    call: (w) => w.sendText({ to: group, text: "Olá @5521988887777", mentions: [ana] })
  },
  {
    operation: "sendList",
    field: "footer",
    marker: "FOOTER-MARK",
    call: (w) =>
      w.sendList({
        to,
        text: "Como podemos ajudar?",
        buttonText: "Opções",
        footer: "FOOTER-MARK",
        sections: [{ title: "Atendimento", rows: [{ id: "1", title: "Pedido" }] }]
      })
  },
  {
    operation: "sendButtons",
    field: "footer",
    marker: "FOOTER-MARK",
    call: (w) => w.sendButtons({ to, text: "Confirma?", footer: "FOOTER-MARK", buttons: [{ id: "s", label: "Sim" }] })
  },
  ...(["title", "description", "imageUrl"] as const).map(
    (field): MarkedInput => ({
      operation: "sendLinkPreview",
      field,
      marker: `${field.toUpperCase()}-MARK`,
      call: (w) =>
        w.sendLinkPreview({
          to,
          text: "Veja: https://example.com/catalogo",
          url: "https://example.com/catalogo",
          title: "T",
          description: "D",
          imageUrl: "https://example.com/capa.png",
          [field]: field === "imageUrl" ? "https://example.com/IMAGEURL-MARK.png" : `${field.toUpperCase()}-MARK`
        })
    })
  ),
  {
    operation: "sendMedia",
    field: "caption",
    marker: "CAPTION-MARK",
    call: (w) =>
      w.sendMedia({
        to,
        kind: "voice",
        source: { _tag: "Base64", data: "T2dnUwACAAAAAAAAAAA=", mimeType: "audio/ogg" },
        caption: "CAPTION-MARK"
      })
  },
  {
    operation: "sendContacts",
    field: "contacts",
    marker: "SECOND-MARK",
    call: (w) =>
      w.sendContacts({
        to,
        contacts: [
          { name: "Ana", phone: ana },
          { name: "SECOND-MARK", phone: to }
        ]
      })
  },
  {
    operation: "sendLocation",
    field: "address",
    marker: "ADDRESS-MARK",
    call: (w) => w.sendLocation({ to, latitude: -23.5, longitude: -46.6, name: "MASP", address: "ADDRESS-MARK" })
  },
  {
    operation: "sendPresence",
    field: "presence",
    marker: "paused",
    call: (w) => w.sendPresence({ chat: to, presence: "paused" })
  },
  {
    operation: "getProfilePicture",
    field: "chat",
    marker: group.id,
    call: (w) => w.getProfilePicture({ chat: group })
  }
]

const noRetries: LayerOptions = { retry: { ...RetryPolicy.none, baseDelay: 0, maxDelay: 0 }, timeout: "30 seconds" }
/** Short exchanges within a longer deadline, so a read that timed out has time for another try. */
const fastRetries: LayerOptions = {
  retry: { ...RetryPolicy.defaults, baseDelay: 0, maxDelay: 0, deadline: "5 seconds" },
  timeout: "50 millis"
}

const run = <A>(
  layer: Layer.Layer<WhatsApp.WhatsApp>,
  f: (w: WhatsApp.Shape) => Effect.Effect<A, WhatsAppError.WhatsAppError>
) => Effect.runPromise(Effect.exit(WhatsApp.WhatsApp.use(f)).pipe(Effect.provide(layer)))

/** Registers the suite for one provider. */
export const suite = (target: Target): void => {
  describe(`${target.name} conforms to the WhatsApp service`, () => {
    const upstream = target.upstream
    const answerAll = RecordingHttpClient.make({ status: 599 })
    const recorder = () => (upstream === undefined ? answerAll : RecordingHttpClient.wrap(upstream))

    describe("1. every operation answers", () => {
      for (const operation of Capability.all) {
        it(operation, async () => {
          const http = recorder()
          const layer = target.layer(http.httpClient, noRetries)
          const supported = await Effect.runPromise(
            WhatsApp.WhatsApp.use((w) => Effect.succeed(w.capabilities.has(operation))).pipe(Effect.provide(layer))
          )
          const provider = await Effect.runPromise(
            WhatsApp.WhatsApp.use((w) => Effect.succeed(w.provider)).pipe(Effect.provide(layer))
          )
          const variants = [calls(target.group)[operation]].flat()
          const output: Schema.Top = Operation.operations[operation].output
          const outcomes: Array<string> = []
          for (const call of variants) {
            const exit = await run(layer, call)
            const result = outcome(
              exit,
              (value) => Schema.is(output)(value) && fits(operation, value, provider, target.group)
            )
            outcomes.push(
              result._tag === "Success" && "fits" in result && result.fits
                ? "answered"
                : result._tag === "Unsupported" &&
                    "provider" in result &&
                    result.provider === provider &&
                    result.operation === operation
                  ? "unsupported"
                  : result._tag === "InvalidRequest" && "field" in result && result.field !== undefined
                    ? "refused"
                    : JSON.stringify(result)
            )
          }
          const expected = supported ? "answered" : "unsupported"
          // Every variant answers (or, when there are several, is refused by name), and one answers.
          expect(outcomes.filter((o) => o !== expected && !(variants.length > 1 && o === "refused"))).toEqual([])
          expect(outcomes).toContain(expected)
        })
      }
    })

    describe("2. carried exactly, or refused naming the field", () => {
      for (const input of markedInputs(target.group)) {
        it(`${input.operation} ${input.field}`, async () => {
          const http = recorder()
          const layer = target.layer(http.httpClient, noRetries)
          const exit = await run(layer, input.call)
          const result = outcome(exit, () => true)
          const carried = http.requests.some((request) => request.text.includes(input.marker))
          const verdict =
            result._tag === "Success" && (carried || upstream === undefined)
              ? "carried"
              : result._tag === "InvalidRequest" &&
                  "field" in result &&
                  result.field !== undefined &&
                  http.requests.length === 0
                ? "refused"
                : result._tag === "Unsupported" && http.requests.length === 0
                  ? "unsupported"
                  : JSON.stringify({ result, carried, requests: http.requests.length })
          expect(["carried", "refused", "unsupported"]).toContain(verdict)
        })
      }
    })

    describe("3. other providers' options are ignored", () => {
      it("sendText with options for another vendor", async () => {
        const http = recorder()
        const layer = target.layer(http.httpClient, noRetries)
        const plain = await run(layer, (w) => w.sendText({ to, text: "Olá! Seu pedido saiu para entrega." }))
        const withOthers = await run(layer, (w) =>
          w.sendText({
            to,
            text: "Olá! Seu pedido saiu para entrega.",
            providerOptions: { "some-other-vendor": { delay: 9 } }
          })
        )
        expect(outcome(withOthers, () => true)).toEqual(outcome(plain, () => true))
      })
    })

    const vendor = target.vendor
    if (vendor !== undefined) {
      describe("4. secrets never show", () => {
        it("in errors, log lines and spans, when the vendor echoes the request", async () => {
          const echo = (request: RecordingHttpClient.Recorded, index: number): RecordingHttpClient.Answer => {
            const all = JSON.stringify(request)
            const answers: ReadonlyArray<RecordingHttpClient.Answer> = [
              RecordingHttpClient.json({ error: `Cannot POST ${all}`, message: all }, 400),
              RecordingHttpClient.json({ error: true, message: `token ${all} is not valid` }, 401),
              RecordingHttpClient.json({ message: `upstream ${all} failed`, detail: all }, 502),
              new Response(`<html>${all}</html>`, { status: 500 }),
              RecordingHttpClient.json({ unexpected: all }),
              "refused",
              "reset"
            ]
            return answers[index % answers.length]!
          }
          const http = RecordingHttpClient.make(echo)
          const capture = Leaks.capture()
          const errors: Array<unknown> = []
          const layer = target.layer(http.httpClient, noRetries)
          for (let attempt = 0; attempt < 7; attempt++) {
            await Effect.runPromise(
              capture.around(
                WhatsApp.WhatsApp.use((w) => w.sendText({ to, text: "Olá" })).pipe(
                  Effect.tapError((error) =>
                    Effect.andThen(
                      Effect.sync(() => errors.push(error)),
                      Effect.logError(error)
                    )
                  ),
                  Effect.ignore,
                  Effect.provide(layer)
                )
              )
            )
          }
          expect({ errors: errors.length, requests: http.requests.length }).toEqual({ errors: 7, requests: 7 })
          expect(Leaks.found([...errors.flatMap(Leaks.renderings), ...capture.texts()], vendor.secrets)).toEqual([])
        })
      })

      describe("5. a message is never sent twice", () => {
        const count = async (
          script: RecordingHttpClient.Script,
          call: (w: WhatsApp.Shape) => Effect.Effect<unknown, WhatsAppError.WhatsAppError>
        ) => {
          const http = RecordingHttpClient.make(script)
          const exit = await run(target.layer(http.httpClient, fastRetries), call)
          return {
            outcome: Exit.isSuccess(exit) ? "Success" : outcome(exit, () => true)._tag,
            requests: http.requests.length
          }
        }
        const send = (w: WhatsApp.Shape) => w.sendText({ to, text: "Olá" })
        const read = (w: WhatsApp.Shape) => w.getStatus()
        const ok = RecordingHttpClient.json(vendor.sendTextAnswer)
        const status = RecordingHttpClient.json(vendor.getStatusAnswer)

        it("a read retries a 5xx", async () => {
          expect(await count([{ status: 500, body: {} }, status], read)).toEqual({ outcome: "Success", requests: 2 })
        })
        it("a send is not repeated after a 5xx (it may have been queued)", async () => {
          expect(await count([{ status: 500, body: {} }, ok], send)).toEqual({
            outcome: "ProviderUnavailable",
            requests: 1
          })
        })
        it("a send is not repeated after a connection reset", async () => {
          expect(await count(["reset", ok], send)).toEqual({ outcome: "ProviderUnavailable", requests: 1 })
        })
        it("a send is retried when the request provably never left", async () => {
          expect(await count(["refused", ok], send)).toEqual({ outcome: "Success", requests: 2 })
        })
        it("a send that times out is not repeated (it may have arrived)", async () => {
          expect(await count(["hang", ok], send)).toEqual({ outcome: "ProviderUnavailable", requests: 1 })
        })
        it("a read that times out is retried, within its deadline", async () => {
          expect(await count(["hang", status], read)).toEqual({ outcome: "Success", requests: 2 })
        })
        it("a send is retried when the vendor asks (429 with Retry-After)", async () => {
          const limited = RecordingHttpClient.json({}, 429, { "retry-after": "0" })
          expect(await count([limited, ok], send)).toEqual({ outcome: "Success", requests: 2 })
        })
      })
    }

    const webhooks = target.webhooks
    if (webhooks !== undefined) {
      describe("6. decoding never throws", () => {
        const receivedAt = new Date("2026-01-01T00:00:00Z")
        const decode = (payload: unknown) => webhooks.decoder.decode(payload, { receivedAt })
        const wellFormed = (events: ReadonlyArray<{ readonly _tag: string; readonly raw: unknown }>) =>
          events.length > 0 && events.every((event) => event._tag !== "Unknown" || event.raw !== undefined)

        it("every documented payload is a specific event", () => {
          expect(webhooks.examples.length).toBeGreaterThan(0)
          const unknown = webhooks.examples.filter((example) =>
            decode(example).some((event) => event._tag === "Unknown")
          )
          expect(unknown).toEqual([])
        })

        it("any JSON value gives events, never a throw", () => {
          fc.assert(
            fc.property(fc.jsonValue(), (value) => wellFormed(decode(value))),
            { numRuns: 500 }
          )
        })

        it("documented payloads with fields retyped or removed give events, never a throw", () => {
          const mutate = (value: unknown, noise: ReadonlyArray<unknown>, path: number): unknown => {
            if (typeof value !== "object" || value === null) return noise[path % noise.length]
            const entries = Object.entries(value)
            if (entries.length === 0) return value
            const [key, inner] = entries[path % entries.length]!
            return Array.isArray(value)
              ? value.map((item, index) => (String(index) === key ? mutate(item, noise, Math.floor(path / 7)) : item))
              : { ...value, [key]: mutate(inner, noise, Math.floor(path / 7)) }
          }
          fc.assert(
            fc.property(
              fc.constantFrom(...webhooks.examples),
              fc.array(fc.oneof(fc.constant(undefined), fc.constant(null), fc.jsonValue()), {
                minLength: 1,
                maxLength: 4
              }),
              fc.nat(),
              (example, noise, path) => wellFormed(decode(mutate(example, noise, path)))
            ),
            { numRuns: 1000 }
          )
        })
      })
    }
  })
}
