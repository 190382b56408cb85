/**
 * How Z-API's failures reach the application: the error each answer maps to, the refusals made
 * before anything is sent, and the retry rules (a message is never sent twice).
 */

import { describe, expect, it } from "@effect/vitest"
import { ChatId, RetryPolicy } from "@pombo/core"
import { RecordingHttpClient } from "@pombo/testing"
import { Effect, Fiber } from "effect"
import { TestClock } from "effect/testing"
import { fake, prefix, withWhatsApp } from "./ZApiFixture.ts"

const to = new ChatId.Contact({ phone: "5511999999999" })
const group = new ChatId.Group({ id: "120363019502650977" })
const queued = { zaapId: "Z1", messageId: "M1", id: "M1" }

/** Sends a text once (no retries) against `reply` and returns the error. */
const sendTextError = (reply: RecordingHttpClient.Answer) => {
  const { layer } = fake(reply, { retry: RetryPolicy.none })
  return withWhatsApp((w) => Effect.flip(w.sendText({ to, text: "hi" }))).pipe(Effect.provide(layer))
}

describe("Z-API answers → errors", () => {
  const cases: ReadonlyArray<[string, RecordingHttpClient.Answer, Record<string, unknown>]> = [
    [
      "401 null not allowed (missing Client-Token)",
      RecordingHttpClient.json({ error: "null not allowed" }, 401),
      { _tag: "Unauthorized", detail: "null not allowed" }
    ],
    [
      "an IP not allowed, whatever the status",
      RecordingHttpClient.json({ error: "187.1.2.3 not allowed" }, 400),
      { _tag: "Unauthorized", detail: "187.1.2.3 not allowed" }
    ],
    ["403 without body", RecordingHttpClient.empty(403), { _tag: "Unauthorized", detail: "Z-API answered HTTP 403" }],
    [
      "400 Invalid phone keeps the vendor's text",
      RecordingHttpClient.json({ error: "Invalid phone" }, 400),
      { _tag: "InvalidRequest", detail: "Invalid phone" }
    ],
    [
      "Prism's 422 problem+json keeps the validation messages",
      RecordingHttpClient.json(
        {
          type: "https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY",
          title: "Invalid request",
          status: 422,
          detail: "Your request is not valid and no HTTP validation response was found in the spec.",
          validation: [
            { location: ["body"], severity: "Error", code: "required", message: "must have required property 'phone'" }
          ]
        },
        422,
        { "sl-violations": "[]" }
      ),
      {
        _tag: "InvalidRequest",
        detail:
          "Invalid request; Your request is not valid and no HTTP validation response was found in the spec.; body: must have required property 'phone'"
      }
    ],
    [
      "404 group not found",
      RecordingHttpClient.json({ error: "Group not found" }, 404),
      { _tag: "RecipientNotFound", detail: "Group not found" }
    ],
    [
      "a not-on-WhatsApp body on another status",
      RecordingHttpClient.json({ error: "Phone does not exist" }, 400),
      { _tag: "RecipientNotFound", detail: "Phone does not exist" }
    ],
    [
      "Prism's 404 for a route the spec lacks is our bug",
      RecordingHttpClient.json(
        {
          type: "https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR",
          title: "Route not resolved, no path matched",
          status: 404,
          detail: "The route /send-text hasn't been found in the specification file"
        },
        404
      ),
      { _tag: "InvalidRequest" }
    ],
    ["405 is our bug", RecordingHttpClient.empty(405), { _tag: "InvalidRequest" }],
    ["415 is our bug", RecordingHttpClient.empty(415), { _tag: "InvalidRequest" }],
    [
      "429",
      RecordingHttpClient.json({ error: "Too many requests" }, 429, { "retry-after": "7" }),
      { _tag: "RateLimited", retryAfterSeconds: 7 }
    ],
    [
      "500",
      RecordingHttpClient.json({ error: "Internal error" }, 500),
      { _tag: "ProviderUnavailable", notSent: false }
    ],
    [
      "503 keeps Retry-After",
      RecordingHttpClient.json({}, 503, { "retry-after": "12" }),
      { _tag: "ProviderUnavailable", notSent: false, retryAfterSeconds: 12 }
    ],
    [
      "a disconnected instance",
      RecordingHttpClient.json({ error: "Instance disconnected" }, 400),
      { _tag: "NotConnected", detail: "Instance disconnected" }
    ],
    [
      "You are not connected.",
      RecordingHttpClient.json({ error: "You are not connected." }, 401),
      { _tag: "NotConnected", detail: "You are not connected." }
    ],
    [
      "connection refused: provably not sent",
      "refused",
      { _tag: "ProviderUnavailable", notSent: true, detail: "TransportError (ECONNREFUSED)" }
    ],
    [
      "connection reset: maybe sent",
      "reset",
      { _tag: "ProviderUnavailable", notSent: false, detail: "TransportError (ECONNRESET)" }
    ],
    [
      "a body the spec does not describe",
      RecordingHttpClient.json({ queued: true }),
      { _tag: "UnexpectedResponse", status: 200 }
    ],
    ["a body that is not JSON", new Response("<html>", { status: 200 }), { _tag: "UnexpectedResponse", status: 200 }]
  ]

  for (const [name, reply, expected] of cases) {
    it.effect(name, () =>
      Effect.gen(function* () {
        const error = yield* sendTextError(reply)
        expect(error).toMatchObject({ provider: "zapi", operation: "sendText", ...expected })
      })
    )
  }

  it.effect("429 on a status check with no Retry-After has no retryAfterSeconds", () =>
    Effect.gen(function* () {
      const error = yield* sendTextError(RecordingHttpClient.json({}, 429))
      expect(error._tag).toBe("RateLimited")
      expect("retryAfterSeconds" in error && error.retryAfterSeconds).toBeFalsy()
    })
  )

  it.effect('{"value": false} is a change Z-API did not apply', () =>
    Effect.gen(function* () {
      const { layer } = fake(RecordingHttpClient.json({ value: false }))
      const error = yield* withWhatsApp((w) => Effect.flip(w.archiveChat({ chat: to, archived: true }))).pipe(
        Effect.provide(layer)
      )
      expect(error).toMatchObject({ _tag: "InvalidRequest", provider: "zapi", operation: "archiveChat" })
    })
  )

  it.effect("a QR code asked of a connected instance", () =>
    Effect.gen(function* () {
      const { layer } = fake(RecordingHttpClient.json({ connected: true }))
      const error = yield* withWhatsApp((w) => Effect.flip(w.getQrCode())).pipe(Effect.provide(layer))
      expect(error).toMatchObject({ _tag: "InvalidRequest", detail: "the instance is already connected" })
    })
  )
})

