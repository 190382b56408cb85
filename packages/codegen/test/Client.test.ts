/**
 * The generated client, specified through the fixture spec (`fixtures/fixture.yaml` →
 * `generated/Fixture.ts`) and a fake HttpClient that records every request it receives.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import * as HttpClientRuntime from "@pombo/core/HttpClientRuntime"
import { Cause, Effect, Inspectable, Redacted, Tracer } from "effect"
import { HttpClient, HttpClientError, type HttpClientRequest, HttpClientResponse } from "effect/http"
import * as Fixture from "./generated/Fixture.ts"

interface Recorded {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | undefined
}

type Reply =
  | Response
  | ((request: HttpClientRequest.HttpClientRequest) => Effect.Effect<never, HttpClientError.HttpClientError>)

const token = "tok/en?#SECRET-123"
const clientToken = "CLIENT-SECRET-456"
const partnerToken = "PARTNER-SECRET-789"

/** A client whose every request is recorded and answered with `reply`. */
const fake = (reply: Reply, options: Partial<Fixture.FixtureClientOptions> = {}) => {
  const recorded: Array<Recorded> = []
  const httpClient = HttpClient.make((request, url) => {
    const body = request.body._tag === "Uint8Array" ? new TextDecoder().decode(request.body.body) : undefined
    recorded.push({ method: request.method, url: url.toString(), headers: request.headers, body })
    return typeof reply === "function"
      ? reply(request)
      : Effect.succeed(HttpClientResponse.fromWeb(request, reply.clone()))
  })
  const client = Fixture.make(httpClient, {
    baseUrl: "https://api.example.test/v1",
    instanceId: "inst 1",
    token: Redacted.make(token),
    clientToken: Redacted.make(clientToken),
    partnerBearer: Redacted.make(partnerToken),
    ...options
  })
  return { client, recorded }
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } })

const result = { zaapId: "Z1", messageId: "M1", id: "M1" }

describe("generated client: requests", () => {
  it.effect("sends the method, the URL with encoded bound path parameters, the api-key header and the JSON body", () =>
    Effect.gen(function* () {
      const { client, recorded } = fake(json(result))
      const payload = { phone: "5511999999999", message: "Olá", mentions: ["5511888888888"] }
      const sent = yield* client.sendText({ payload })
      expect(sent).toEqual(result)
      expect(recorded).toHaveLength(1)
      const request = recorded[0]!
      expect(request.method).toBe("POST")
      expect(request.url).toBe(
        `https://api.example.test/v1/instances/inst%201/token/${encodeURIComponent(token)}/send-text`
      )
      expect(request.headers["client-token"]).toBe(clientToken)
      expect(request.headers.authorization).toBeUndefined()
      expect(request.headers["content-type"]).toBe("application/json")
      expect(request.headers.accept).toBe("application/json")
      expect(JSON.parse(request.body!)).toEqual(payload)
    })
  )

  it.effect("encodes path parameters and sets only the query parameters given", () =>
    Effect.gen(function* () {
      const { client, recorded } = fake(json({ groupId: "1203-group", participants: ["55"] }))
      const chat = yield* client.getChat({ params: { phone: "a b/c?d", page: 2, sort: "desc" } })
      expect(chat).toEqual({ groupId: "1203-group", participants: ["55"] })
      const url = new URL(recorded[0]!.url)
      expect(url.pathname).toBe(`/v1/instances/inst%201/token/${encodeURIComponent(token)}/chats/a%20b%2Fc%3Fd`)
      expect([...url.searchParams]).toEqual([
        ["page", "2"],
        ["sort", "desc"]
      ])
      expect(recorded[0]!.method).toBe("GET")
      expect(recorded[0]!.body).toBeUndefined()
    })
  )

  it.effect(
    "applies the operation's own security requirement: bearer for the partner API, nothing for a public one",
    () =>
      Effect.gen(function* () {
        const { client, recorded } = fake(json({ id: "I1", token: "T1" }, 201))
        const created = yield* client.createInstance({ payload: { name: "mine" } })
        expect(created).toEqual({ id: "I1", token: "T1" })
        expect(recorded[0]!.headers.authorization).toBe(`Bearer ${partnerToken}`)
        expect(recorded[0]!.headers["client-token"]).toBeUndefined()
        expect(recorded[0]!.url).toBe("https://api.example.test/v1/partner/instances")

        const ping = fake(json({ ok: true }))
        expect(yield* ping.client.ping()).toEqual({ ok: true })
        expect(ping.recorded[0]!.headers["client-token"]).toBeUndefined()
        expect(ping.recorded[0]!.headers.authorization).toBeUndefined()
      })
  )

  it.effect("does not send a credential that is not configured", () =>
    Effect.gen(function* () {
      const { client, recorded } = fake(json({ id: "I1", token: "T1" }, 201), {
        clientToken: undefined,
        partnerBearer: undefined
      })
      yield* client.createInstance({ payload: { name: "mine" } })
      yield* client.sendText({ payload: { phone: "55", message: "hi" } }).pipe(Effect.ignore)
      expect(recorded.map((request) => request.headers.authorization)).toEqual([undefined, undefined])
      expect(recorded.map((request) => request.headers["client-token"])).toEqual([undefined, undefined])
    })
  )

  it.effect("validates the input against the spec before sending, naming the fields but not their values", () =>
    Effect.gen(function* () {
      const { client, recorded } = fake(json(result))
      const error = yield* Effect.flip(client.sendText({ payload: { phone: "not-digits", message: "" } }))
      assert(error._tag === "ClientTransportError")
      expect(error.notSent).toBe(true)
      expect(error.reason).toContain("phone")
      expect(error.reason).toContain("message")
      expect(error.reason).not.toContain("not-digits")
      const params = yield* Effect.flip(client.getChat({ params: { phone: "55", page: 0 } }))
      assert(params._tag === "ClientTransportError")
      expect(params.reason).toContain("page")
      expect(recorded).toHaveLength(0)
    })
  )
})

