/**
 * `pombo/promise`: the operations as async functions against the Prism mocks, the same typed
 * errors thrown, `await using` closing; the webhook handlers (web and Node) receiving a
 * documented Z-API webhook with the right secret and refusing a wrong one.
 */
import { createHmac } from "node:crypto"
import { readFileSync } from "node:fs"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { specPath } from "@pombo/openapi"
import { MockWhatsApp } from "@pombo/testing"
import { afterEach, describe, expect, inject, it, vi } from "vitest"
import { parse } from "yaml"
import { type AsyncWhatsApp, contact, createWebhookHandler, createWhatsApp, WhatsAppError } from "../src/Promise.ts"

const mockUrls = inject("mockUrls")

afterEach(() => {
  vi.unstubAllEnvs()
})

const zapi = () =>
  createWhatsApp({
    provider: "zapi",
    baseUrl: mockUrls.zapi,
    ...MockWhatsApp.credentials.zapi,
    retry: { readRetries: 0, sendRetries: 0, baseDelay: "1 millis", maxDelay: "1 millis", maxRetryAfter: "0 millis" }
  })

/** Z-API's documented "text received" webhook, from the spec the mock serves. */
const receivedText: unknown = parse(readFileSync(specPath("zapi").replace(/zapi\.yaml$/, "zapi/webhooks.yaml"), "utf8"))
  .components.examples.ReceivedTextPayload.value

describe("createWhatsApp", () => {
  it("answers each operation as a promise, against the mock", async () => {
    await using whatsapp = await zapi()
    expect(whatsapp.provider).toBe("zapi")
    const receipt = await whatsapp.sendText({ to: contact("(11) 98765-4321"), text: "Seu pedido saiu para entrega" })
    expect(receipt.provider).toBe("zapi")
    expect(receipt.message.id).not.toBe("")
    expect(await whatsapp.getStatus()).toMatchObject({ connected: expect.any(Boolean) })
  })

  it("configures the vendor from the environment when given no config", async () => {
    vi.stubEnv("WHATSAPP_PROVIDER", "megaapi")
    vi.stubEnv("MEGAAPI_BASE_URL", mockUrls.megaapi)
    vi.stubEnv("MEGAAPI_INSTANCE_KEY", MockWhatsApp.credentials.megaapi.instanceKey)
    vi.stubEnv("MEGAAPI_TOKEN", MockWhatsApp.credentials.megaapi.token)
    await using whatsapp = await createWhatsApp()
    expect(whatsapp.provider).toBe("megaapi")
    expect((await whatsapp.sendText({ to: contact("5511987654321"), text: "Olá" })).provider).toBe("megaapi")
  })

  it("rejects a missing variable with the ConfigError naming it", async () => {
    vi.stubEnv("WHATSAPP_PROVIDER", "zapi")
    vi.stubEnv("ZAPI_INSTANCE_ID", undefined)
    await expect(createWhatsApp()).rejects.toThrow(/ZAPI_INSTANCE_ID/)
  })

  it("throws the typed error, with its tag, provider and operation, and nothing is sent", async () => {
    await using whatsapp = await zapi()
    const error = await whatsapp.sendText({ to: contact("5511987654321"), text: "" }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WhatsAppError.InvalidRequest)
    expect(error).toMatchObject({ _tag: "InvalidRequest", provider: "zapi", operation: "sendText", field: "text" })
  })

  it("throws InvalidChatId for a phone that is not one", () => {
    expect(() => contact("not a phone")).toThrow(expect.objectContaining({ _tag: "InvalidChatId" }))
  })

  it("closes at the end of an `await using` block: later calls reject", async () => {
    let escaped: AsyncWhatsApp | undefined
    {
      await using whatsapp = await zapi()
      escaped = whatsapp
      await whatsapp.getStatus()
    }
    await expect(escaped.getStatus()).rejects.toThrow("getStatus was called after close()")
    await escaped.close()
  })
})

