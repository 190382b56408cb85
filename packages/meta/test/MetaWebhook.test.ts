import { createHmac } from "node:crypto"
import { createServer } from "node:http"
import { gzipSync } from "node:zlib"
import { NodeHttpServer } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import type { WhatsAppEvent } from "@pombo/core"
import * as WebhookReceiver from "@pombo/core/WebhookReceiver"
import { ZApiWebhook } from "@pombo/zapi"
import { Effect, Layer, Queue, Redacted } from "effect"
import { HttpRouter, HttpServer } from "effect/http"
import { MetaWebhook } from "../src/index.ts"

const appSecret = "meta-app-secret-ção"
const verifyToken = "meu-token-de-verificação"
const zapiSecret = "zapi-path-secret"

const sign = (bytes: Uint8Array | string, key = appSecret) =>
  `sha256=${createHmac("sha256", key).update(bytes).digest("hex")}`

/** A batch: two entries, one with a message and two statuses, one with a message from a username user. */
const batch = {
  object: "whatsapp_business_account",
  entry: [
    {
      id: "102290129340398",
      changes: [
        {
          field: "messages",
          value: {
            messaging_product: "whatsapp",
            metadata: { display_phone_number: "15550783881", phone_number_id: "106540352242922" },
            contacts: [{ profile: { name: "João Conceição" }, wa_id: "5511987654321", user_id: "BR.1234567890" }],
            messages: [
              {
                from: "5511987654321",
                id: "wamid.A",
                timestamp: "1750000000",
                type: "text",
                text: { body: "Olá! Não recebi o pedido — está a caminho? Ação, coração, açúcar." }
              }
            ],
            statuses: [
              { id: "wamid.S", status: "delivered", timestamp: "1750000001", recipient_id: "5511987654321" },
              { id: "wamid.S", status: "read", timestamp: "1750000002", recipient_id: "5511987654321" }
            ]
          }
        }
      ]
    },
    {
      id: "102290129340398",
      changes: [
        {
          field: "messages",
          value: {
            messaging_product: "whatsapp",
            metadata: { display_phone_number: "15550783881", phone_number_id: "106540352242922" },
            contacts: [{ profile: { name: "Ana" }, user_id: "BR.99887766" }],
            messages: [
              {
                from_user_id: "BR.99887766",
                id: "wamid.B",
                timestamp: "1750000003",
                type: "text",
                text: { body: "Oi" }
              }
            ]
          }
        }
      ]
    }
  ]
}

describe("MetaWebhook.decode", () => {
  it("gives one event per message and per status, each with its own id", () => {
    const events = MetaWebhook.decode(batch)
    expect(events.map((event) => event.id)).toEqual([
      "meta:message:wamid.A",
      "meta:status:wamid.S:delivered",
      "meta:status:wamid.S:read",
      "meta:message:wamid.B"
    ])
  })

  it("keeps the phone and the BSUID of a sender, and addresses a username user by BSUID", () => {
    const [first, , , second] = MetaWebhook.decode(batch) as ReadonlyArray<WhatsAppEvent.MessageReceived>
    expect(first!.sender).toMatchObject({
      phone: { phone: "5511987654321" },
      bsuid: "BR.1234567890",
      name: "João Conceição"
    })
    expect(first!.chat).toMatchObject({ _tag: "Contact", phone: "5511987654321" })
    expect(second!.sender.phone).toBeUndefined()
    expect(second!.chat).toMatchObject({ _tag: "BusinessScopedUser", id: "BR.99887766" })
  })
})

/** Serves a receiver with Meta (signed) and Z-API (secret path) on a local port. */
const receiver = Effect.gen(function* () {
  const events = yield* Queue.unbounded<WhatsAppEvent.WhatsAppEvent>()
  const app = WebhookReceiver.layer({
    decoders: [MetaWebhook.decoder, ZApiWebhook.decoder],
    secret: Redacted.make(zapiSecret),
    signatures: {
      meta: MetaWebhook.signature({ appSecret: Redacted.make(appSecret), verifyToken: Redacted.make(verifyToken) })
    },
    onEvent: (event) => Queue.offer(events, event),
    accessLog: false
  })
  const context = yield* Layer.build(
    HttpRouter.serve(app, { disableListenLog: true }).pipe(
      Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" }))
    )
  )
  const base = yield* HttpServer.addressFormattedWith(Effect.succeed).pipe(Effect.provideContext(context))
  return { base, events }
})