describe("generated client: responses", () => {
  it.effect("decodes a oneOf response into the one branch it matches; closed branches reject unknown keys", () =>
    Effect.gen(function* () {
      const { client } = fake(json({ phone: "5511", name: "Ana" }))
      expect(yield* client.getChat({ params: { phone: "5511", page: 1 } })).toEqual({ phone: "5511", name: "Ana" })
      // Both branches have `additionalProperties: false`: a body with keys of both matches neither.
      const both = fake(json({ phone: "5511", groupId: "1203-group" }))
      const error = yield* Effect.flip(both.client.getChat({ params: { phone: "5511", page: 1 } }))
      expect(error._tag).toBe("ClientDecodeError")
    })
  )

  it.effect("keeps fields the spec does not list in tolerant response objects", () =>
    Effect.gen(function* () {
      const { client } = fake(json({ ...result, queuedAt: 5 }))
      expect(yield* client.sendText({ payload: { phone: "55", message: "hi" } })).toEqual({ ...result, queuedAt: 5 })
    })
  )

  it.effect("answers void for 204, bytes for a binary media type and a string for text/plain", () =>
    Effect.gen(function* () {
      const none = fake(new Response(null, { status: 204 }))
      expect(yield* none.client.deleteChat({ params: { phone: "55" } })).toBeUndefined()
      expect(none.recorded[0]!.method).toBe("DELETE")

      const png = new Uint8Array([137, 80, 78, 71, 0, 255])
      const image = fake(new Response(png, { headers: { "content-type": "image/png" } }))
      const bytes = yield* image.client.qrCodeImage()
      expect(bytes).toBeInstanceOf(Uint8Array)
      expect([...bytes]).toEqual([...png])
      expect(image.recorded[0]!.headers.accept).toBe("image/png")

      const text = fake(new Response("CONNECTED", { headers: { "content-type": "text/plain" } }))
      expect(yield* text.client.statusText()).toBe("CONNECTED")
    })
  )
})