describe("createWebhookHandler", () => {
  const secret = "test-webhook-secret-0123456789"

  const receiver = () => {
    const events: Array<{ readonly _tag: string; readonly id: string }> = []
    const handler = createWebhookHandler({ provider: "zapi", secret, onEvent: (event) => void events.push(event) })
    return { events, handler }
  }

  const post = (url: string, body: unknown) =>
    new Request(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })

  it("web: a documented webhook with the secret is decoded and answered 200; a wrong secret 401", async () => {
    const { events, handler } = receiver()
    await using _ = handler
    const ok = await handler.fetch(post(`http://app.test/webhooks/zapi/${secret}`, receivedText))
    expect(ok.status).toBe(200)
    expect(events.map((event) => event._tag)).toEqual(["MessageReceived"])
    const refused = await handler.fetch(post("http://app.test/webhooks/zapi/wrong-secret", receivedText))
    expect(refused.status).toBe(401)
    expect(events).toHaveLength(1)
  })

  it("web: a handler that rejects makes the vendor redeliver (5xx), then accepts the redelivery", async () => {
    let fail = true
    await using handler = createWebhookHandler({
      provider: "zapi",
      secret,
      onEvent: async () => {
        if (fail) throw new Error("database down")
      }
    })
    const url = `http://app.test/webhooks/zapi/${secret}`
    expect((await handler.fetch(post(url, receivedText))).status).toBe(500)
    fail = false
    expect((await handler.fetch(post(url, receivedText))).status).toBe(200)
  })

  it("node: served by node:http, the same answers", async () => {
    const { events, handler } = receiver()
    await using _ = handler
    const server = createServer((request, response) => void handler.node(request, response))
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const ok = await fetch(post(`${base}/webhooks/zapi/${secret}`, receivedText))
      expect(ok.status).toBe(200)
      expect(events.map((event) => event._tag)).toEqual(["MessageReceived"])
      expect((await fetch(post(`${base}/webhooks/zapi/nope`, receivedText))).status).toBe(401)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it("throws a ConfigError naming POMBO_WEBHOOK_SECRET when no secret is given or set", () => {
    vi.stubEnv("POMBO_WEBHOOK_SECRET", undefined)
    expect(() => createWebhookHandler({ provider: "zapi", onEvent: () => undefined })).toThrow(/POMBO_WEBHOOK_SECRET/)
  })
})

describe("createWebhookHandler for Meta (signed calls)", () => {
  const appSecret = "meta-app-secret-for-tests"
  const verifyToken = "meta-verify-token-for-tests"
  /** Meta's documented "text received" notification, as Meta serialises it (its own spacing). */
  const body = JSON.stringify(
    parse(readFileSync(specPath("meta").replace(/meta\.yaml$/, "meta/webhooks.yaml"), "utf8")).components.examples
      .textPlain.value,
    null,
    1
  )
  const sign = (text: string, key = appSecret) => `sha256=${createHmac("sha256", key).update(text).digest("hex")}`
  const post = (url: string, signature: string | undefined, text = body) =>
    new Request(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(signature === undefined ? {} : { "x-hub-signature-256": signature })
      },
      body: text
    })
  const meta = () => {
    const events: Array<{ readonly _tag: string }> = []
    const handler = createWebhookHandler({
      provider: "meta",
      appSecret,
      verifyToken,
      onEvent: (event) => void events.push(event)
    })
    return { events, handler }
  }
  const url = "http://app.test/webhooks/meta"

  it("web: a valid signature is decoded and answered 200; invalid, missing or re-serialised 401, nothing handled", async () => {
    const { events, handler } = meta()
    await using _ = handler
    expect((await handler.fetch(post(url, sign(body)))).status).toBe(200)
    expect(events.map((event) => event._tag)).toEqual(["MessageReceived"])
    expect((await handler.fetch(post(url, sign(body, "another-secret")))).status).toBe(401)
    expect((await handler.fetch(post(url, undefined))).status).toBe(401)
    expect(await handler.fetch(post(url, "sha256=not-hex"))).toMatchObject({ status: 401 })
    const reserialised = JSON.stringify(JSON.parse(body))
    expect((await handler.fetch(post(url, sign(body), reserialised))).status).toBe(401)
    expect(events).toHaveLength(1)
  })

  it("web: answers Meta's GET check with hub.challenge for the verify token, 403 otherwise", async () => {
    const { handler } = meta()
    await using _ = handler
    const check = (token: string) =>
      handler.fetch(new Request(`${url}?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`))
    const ok = await check(verifyToken)
    expect(ok.status).toBe(200)
    expect(await ok.text()).toBe("1158201444")
    expect((await check("wrong-token")).status).toBe(403)
  })

  it("node: served by node:http, the same answers", async () => {
    const { events, handler } = meta()
    await using _ = handler
    const server = createServer((request, response) => void handler.node(request, response))
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/meta`
      expect((await fetch(post(base, sign(body)))).status).toBe(200)
      expect((await fetch(post(base, sign(body, "another-secret")))).status).toBe(401)
      expect((await fetch(post(base, undefined))).status).toBe(401)
      expect(events.map((event) => event._tag)).toEqual(["MessageReceived"])
      const ok = await fetch(`${base}?hub.mode=subscribe&hub.verify_token=${verifyToken}&hub.challenge=42`)
      expect({ status: ok.status, text: await ok.text() }).toEqual({ status: 200, text: "42" })
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it("reads META_APP_SECRET and META_VERIFY_TOKEN; without a verify token the GET check is refused", async () => {
    vi.stubEnv("WHATSAPP_PROVIDER", "meta")
    vi.stubEnv("META_APP_SECRET", appSecret)
    vi.stubEnv("META_VERIFY_TOKEN", undefined)
    vi.stubEnv("POMBO_WEBHOOK_SECRET", undefined)
    const events: Array<unknown> = []
    await using handler = createWebhookHandler({ onEvent: (event) => void events.push(event) })
    expect((await handler.fetch(post(url, sign(body)))).status).toBe(200)
    expect(events).toHaveLength(1)
    const check = await handler.fetch(new Request(`${url}?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1`))
    expect(check.status).toBe(403)
  })

  it("throws a ConfigError naming META_APP_SECRET when no app secret is given or set", () => {
    vi.stubEnv("META_APP_SECRET", undefined)
    expect(() => createWebhookHandler({ provider: "meta", onEvent: () => undefined })).toThrow(/META_APP_SECRET/)
  })
})