const post = (url: string, body: Uint8Array | string, headers: Record<string, string>) =>
  Effect.promise(async () => {
    const response = await fetch(url, {
      method: "POST",
      body: typeof body === "string" ? body : Buffer.from(body),
      headers: { "content-type": "application/json", ...headers }
    })
    return response.status
  })

describe("signed webhooks in the receiver", () => {
  // Meta's own serialisation: unescaped UTF-8 and its own spacing, exactly as signed.
  const raw = JSON.stringify(batch, null, 1)

  it.effect("accepts a valid signature over the raw bytes, Portuguese accents included", () =>
    Effect.gen(function* () {
      const { base, events } = yield* receiver
      expect(yield* post(`${base}/webhooks/meta`, raw, { "x-hub-signature-256": sign(raw) })).toBe(200)
      const received = yield* Queue.takeAll(events)
      expect([...received].map((event) => event.id)).toContain("meta:message:wamid.A")
    }).pipe(Effect.scoped)
  )

  it.effect("refuses an invalid, a missing and a wrong-key signature, handling nothing", () =>
    Effect.gen(function* () {
      const { base, events } = yield* receiver
      const url = `${base}/webhooks/meta`
      expect(yield* post(url, raw, {})).toBe(401)
      expect(yield* post(url, raw, { "x-hub-signature-256": sign(raw, "another-secret") })).toBe(401)
      expect(yield* post(url, raw, { "x-hub-signature-256": "sha256=00" })).toBe(401)
      expect(yield* post(url, raw, { "x-hub-signature-256": sign(raw).replace("sha256=", "sha1=") })).toBe(401)
      expect((yield* Queue.clear(events)).length).toBe(0)
    }).pipe(Effect.scoped)
  )

  it.effect("refuses the same payload re-serialised (the signature covers the bytes, not the JSON value)", () =>
    Effect.gen(function* () {
      const { base, events } = yield* receiver
      const reserialised = JSON.stringify(JSON.parse(raw))
      expect(reserialised).not.toBe(raw)
      expect(yield* post(`${base}/webhooks/meta`, reserialised, { "x-hub-signature-256": sign(raw) })).toBe(401)
      // ASCII-escaped accents are the same JSON value and different bytes.
      const escaped = raw.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
      expect(yield* post(`${base}/webhooks/meta`, escaped, { "x-hub-signature-256": sign(raw) })).toBe(401)
      expect((yield* Queue.clear(events)).length).toBe(0)
    }).pipe(Effect.scoped)
  )

  it.effect("checks a gzipped call against the bytes Meta signed (the decompressed payload)", () =>
    Effect.gen(function* () {
      const { base } = yield* receiver
      const headers = { "x-hub-signature-256": sign(raw), "content-encoding": "gzip" }
      expect(yield* post(`${base}/webhooks/meta`, gzipSync(raw), headers)).toBe(200)
    }).pipe(Effect.scoped)
  )

  it.effect("answers the GET handshake with the challenge only for the right verify token", () =>
    Effect.gen(function* () {
      const { base } = yield* receiver
      const handshake = (token: string, mode = "subscribe") =>
        Effect.promise(async () => {
          const query = new URLSearchParams({
            "hub.mode": mode,
            "hub.verify_token": token,
            "hub.challenge": "1158201444"
          })
          const response = await fetch(`${base}/webhooks/meta?${query}`)
          return { status: response.status, text: await response.text() }
        })
      expect(yield* handshake(verifyToken)).toEqual({ status: 200, text: "1158201444" })
      expect((yield* handshake("wrong")).status).toBe(403)
      expect((yield* handshake(verifyToken, "unsubscribe")).status).toBe(403)
    }).pipe(Effect.scoped)
  )

  it.effect("keeps the shared-secret check for the other vendors", () =>
    Effect.gen(function* () {
      const { base } = yield* receiver
      const body = JSON.stringify({
        type: "ReceivedCallback",
        phone: "5511987654321",
        messageId: "X1",
        text: { message: "oi" }
      })
      expect(yield* post(`${base}/webhooks/zapi/wrong-secret`, body, {})).toBe(401)
      expect(yield* post(`${base}/webhooks/zapi/${zapiSecret}`, body, {})).toBe(200)
    }).pipe(Effect.scoped)
  )
})