describe("generated client: errors", () => {
  it.effect("StatusError carries the body decoded with the schema documented for that status", () =>
    Effect.gen(function* () {
      const { client } = fake(json({ error: "Invalid phone" }, 400))
      const error = yield* Effect.flip(client.sendText({ payload: { phone: "55", message: "hi" } }))
      assert(error._tag === "ClientStatusError")
      expect(error.operationId).toBe("sendText")
      expect(error.status).toBe(400)
      expect(error.body).toEqual({ error: "Invalid phone" })
      expect(error.retryAfterSeconds).toBeUndefined()
      expect(error).toBeInstanceOf(HttpClientRuntime.ClientStatusError)
    })
  )

  it.effect("StatusError uses a documented status range (4XX)", () =>
    Effect.gen(function* () {
      const { client } = fake(json({ error: "Unknown message" }, 404))
      const error = yield* Effect.flip(client.sendReaction({ payload: { messageId: "M1", reaction: "x" } }))
      assert(error._tag === "ClientStatusError")
      expect(error.body).toEqual({ error: "Unknown message" })
    })
  )

  it.effect("StatusError falls back to the parsed JSON, then to the text, and reads Retry-After in seconds", () =>
    Effect.gen(function* () {
      const undocumented = fake(json({ detail: "boom" }, 500))
      const parsed = yield* Effect.flip(undocumented.client.sendText({ payload: { phone: "55", message: "hi" } }))
      assert(parsed._tag === "ClientStatusError")
      expect(parsed.body).toEqual({ detail: "boom" })

      const limited = fake(new Response("slow down", { status: 429, headers: { "retry-after": "120" } }))
      const text = yield* Effect.flip(limited.client.sendText({ payload: { phone: "55", message: "hi" } }))
      assert(text._tag === "ClientStatusError")
      expect(text.status).toBe(429)
      expect(text.body).toBe("slow down")
      expect(text.retryAfterSeconds).toBe(120)
    })
  )

  it.effect("StatusError reads a Retry-After HTTP date relative to the clock", () =>
    Effect.gen(function* () {
      // The test clock starts at the epoch.
      const date = new Date(90_000).toUTCString()
      const { client } = fake(new Response("", { status: 503, headers: { "retry-after": date } }))
      const error = yield* Effect.flip(client.ping())
      assert(error._tag === "ClientStatusError")
      expect(error.retryAfterSeconds).toBe(90)
      expect(error.body).toBe("")
    })
  )

  it.effect("DecodeError reports a success body that does not match its schema, or is not JSON", () =>
    Effect.gen(function* () {
      const wrong = fake(json({ zaapId: 1 }))
      const error = yield* Effect.flip(wrong.client.sendText({ payload: { phone: "55", message: "hi" } }))
      assert(error._tag === "ClientDecodeError")
      expect(error.status).toBe(200)
      expect(error.operationId).toBe("sendText")
      expect(error.issue).toContain("zaapId")

      const html = fake(new Response("<html>", { status: 200 }))
      const notJson = yield* Effect.flip(html.client.sendText({ payload: { phone: "55", message: "hi" } }))
      assert(notJson._tag === "ClientDecodeError")
      expect(notJson.issue).toBe("the body is not JSON")
    })
  )

  it.effect("TransportError keeps only the kind and the system error code, and notSent only when provable", () =>
    Effect.gen(function* () {
      const failing = (code: string) => (request: HttpClientRequest.HttpClientRequest) =>
        Effect.fail(
          new HttpClientError.HttpClientError({
            reason: new HttpClientError.TransportError({
              request,
              cause: new TypeError("fetch failed", {
                cause: Object.assign(new Error(`${code} ${request.url}`), { code })
              })
            })
          })
        )
      const reset = fake(failing("ECONNRESET"))
      const error = yield* Effect.flip(reset.client.sendText({ payload: { phone: "55", message: "hi" } }))
      assert(error._tag === "ClientTransportError")
      expect(error).toMatchObject({ operationId: "sendText", reason: "TransportError (ECONNRESET)", notSent: false })

      const refused = fake(failing("ECONNREFUSED"))
      const notSent = yield* Effect.flip(refused.client.sendText({ payload: { phone: "55", message: "hi" } }))
      expect(notSent).toMatchObject({ reason: "TransportError (ECONNREFUSED)", notSent: true })

      const invalid = fake(json(result), { baseUrl: "not a url" })
      const url = yield* Effect.flip(invalid.client.sendText({ payload: { phone: "55", message: "hi" } }))
      expect(url).toMatchObject({ reason: "InvalidUrlError (ERR_INVALID_URL)", notSent: true })
      expect(invalid.recorded).toHaveLength(0)
    })
  )

  it.effect("a StatusCodeError from a filtering HttpClient is still a StatusError", () =>
    Effect.gen(function* () {
      const httpClient = HttpClient.filterStatusOk(
        HttpClient.make((request) => Effect.succeed(HttpClientResponse.fromWeb(request, json({ error: "x" }, 400))))
      )
      const client = Fixture.make(httpClient, {
        baseUrl: "https://api.example.test",
        instanceId: "i",
        token: Redacted.make(token)
      })
      const error = yield* Effect.flip(client.sendText({ payload: { phone: "55", message: "hi" } }))
      expect(error).toMatchObject({ _tag: "ClientStatusError", status: 400, body: { error: "x" } })
    })
  )
})