describe("refused before anything is sent", () => {
  const cases: ReadonlyArray<
    [
      string,
      (w: Parameters<Parameters<typeof withWhatsApp>[0]>[0]) => Effect.Effect<unknown, unknown>,
      Record<string, unknown>
    ]
  > = [
    [
      "a broadcast list",
      (w) => w.sendText({ to: new ChatId.Broadcast({ id: "status" }), text: "hi" }),
      { _tag: "InvalidRequest", operation: "sendText", field: "to" }
    ],
    [
      "a caption on a voice note",
      (w) =>
        w.sendMedia({ to, kind: "voice", source: { _tag: "Url", url: "https://example.com/a.ogg" }, caption: "hear" }),
      { _tag: "InvalidRequest", field: "caption" }
    ],
    [
      "a document without a known extension",
      (w) =>
        w.sendMedia({
          to,
          kind: "document",
          source: { _tag: "Base64", data: "AAAA", mimeType: "application/octet-stream" },
          fileName: "blob"
        }),
      { _tag: "InvalidRequest", field: "fileName" }
    ],
    [
      "a link preview without image",
      (w) => w.sendLinkPreview({ to, text: "see", url: "https://z-api.io" }),
      { _tag: "InvalidRequest", field: "imageUrl" }
    ],
    [
      "a list footer",
      (w) =>
        w.sendList({
          to,
          text: "Pick",
          buttonText: "Open",
          footer: "Thanks",
          sections: [{ title: "A", rows: [{ id: "1", title: "One" }] }]
        }),
      { _tag: "InvalidRequest", field: "footer" }
    ],
    [
      "a button footer",
      (w) => w.sendButtons({ to, text: "Pick", footer: "Thanks", buttons: [{ id: "1", label: "One" }] }),
      { _tag: "InvalidRequest", field: "footer" }
    ],
    [
      "a group's profile picture",
      (w) => w.getProfilePicture({ chat: group }),
      { _tag: "InvalidRequest", operation: "getProfilePicture", field: "chat" }
    ]
  ]
  for (const [name, run, expected] of cases) {
    it.effect(name, () =>
      Effect.gen(function* () {
        const { recorded, layer } = fake(RecordingHttpClient.json(queued))
        const error = yield* withWhatsApp((w) => Effect.flip(run(w))).pipe(Effect.provide(layer))
        expect(error).toMatchObject({ provider: "zapi", ...expected })
        expect(recorded).toHaveLength(0)
      })
    )
  }
})
