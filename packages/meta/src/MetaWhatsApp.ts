/**
 * The `WhatsApp` service over Meta's official Cloud API: every abstract operation Meta's spec
 * backs (the generated `capabilities`, plus `sendTemplate`), each mapped onto the generated client.
 * Meta has no QR code, pairing, chat list, contacts, groups, polls, forwarding or deletion in the
 * Cloud API Pombo describes: those answer `Unsupported`.
 *
 * Addressing: a contact is its phone (`to`), a `BusinessScopedUser` its BSUID (`recipient`); a
 * group or broadcast list is refused. Media given as base64 is uploaded first (`uploadMedia`) and
 * sent by id; media by URL is sent as `link`. What Meta cannot carry is refused, not dropped: a
 * link preview's title, description and image (Meta builds the card itself), a caption on audio,
 * voice notes and stickers, a presence other than "typing", or typing without the received
 * message it answers.
 *
 * Retries follow `RetryPolicy` (set on `MetaClient`): reads are retried on transient failures,
 * sends only when the request never left or Meta asked for it, so a message is never sent twice.
 */
import {
  type ChatId,
  Instance,
  type Operation,
  type OperationInput,
  ProviderCall,
  SendReceipt,
  WebhookInfo,
  WhatsApp,
  type WhatsAppError,
  WhatsAppId
} from "@pombo/core"
import { type Config, Effect, Layer, Redacted } from "effect"
import type { HttpClient } from "effect/http"
import * as Generated from "./generated/Meta.ts"
import { type Recipient, recipientOf } from "./internal/wire.ts"
import * as MetaClient from "./MetaClient.ts"
import * as MetaError from "./MetaError.ts"

const { provider } = MetaError

type Success<Id extends keyof Generated.MetaClient> = Effect.Success<ReturnType<Generated.MetaClient[Id]>>

const base = { messaging_product: "whatsapp" } as const

