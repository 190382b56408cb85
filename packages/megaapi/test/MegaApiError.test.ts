import { describe, expect, it } from "@effect/vitest"
import { ChatId, RetryPolicy, WhatsApp } from "@pombo/core"
import { RecordingHttpClient } from "@pombo/testing"
import { Effect } from "effect"
import { providerLayer } from "./MegaApiFixture.ts"

const to = new ChatId.Contact({ phone: "5511999999999" })
const group = new ChatId.Group({ id: "120363012345678901" })

const prism401 = {
  type: "https://stoplight.io/prism/errors#UNAUTHORIZED",
  title: "Invalid security scheme used",
  status: 401,
  detail: ""
}
const prism422 = {
  type: "https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY",
  title: "Invalid request",
  status: 422,
  detail: "Your request is not valid and no HTTP validation response was found in the spec.",
  validation: [
    {
      location: ["body", "messageData", "to"],
      severity: "Error",
      code: "pattern",
      message: "must match pattern"
    }
  ]
}

/** Runs one operation against a fake answering `answer` once, without retries. */
const failure = (call: (w: WhatsApp.Shape) => Effect.Effect<unknown, unknown>, answer: RecordingHttpClient.Answer) => {
  const http = RecordingHttpClient.make(() => answer)
  return Effect.flip(WhatsApp.WhatsApp.use(call)).pipe(
    Effect.provide(providerLayer(http.httpClient, { retry: RetryPolicy.none }))
  )
}

const sendText = (w: WhatsApp.Shape) => w.sendText({ to, text: "Olá" })

describe("HTTP statuses", () => {
  it.effect("401 with Mega-API's error body: NotConnected with its message", () =>
    Effect.gen(function* () {
      const error = yield* failure(sendText, {
        status: 401,
        body: { error: true, message: "Instance not connected to WhatsApp" }
      })
      expect(error).toMatchObject({
        _tag: "NotConnected",
        provider: "megaapi",
        operation: "sendText",
        detail: "Instance not connected to WhatsApp"
      })
    })
  )

  it.effect("401 for a missing or wrong token (Prism's problem+json): Unauthorized", () =>
    Effect.gen(function* () {
      const error = yield* failure(sendText, {
        status: 401,
        body: prism401,
        headers: { "www-authenticate": "Bearer", "content-type": "application/problem+json" }
      })
      expect(error).toMatchObject({ _tag: "Unauthorized", operation: "sendText" })
    })
  )

  it.effect("401 on an instance operation, not JSON: Unauthorized", () =>
    Effect.gen(function* () {
      const error = yield* failure((w) => w.getStatus(), { status: 401, body: "Unauthorized" })
      expect(error).toMatchObject({ _tag: "Unauthorized", operation: "getStatus", detail: "HTTP 401" })
    })
  )

  it.effect("403: RecipientNotFound", () =>
    Effect.gen(function* () {
      const error = yield* failure(sendText, {
        status: 403,
        body: { error: true, message: "WhatsApp number does not exist" }
      })
      expect(error).toMatchObject({ _tag: "RecipientNotFound", detail: "WhatsApp number does not exist" })
    })
  )

  it.effect("403 on addParticipants means not allowed: InvalidRequest", () =>
    Effect.gen(function* () {
      const error = yield* failure((w) => w.addParticipants({ group, participants: [to] }), {
        status: 403,
        body: { error: true, message: "Not authorized to add this contact to the group" }
      })
      expect(error).toMatchObject({
        _tag: "InvalidRequest",
        operation: "addParticipants",
        detail: "Not authorized to add this contact to the group"
      })
    })
  )

  it.effect("400: InvalidRequest with the vendor's message", () =>
    Effect.gen(function* () {
      const error = yield* failure(sendText, { status: 400, body: { error: true, message: "to is invalid" } })
      expect(error).toMatchObject({ _tag: "InvalidRequest", detail: "to is invalid" })
    })
  )

  it.effect("422 from Prism: InvalidRequest naming the violations", () =>
    Effect.gen(function* () {
      const error = yield* failure(sendText, {
        status: 422,
        body: prism422,
        headers: { "content-type": "application/problem+json" }
      })
      expect(error).toMatchObject({ _tag: "InvalidRequest" })
      expect((error as { detail: string }).detail).toContain("body.messageData.to: must match pattern")
    })
  )

  it.effect("404 on a group lookup: RecipientNotFound", () =>
    Effect.gen(function* () {
      const error = yield* failure((w) => w.getGroup({ group }), { status: 404, body: { message: "not found" } })
      expect(error).toMatchObject({ _tag: "RecipientNotFound", operation: "getGroup" })
    })
  )

  it.effect("404 on a send: UnexpectedResponse", () =>
    Effect.gen(function* () {
      const error = yield* failure(sendText, { status: 404, body: "Cannot POST" })
      expect(error).toMatchObject({ _tag: "UnexpectedResponse", status: 404 })
    })
  )

  it.effect("429: RateLimited with Retry-After", () =>
    Effect.gen(function* () {
      const error = yield* failure(sendText, { status: 429, body: {}, headers: { "retry-after": "7" } })
      expect(error).toMatchObject({ _tag: "RateLimited", retryAfterSeconds: 7 })
    })
  )

  it.effect("500: ProviderUnavailable, possibly sent, with the vendor's message", () =>
    Effect.gen(function* () {
      const error = yield* failure(sendText, {
        status: 500,
        body: { error: true, message: "Something was sent incorrectly or WhatsApp services are unstable" }
      })
      expect(error).toMatchObject({
        _tag: "ProviderUnavailable",
        notSent: false,
        detail: "Something was sent incorrectly or WhatsApp services are unstable"
      })
    })
  )

  it.effect("502: ProviderUnavailable", () =>
    Effect.gen(function* () {
      const error = yield* failure((w) => w.getStatus(), { status: 502, body: "Bad Gateway" })
      expect(error).toMatchObject({ _tag: "ProviderUnavailable", notSent: false, detail: "HTTP 502" })
    })
  )
})

