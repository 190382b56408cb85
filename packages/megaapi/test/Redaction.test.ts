import { describe, expect, it } from "@effect/vitest"
import { ChatId, RetryPolicy, WhatsApp } from "@pombo/core"
import { Cause, Effect, Formatter, Inspectable, Logger, References, Tracer } from "effect"
import { type Answer, example, fakeHttp, providerLayer, token } from "./FakeMegaApi.ts"

const to = new ChatId.Contact({ phone: "5511999999999" })

const scenarios: ReadonlyArray<[string, Answer]> = [
  ["success", { status: 200, body: example("sendText") }],
  ["not connected", { status: 401, body: { error: true, message: "Instance not connected to WhatsApp" } }],
  [
    "bad token",
    { status: 401, body: { title: "Invalid security scheme used" }, headers: { "www-authenticate": "Bearer" } }
  ],
  ["server error", { status: 500, body: { error: true, message: "unstable" } }],
  ["rate limited", { status: 429, body: {}, headers: { "retry-after": "1" } }],
  ["unexpected body", { status: 200, body: { data: "not an object" } }],
  ["connection refused", "refused"]
]

describe("the token never leaks", () => {
  for (const [name, answer] of scenarios) {
    it.effect(`${name}: not in the error, the logs or the spans`, () =>
      Effect.gen(function* () {
        const lines: Array<string> = []
        const spans: Array<Tracer.NativeSpan> = []
        const logger = Logger.make((options) => {
          lines.push(Formatter.format(options.message), Cause.pretty(options.cause))
        })
        const tracer = Tracer.make({
          span: (options) => {
            const span = new Tracer.NativeSpan(options)
            spans.push(span)
            return span
          }
        })
        const http = fakeHttp(() => answer)
        const result = yield* WhatsApp.WhatsApp.use((w) => w.sendText({ to, text: "Olá" })).pipe(
          // An application that logs every failure, at every level.
          Effect.tapCause((cause) => Effect.logError("send failed", cause)),
          Effect.tap((receipt) => Effect.logDebug("sent", receipt)),
          Effect.provide(providerLayer(http.client, { retry: RetryPolicy.none })),
          Effect.withTracer(tracer),
          Effect.withLogger(logger),
          Effect.provideService(References.MinimumLogLevel, "All"),
          Effect.result
        )
        expect(http.requests[0]?.headers.authorization).toBe(`Bearer ${token}`)
        const rendered: Array<string> = [...lines]
        if (result._tag === "Failure") {
          const error = result.failure
          rendered.push(String(error), JSON.stringify(error), error.message, Formatter.format(error))
          rendered.push(JSON.stringify(Inspectable.toJson(error)))
        }
        for (const span of spans) {
          rendered.push(span.name, JSON.stringify(Inspectable.toJson([...span.attributes])))
          rendered.push(JSON.stringify(span.events))
          if (span.status._tag === "Ended") rendered.push(Formatter.format(span.status.exit))
        }
        expect(spans.map((span) => span.name)).toContain("WhatsApp.sendText")
        expect(lines.length).toBeGreaterThan(0)
        for (const text of rendered) expect(text).not.toContain(token)
      })
    )
  }
})