describe("generated client: secrets", () => {
  const renderings = (error: unknown): Array<string> => [
    String(error),
    JSON.stringify(error),
    Inspectable.toStringUnknown(error),
    (error as Error).message,
    (error as Error).stack ?? "",
    Cause.pretty(Cause.fail(error))
  ]

  const secrets = [token, encodeURIComponent(token), "SECRET-123", clientToken, partnerToken, "api.example.test"]
  const secretsIn = (text: string): Array<string> => secrets.filter((secret) => text.includes(secret))

  it.effect("no error, however rendered, contains the URL, a header value or a secret", () =>
    Effect.gen(function* () {
      const failing = (request: HttpClientRequest.HttpClientRequest) =>
        Effect.fail(
          new HttpClientError.HttpClientError({
            reason: new HttpClientError.TransportError({
              request,
              cause: Object.assign(new Error(`connect ECONNREFUSED ${request.url}`), { code: "ECONNREFUSED" })
            })
          })
        )
      const cases = [
        fake(json({ error: "Invalid phone" }, 400)),
        fake(new Response("no", { status: 429, headers: { "retry-after": "3" } })),
        fake(json({ zaapId: 1 })),
        fake(failing),
        fake(json(result), { baseUrl: "not a url" })
      ]
      const errors = []
      for (const { client } of cases) {
        errors.push(yield* Effect.flip(client.sendText({ payload: { phone: "55", message: "hi" } })))
      }
      expect(errors.map((error) => error._tag)).toEqual([
        "ClientStatusError",
        "ClientStatusError",
        "ClientDecodeError",
        "ClientTransportError",
        "ClientTransportError"
      ])
      for (const error of errors) {
        for (const rendering of renderings(error)) {
          expect(secretsIn(rendering)).toEqual([])
          expect(rendering).not.toContain("/token/")
        }
      }
    })
  )

  it.effect(
    "a vendor body that echoes the URL or a credential has the secrets replaced, in errors and decode issues",
    () =>
      Effect.gen(function* () {
        const echo = { error: `refused https://api.example.test/v1/instances/x/token/${token}`, clientToken }
        const { client: failing } = fake(json(echo, 400))
        const status = yield* Effect.flip(failing.sendText({ payload: { phone: "5511999999999", message: "hi" } }))
        const { client: odd } = fake(json({ zaapId: 1, echo: token }))
        const decode = yield* Effect.flip(odd.sendText({ payload: { phone: "5511999999999", message: "hi" } }))
        for (const error of [status, decode]) {
          for (const rendering of [...renderings(error), JSON.stringify((error as any).body ?? "")]) {
            expect([token, clientToken].filter((secret) => rendering.includes(secret))).toEqual([])
          }
        }
        expect(JSON.stringify((status as any).body)).toContain("<redacted>")
      })
  )

  it.effect("spans are named after the operation and record the route template, never the URL", () =>
    Effect.gen(function* () {
      const spans: Array<Tracer.NativeSpan> = []
      const tracer = Tracer.make({
        span: (options) => {
          const span = new Tracer.NativeSpan(options)
          spans.push(span)
          return span
        }
      })
      const { client, recorded } = fake(json({ error: "Invalid phone" }, 400))
      yield* client.sendText({ payload: { phone: "55", message: "hi" } }).pipe(Effect.ignore, Effect.withTracer(tracer))
      expect(spans.map((span) => span.name)).toEqual(["Fixture.sendText"])
      const span = spans[0]!
      expect(Object.fromEntries(span.attributes)).toEqual({
        "http.request.method": "POST",
        "http.route": "/instances/{instanceId}/token/{token}/send-text"
      })
      expect(span.kind).toBe("client")
      const rendered = JSON.stringify([...span.attributes, ...span.events]) + Inspectable.toStringUnknown(span.status)
      expect(secretsIn(rendered)).toEqual([])
      // The trace still propagates to the vendor, from our span.
      expect(recorded[0]!.headers.traceparent).toContain(span.traceId)
    })
  )
})

describe("generated metadata", () => {
  it("lists operations with their method, path template, tags, capabilities and idempotency", () => {
    expect(Fixture.operations.getChat).toEqual({
      method: "GET",
      path: "/instances/{instanceId}/token/{token}/chats/{phone}",
      tags: ["Chats"],
      capabilities: ["listChats", "getGroup"],
      idempotent: true
    })
    expect(Fixture.operations.deleteChat.idempotent).toBe(true)
    expect(Fixture.operations.sendText.idempotent).toBe(false)
    // A PUT whose capability sends something is not idempotent either.
    expect(Fixture.operations.sendReaction.idempotent).toBe(false)
  })

  it("indexes capabilities and webhooks", () => {
    expect(Fixture.capabilities).toEqual({
      getGroup: ["getChat"],
      getQrCode: ["qrCodeImage"],
      getStatus: ["statusText"],
      listChats: ["getChat"],
      sendReaction: ["sendReaction"],
      sendText: ["sendText"]
    })
    expect(Fixture.webhooks.receivedText).toBe(Fixture.ReceivedTextCallback)
    expect(Object.keys(Fixture.webhooks)).toEqual(["receivedText", "messageStatus"])
  })

  it("derives the base URL from the first server and its variables", () => {
    expect(Fixture.defaultBaseUrl).toBe("https://api.example.test/v1")
    expect(Fixture.baseUrl({ host: "other.example" })).toBe("https://other.example/v1")
    expect(Fixture.baseUrl()).toBe(Fixture.defaultBaseUrl)
  })
})
