/**
 * Contract suite, part 3: error paths through the Prism mocks, with the real providers. Missing
 * or wrong credentials, requests that violate the spec, every documented error status (selected
 * with Prism's `Prefer: code=…`) and server failures each surface as the mapped Pombo error.
 */

import type { AddressInfo } from "node:net"
import { createServer } from "node:net"
import { ChatId, type WhatsApp } from "@pombo/core"
import { MegaApiClient, MegaApiWhatsApp } from "@pombo/megaapi"
import { ZApiClient, ZApiWhatsApp } from "@pombo/zapi"
import { Effect, Layer, Redacted } from "effect"
import { FetchHttpClient, HttpClient, HttpClientRequest } from "effect/http"
import { describe, expect, inject, it } from "vitest"
import { MockWhatsApp } from "../src/index.ts"

const urls = inject("mockUrls")
const to = new ChatId.Contact({ phone: "5511987654321" })
const none = {
  readRetries: 0,
  sendRetries: 0,
  baseDelay: "1 millis",
  maxDelay: "1 millis",
  maxRetryAfter: "0 millis"
} as const

/**
 * A fetch client that adds `headers` to every request (e.g. Prism's `Prefer`) and, when given,
 * replaces the JSON body — a stand-in for a request that drifted from the spec, since the
 * providers themselves refuse to send a body their spec rejects.
 */
const httpWith = (headers: Record<string, string>, body?: unknown) =>
  Layer.effect(
    HttpClient.HttpClient,
    Effect.map(HttpClient.HttpClient.use(Effect.succeed), (client) =>
      HttpClient.mapRequest(client, (request) => {
        const withHeaders = HttpClientRequest.setHeaders(request, headers)
        return body === undefined ? withHeaders : HttpClientRequest.bodyJsonUnsafe(withHeaders, body)
      })
    )
  ).pipe(Layer.provide(FetchHttpClient.layer))

const megaapi = (
  options: { token?: string; headers?: Record<string, string>; baseUrl?: string; body?: unknown } = {}
) =>
  Layer.provideMerge(
    MegaApiWhatsApp.layer,
    MegaApiClient.layer({
      baseUrl: options.baseUrl ?? urls.megaapi,
      instanceKey: "contract-instance",
      token: Redacted.make(options.token ?? "contract-token"),
      retry: none
    })
  ).pipe(Layer.provide(httpWith(options.headers ?? {}, options.body))) as Layer.Layer<WhatsApp.WhatsApp>

const zapi = (
  options: { clientToken?: string | null; headers?: Record<string, string>; baseUrl?: string; body?: unknown } = {}
) =>
  Layer.provideMerge(
    ZApiWhatsApp.layer,
    ZApiClient.layer({
      baseUrl: options.baseUrl ?? urls.zapi,
      instanceId: "CONTRACT-INSTANCE",
      token: Redacted.make("CONTRACT-TOKEN"),
      clientToken: options.clientToken === null ? undefined : Redacted.make(options.clientToken ?? "contract-client"),
      retry: none
    })
  ).pipe(Layer.provide(httpWith(options.headers ?? {}, options.body))) as Layer.Layer<WhatsApp.WhatsApp>

/** The error `sendText` fails with over `layer`. */
const sendTextError = (layer: Layer.Layer<WhatsApp.WhatsApp>, text = "Olá") =>
  Effect.runPromise(
    Effect.flip(MockWhatsApp.whatsapp.pipe(Effect.flatMap((w) => w.sendText({ to, text })))).pipe(Effect.provide(layer))
  )

describe("credentials", () => {
  it("megaapi: a request without a valid token is Unauthorized", async () => {
    const error = await sendTextError(megaapi({ headers: { authorization: "" } }))
    expect(error).toMatchObject({ _tag: "Unauthorized", provider: "megaapi", operation: "sendText" })
  })

  it("zapi: a request without the Client-Token is Unauthorized", async () => {
    const error = await sendTextError(zapi({ clientToken: null }))
    expect(error).toMatchObject({ _tag: "Unauthorized", provider: "zapi", operation: "sendText" })
  })
})

describe("requests that violate the spec", () => {
  it("megaapi: Prism's violation detail is kept in InvalidRequest", async () => {
    const error: any = await sendTextError(megaapi({ body: { messageData: { to: "not-a-jid", text: "Olá" } } }))
    expect(error._tag).toBe("InvalidRequest")
    expect(error.detail).toContain("messageData.to")
  })

  it("zapi: Prism's violation detail is kept in InvalidRequest", async () => {
    const error: any = await sendTextError(zapi({ body: { phone: "5511987654321" } }))
    expect(error._tag).toBe("InvalidRequest")
    expect(error.detail.length).toBeGreaterThan(0)
  })

  it.each([
    ["megaapi", () => megaapi({ headers: { "content-type": "text/plain" } })],
    ["zapi", () => zapi({ headers: { "content-type": "text/plain" } })]
  ] as const)("%s: a wrong content type is InvalidRequest", async (_provider, layer) => {
    expect((await sendTextError(layer()))._tag).toBe("InvalidRequest")
  })
})

describe("documented error statuses", () => {
  it.each([
    ["401", "NotConnected", { prefer: "code=401, example=notConnected" }],
    ["403", "RecipientNotFound", { prefer: "code=403" }],
    ["500", "ProviderUnavailable", { prefer: "code=500" }]
  ] as const)("megaapi %s → %s", async (_status, tag, headers) => {
    const error = await sendTextError(megaapi({ headers }))
    expect(error).toMatchObject({ _tag: tag, provider: "megaapi", operation: "sendText" })
  })

  it.each([
    ["400", "InvalidRequest", { prefer: "code=400" }],
    ["401", "Unauthorized", { prefer: "code=401" }],
    ["405", "InvalidRequest", { prefer: "code=405" }],
    ["415", "InvalidRequest", { prefer: "code=415" }]
  ] as const)("zapi %s → %s", async (_status, tag, headers) => {
    const error = await sendTextError(zapi({ headers }))
    expect(error).toMatchObject({ _tag: tag, provider: "zapi", operation: "sendText" })
  })
})

/** A local port nothing listens on. */
const closedPort = async () => {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return `http://127.0.0.1:${port}`
}

describe("the vendor unreachable", () => {
  it.each([
    ["megaapi", (baseUrl: string) => megaapi({ baseUrl })],
    ["zapi", (baseUrl: string) => zapi({ baseUrl })]
  ] as const)("%s: a refused connection is ProviderUnavailable, provably not sent", async (provider, layer) => {
    const error = await sendTextError(layer(await closedPort()))
    expect(error).toMatchObject({ _tag: "ProviderUnavailable", provider, notSent: true })
  })
})