/** Builds the `WhatsApp` service over the `MetaClient` in context. */
export const make = Effect.gen(function* () {
  const { client, options } = yield* MetaClient.MetaClient
  const call = ProviderCall.make({
    client,
    operations: Generated.operations,
    fromStatus: MetaError.fromStatus,
    retry: options.retry,
    timeout: options.timeout
  })

  /** Sends one message body and reads Meta's answer into a receipt. */
  const send = (op: Operation.Context, chat: ChatId.ChatId, payload: Generated.SendMessageRequest) =>
    Effect.flatMap(call(op, "sendMessage", { payload }), (answer: Success<"sendMessage">) => {
      const messages = (answer as { readonly messages?: unknown }).messages
      const first: unknown = Array.isArray(messages) ? messages[0] : undefined
      const id = typeof first === "object" && first !== null ? (first as { readonly id?: unknown }).id : undefined
      if (typeof id !== "string" || id === "") {
        return Effect.fail(op.unexpected("Meta accepted the message but answered no id"))
      }
      return SendReceipt.accepted({ provider, chat, id, providerId: id })
    })

  const addressed = (op: Operation.Context, chat: ChatId.ChatId, field = "to") =>
    Effect.map(recipientOf(op, chat, field), (recipient: Recipient) => ({ ...base, ...recipient }))

  /** The media object of a send: by `link`, or uploaded first and sent by `id`. */
  const mediaRef = Effect.fnUntraced(function* (op: Operation.Context, source: OperationInput.MediaSource) {
    if (source._tag === "Url") return { link: source.url }
    // The input was validated as standard base64 by `WhatsApp.make`.
    const bytes = Uint8Array.from(atob(source.data), (char) => char.charCodeAt(0))
    const file = new Blob([bytes], { type: source.mimeType })
    const uploaded = yield* call(op, "uploadMedia", {
      payload: { messaging_product: "whatsapp", type: source.mimeType, file }
    })
    return { id: uploaded.id }
  })

  const templateParameter = (
    op: Operation.Context,
    parameter: OperationInput.TemplateParameter,
    field: string
  ): Effect.Effect<Generated.TemplateParameter, WhatsAppError.InvalidRequest> => {
    switch (parameter._tag) {
      case "Text":
        return Effect.succeed({ type: "text", text: parameter.text })
      case "Currency":
        return Effect.succeed({
          type: "currency",
          currency: { fallback_value: parameter.fallback, code: parameter.code, amount_1000: parameter.amount1000 }
        })
      case "DateTime":
        return Effect.succeed({ type: "date_time", date_time: { fallback_value: parameter.fallback } })
      case "Media": {
        const media = { link: parameter.url }
        if (parameter.kind === "image") return Effect.succeed({ type: "image", image: media })
        if (parameter.kind === "video") return Effect.succeed({ type: "video", video: media })
        if (parameter.fileName !== undefined) {
          return Effect.fail(op.refuse(`${field}.fileName`, "Meta's template document parameter has no file name"))
        }
        return Effect.succeed({ type: "document", document: media })
      }
      case "Payload":
        return Effect.fail(op.refuse(field, "a payload is a button's value, not a header or body variable"))
    }
  }

  const buttonParameter = (
    op: Operation.Context,
    parameter: OperationInput.TemplateParameter,
    field: string
  ): Effect.Effect<Generated.TemplateButtonParameter, WhatsAppError.InvalidRequest> => {
    switch (parameter._tag) {
      case "Payload":
        return Effect.succeed({ type: "payload", payload: parameter.payload })
      case "Text":
        return Effect.succeed({ type: "text", text: parameter.text })
      default:
        return Effect.fail(op.refuse(field, "a template button takes a Payload (quick reply) or Text (URL suffix)"))
    }
  }

  const templateComponents = Effect.fnUntraced(function* (
    op: Operation.Context,
    components: ReadonlyArray<OperationInput.TemplateComponent>
  ) {
    const out: Array<Generated.TemplateComponent> = []
    for (const [i, component] of components.entries()) {
      const at = `components.${i}.parameters`
      if (component.type === "button") {
        const parameters = yield* Effect.forEach(component.parameters, (p, j) => buttonParameter(op, p, `${at}.${j}`))
        out.push({ type: "button", sub_type: component.subType, index: String(component.index), parameters })
      } else {
        const parameters = yield* Effect.forEach(component.parameters, (p, j) => templateParameter(op, p, `${at}.${j}`))
        out.push(component.type === "header" ? { type: "header", parameters } : { type: "body", parameters })
      }
    }
    return out
  })

  /** The account id `getWebhook` / `setWebhook` need, or the refusal naming the option. */
  const wabaId = (op: Operation.Context): Effect.Effect<string, WhatsAppError.InvalidRequest> =>
    options.wabaId === undefined
      ? Effect.fail(op.refuse("wabaId", "configure the WhatsApp Business Account id (META_WABA_ID) for webhooks"))
      : Effect.succeed(options.wabaId)

  const operations: WhatsApp.Implementations = {
    getStatus: (_, op) =>
      Effect.map(call(op, "getPhoneNumberById"), (info) => {
        const phone = WhatsAppId.contact(info.display_phone_number?.replace(/\D/g, ""))
        // The number answers only while the token is valid and the number is registered to the app.
        return new Instance.InstanceStatus({ connected: true, phone, name: info.verified_name })
      }),

    sendText: (input, op) => {
      if (input.mentions !== undefined && input.mentions.length > 0) {
        return Effect.fail(op.refuse("mentions", "Meta's Cloud API has no mentions (it has no group chats)"))
      }
      return Effect.flatMap(addressed(op, input.to), (to) =>
        send(op, input.to, { ...to, type: "text", text: { body: input.text } })
      )
    },

    sendMedia: Effect.fnUntraced(function* (input, op) {
      const to = yield* addressed(op, input.to)
      if (
        input.caption !== undefined &&
        (input.kind === "audio" || input.kind === "voice" || input.kind === "sticker")
      ) {
        return yield* op.refuse("caption", `Meta cannot send a caption with ${input.kind} messages`)
      }
      if (input.kind === "voice") {
        return yield* op.refuse("kind", "Pombo's Meta spec has no voice-note flag; send the audio as kind audio")
      }
      if (input.fileName !== undefined && input.kind !== "document") {
        return yield* op.refuse("fileName", "Meta carries a file name on documents only")
      }
      const media = yield* mediaRef(op, input.source)
      const caption = input.caption === undefined ? {} : { caption: input.caption }
      switch (input.kind) {
        case "image":
          return yield* send(op, input.to, { ...to, type: "image", image: { ...media, ...caption } })
        case "video":
          return yield* send(op, input.to, { ...to, type: "video", video: { ...media, ...caption } })
        case "audio":
          return yield* send(op, input.to, { ...to, type: "audio", audio: media })
        case "sticker":
          return yield* send(op, input.to, { ...to, type: "sticker", sticker: media })
        case "document": {
          const filename = input.fileName === undefined ? {} : { filename: input.fileName }
          return yield* send(op, input.to, { ...to, type: "document", document: { ...media, ...caption, ...filename } })
        }
      }
    }),

    sendLocation: Effect.fnUntraced(function* (input, op) {
      const to = yield* addressed(op, input.to)
      const location = {
        latitude: input.latitude,
        longitude: input.longitude,
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.address === undefined ? {} : { address: input.address })
      }
      return yield* send(op, input.to, { ...to, type: "location", location })
    }),

    sendContacts: Effect.fnUntraced(function* (input, op) {
      const to = yield* addressed(op, input.to)
      if (input.contacts.length > 5) return yield* op.refuse("contacts", "Meta sends at most 5 contact cards at once")
      const contacts = input.contacts.map((card) => ({
        name: { formatted_name: card.name, first_name: card.name },
        phones: [{ phone: `+${card.phone.phone}`, wa_id: card.phone.phone }],
        ...(card.organization === undefined ? {} : { org: { company: card.organization } })
      }))
      return yield* send(op, input.to, { ...to, type: "contacts", contacts })
    }),

    sendLinkPreview: Effect.fnUntraced(function* (input, op) {
      const to = yield* addressed(op, input.to)
      for (const field of ["title", "description", "imageUrl"] as const) {
        if (input[field] !== undefined) {
          return yield* op.refuse(field, "Meta builds the preview card from the page itself; it takes no card fields")
        }
      }
      const text = input.text.includes(input.url) ? input.text : `${input.text}\n${input.url}`
      return yield* send(op, input.to, { ...to, type: "text", text: { body: text, preview_url: true } })
    }),

    sendList: Effect.fnUntraced(function* (input, op) {
      const to = yield* addressed(op, input.to)
      const interactive: Generated.InteractiveList = {
        type: "list",
        ...(input.title === undefined ? {} : { header: { type: "text", text: input.title } }),
        body: { text: input.text },
        ...(input.footer === undefined ? {} : { footer: { text: input.footer } }),
        action: {
          button: input.buttonText,
          sections: input.sections.map((section) => ({
            title: section.title,
            rows: section.rows.map((row) => ({
              id: row.id,
              title: row.title,
              ...(row.description === undefined ? {} : { description: row.description })
            }))
          }))
        }
      }
      return yield* send(op, input.to, { ...to, type: "interactive", interactive })
    }),

    sendButtons: Effect.fnUntraced(function* (input, op) {
      const to = yield* addressed(op, input.to)
      const interactive: Generated.InteractiveButtons = {
        type: "button",
        body: { text: input.text },
        ...(input.footer === undefined ? {} : { footer: { text: input.footer } }),
        action: {
          buttons: input.buttons.map((button) => ({ type: "reply", reply: { id: button.id, title: button.label } }))
        }
      }
      return yield* send(op, input.to, { ...to, type: "interactive", interactive })
    }),

    sendReaction: Effect.fnUntraced(function* (input, op) {
      const to = yield* addressed(op, input.message.chat, "message.chat")
      return yield* send(op, input.message.chat, {
        ...to,
        type: "reaction",
        reaction: { message_id: input.message.id, emoji: input.emoji }
      })
    }),

    reply: Effect.fnUntraced(function* (input, op) {
      const to = yield* addressed(op, input.message.chat, "message.chat")
      return yield* send(op, input.message.chat, {
        ...to,
        context: { message_id: input.message.id },
        type: "text",
        text: { body: input.text }
      })
    }),

    sendTemplate: Effect.fnUntraced(function* (input, op) {
      const to = yield* addressed(op, input.to)
      const components = input.components === undefined ? [] : yield* templateComponents(op, input.components)
      return yield* send(op, input.to, {
        ...to,
        type: "template",
        template: {
          name: input.name,
          language: { code: input.language },
          ...(components.length === 0 ? {} : { components })
        }
      })
    }),

    markRead: Effect.fnUntraced(function* (input, op) {
      yield* recipientOf(op, input.message.chat, "message.chat")
      yield* call(op, "sendMessage", { payload: { ...base, status: "read", message_id: input.message.id } })
    }),

    sendPresence: Effect.fnUntraced(function* (input, op) {
      yield* recipientOf(op, input.chat, "chat")
      if (input.presence !== "composing") {
        return yield* op.refuse("presence", 'Meta shows only "typing" (composing), as an answer to a received message')
      }
      if (input.message === undefined) {
        return yield* op.refuse("message", "Meta's typing indicator answers a received message: give its reference")
      }
      yield* call(op, "sendMessage", {
        payload: { ...base, status: "read", message_id: input.message.id, typing_indicator: { type: "text" } }
      })
    }),

    setProfileStatus: (input, op) =>
      Effect.asVoid(
        call(op, "updateWhatsAppBusinessProfileInformation", {
          payload: { messaging_product: "whatsapp", about: input.status }
        })
      ),

    getWebhook: Effect.fnUntraced(function* (_, op) {
      const id = yield* wabaId(op)
      const page = yield* call(op, "getAllSubscriptionsForAWaba", { params: { "WABA-ID": id } })
      const url = page.data.find((app) => app.override_callback_uri !== undefined)?.override_callback_uri
      return new WebhookInfo.WebhookInfo(url === undefined ? {} : { url })
    }),

    setWebhook: Effect.fnUntraced(function* (input, op) {
      const id = yield* wabaId(op)
      if (options.verifyToken === undefined) {
        return yield* op.refuse("verifyToken", "Meta verifies a new callback URL with META_VERIFY_TOKEN: configure it")
      }
      const verify_token = Redacted.value(options.verifyToken)
      yield* call(op, "subscribeToWabaWebhooks", {
        params: { "WABA-ID": id },
        payload: { override_callback_uri: input.url, verify_token }
      })
    })
  }

  return WhatsApp.make({ provider, operations, addressable: ["Contact", "BusinessScopedUser"] })
})

/** `WhatsApp` over the `MetaClient` you provide. */
export const layer: Layer.Layer<WhatsApp.WhatsApp, never, MetaClient.MetaClient> = Layer.effect(WhatsApp.WhatsApp, make)

/** `WhatsApp` and its `MetaClient`, configured from the environment (see `MetaClient.config`). */
export const layerConfig: Layer.Layer<
  WhatsApp.WhatsApp | MetaClient.MetaClient,
  Config.ConfigError,
  HttpClient.HttpClient
> = Layer.provideMerge(layer, MetaClient.layerConfig)