describe("transport and bodies", () => {
  it.effect("connection refused: ProviderUnavailable, provably not sent", () =>
    Effect.gen(function* () {
      const error = yield* failure(sendText, "refused")
      expect(error).toMatchObject({ _tag: "ProviderUnavailable", notSent: true })
      expect((error as { detail: string }).detail).toContain("ECONNREFUSED")
    })
  )

  it.effect("a 200 body that does not match the spec: UnexpectedResponse with the issue", () =>
    Effect.gen(function* () {
      const error = yield* failure((w) => w.getStatus(), { status: 200, body: { instance: "not an object" } })
      expect(error).toMatchObject({ _tag: "UnexpectedResponse", operation: "getStatus", status: 200 })
      expect((error as { detail: string }).detail).toContain("instance")
    })
  )

  it.effect("a 200 body that is not JSON: UnexpectedResponse", () =>
    Effect.gen(function* () {
      const error = yield* failure((w) => w.listChats(), { status: 200, body: "<html>" })
      expect(error).toMatchObject({ _tag: "UnexpectedResponse", detail: "the body is not JSON" })
    })
  )

  it.effect("a 200 that says error: true: InvalidRequest with its message", () =>
    Effect.gen(function* () {
      const error = yield* failure((w) => w.archiveChat({ chat: to, archived: true }), {
        status: 200,
        body: { error: true, message: "chat not found" }
      })
      expect(error).toMatchObject({ _tag: "InvalidRequest", operation: "archiveChat", detail: "chat not found" })
    })
  )

  it.effect("a group list that says status: false: InvalidRequest", () =>
    Effect.gen(function* () {
      const error = yield* failure((w) => w.listGroups(), {
        status: 200,
        body: { status: false, message: "failed to fetch groups" }
      })
      expect(error).toMatchObject({ _tag: "InvalidRequest", detail: "failed to fetch groups" })
    })
  )

  it.effect("a send answer without a message id: UnexpectedResponse", () =>
    Effect.gen(function* () {
      const error = yield* failure(sendText, { status: 200, body: { error: false, message: "sent" } })
      expect(error).toMatchObject({ _tag: "UnexpectedResponse", operation: "sendText" })
    })
  )
})
