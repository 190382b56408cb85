import { createServer } from "node:http"
import { gzipSync } from "node:zlib"
import { NodeHttpServer } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Duration, Effect, Layer, Logger, Queue, Redacted } from "effect"
import { HttpRouter, HttpServer } from "effect/http"
import { TestClock } from "effect/testing"
import { WebhookReceiver, WhatsAppEvent } from "../src/index.ts"

const SECRET = "s3cr3t-Hook-Value"
const secret = Redacted.make(SECRET)

// A tiny decoder: `{ statuses: [ids] }` → one MessageStatus per id; anything else → Unknown.
const fake: WebhookDecoder = {
  provider: "fake",
  decode: (payload, { receivedAt }) => {
    const statuses = (payload as { statuses?: unknown } | null)?.statuses
    if (Array.isArray(statuses)) {
      return statuses.map(
        (id) =>
          new WhatsAppEvent.MessageStatus({
            id: `status:${String(id)}`,
            provider: "fake",
            timestamp: receivedAt,
            raw: payload,
            messageId: String(id),
            status: "delivered"
          })
      )
    }
    return [
      new WhatsAppEvent.Unknown({
        id: `unknown:${JSON.stringify(payload)}`,
        provider: "fake",
        timestamp: receivedAt,
        raw: payload,
        reason: "not a status"
      })
    ]
  }
}
type WebhookDecoder = WebhookReceiver.WebhookDecoder

// A second vendor for auto-detection: `{ other: id }` → ConnectionUpdate.
const other: WebhookDecoder = {
  provider: "other",
  decode: (payload, { receivedAt }) => {
    const id = (payload as { other?: unknown } | null)?.other
    return typeof id === "string"
      ? [
          new WhatsAppEvent.ConnectionUpdate({
            id,
            provider: "other",
            timestamp: receivedAt,
            raw: payload,
            state: "connected"
          })
        ]
      : [
          new WhatsAppEvent.Unknown({
            id: "other-unknown",
            provider: "other",
            timestamp: receivedAt,
            raw: payload,
            reason: "?"
          })
        ]
  }
}

/** Serves a router layer on an ephemeral localhost port for the rest of the test's scope. */
const serve = <E, R>(app: Layer.Layer<never, E, R>) =>
  Effect.gen(function* () {
    const context = yield* Layer.build(
      HttpRouter.serve(app, { disableListenLog: true }).pipe(
        Layer.provideMerge(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" }))
      )
    )
    return yield* HttpServer.addressFormattedWith(Effect.succeed).pipe(Effect.provideContext(context))
  })

/** A receiver whose handler pushes every event into a queue (access log off: quiet tests). */
const receiver = (options: Partial<WebhookReceiver.LayerOptions> = {}) =>
  Effect.gen(function* () {
    const events = yield* Queue.unbounded<WhatsAppEvent.WhatsAppEvent>()
    const base = yield* serve(
      WebhookReceiver.layer({
        decoders: [fake],
        secret,
        onEvent: (event) => Queue.offer(events, event),
        accessLog: false,
        ...options
      })
    )
    return { base, events }
  })

const post = (url: string, body: RequestInit["body"], headers: Record<string, string> = {}) =>
  Effect.promise(async () => {
    const response = await fetch(url, { method: "POST", body: body ?? null, headers })
    return { status: response.status, text: await response.text() }
  })

const json = (value: unknown) => JSON.stringify(value)

/** Collects every log line (logfmt, annotations included) written while `effect` runs. */
const withLogs = <A, E, R>(f: (lines: ReadonlyArray<string>) => Effect.Effect<A, E, R>) => {
  const lines: Array<string> = []
  const collector = Logger.make((options) => {
    lines.push(Logger.formatLogFmt.log(options))
  })
  return f(lines).pipe(Effect.provide(Logger.layer([collector])))
}

describe("authentication", () => {
  it.live("path mode: a wrong secret gets 401, the right one 200", () =>
    Effect.gen(function* () {
      const { base } = yield* receiver()
      expect((yield* post(`${base}/webhooks/fake/wrong`, json({ statuses: ["a"] }))).status).toBe(401)
      expect((yield* post(`${base}/webhooks/fake/${SECRET}x`, json({ statuses: ["a"] }))).status).toBe(401)
      expect((yield* post(`${base}/webhooks/fake/${SECRET}`, json({ statuses: ["a"] }))).status).toBe(200)
    }).pipe(Effect.scoped)
  )

  it.live("path mode: a route without the secret segment gets 401", () =>
    Effect.gen(function* () {
      const base = yield* serve(
        HttpRouter.use(
          Effect.fnUntraced(function* (router) {
            const handler = yield* WebhookReceiver.make({ decoders: [fake], secret, onEvent: () => Effect.void })
            yield* router.add("POST", "/bare", handler)
          })
        )
      )
      expect((yield* post(`${base}/bare`, json({ statuses: ["a"] }))).status).toBe(401)
    }).pipe(Effect.scoped)
  )

  it.live("header mode: a missing or wrong header gets 401, the right one 200", () =>
    Effect.gen(function* () {
      const { base, events } = yield* receiver({ secretIn: { header: "X-Webhook-Secret" } })
      const url = `${base}/webhooks/fake`
      const body = json({ statuses: ["h1"] })
      expect((yield* post(url, body)).status).toBe(401)
      expect((yield* post(url, body, { "x-webhook-secret": "" })).status).toBe(401)
      expect((yield* post(url, body, { "x-webhook-secret": "nope" })).status).toBe(401)
      expect((yield* post(url, body, { "x-webhook-secret": SECRET.toUpperCase() })).status).toBe(401)
      expect((yield* post(url, body, { "x-webhook-secret": SECRET })).status).toBe(200)
      expect((yield* Queue.take(events)).id).toBe("status:h1")
    }).pipe(Effect.scoped)
  )

  it.live("the secret never reaches the logs, not even the access log", () =>
    withLogs((lines) =>
      Effect.gen(function* () {
        const { base } = yield* receiver({ accessLog: true })
        yield* post(`${base}/webhooks/fake/${SECRET}`, json({ statuses: ["a"] }))
        yield* post(`${base}/webhooks/fake/${SECRET}-wrong`, json({ statuses: ["a"] }))
        yield* post(`${base}/webhooks/fake/${SECRET}`, "{not json")
        expect(lines.some((line) => line.includes("/webhooks/fake/:secret"))).toBe(true)
        expect(lines.filter((line) => line.includes(SECRET))).toEqual([])
      }).pipe(Effect.scoped)
    )
  )

  it("rejects an empty secret when built", async () => {
    const build = WebhookReceiver.make({ decoders: [fake], secret: Redacted.make(""), onEvent: () => Effect.void })
    const exit = await Effect.runPromiseExit(Effect.scoped(build))
    expect(exit._tag).toBe("Failure")
  })
})

describe("bodies", () => {
  it.live("a good call gets 2xx and the handler receives every decoded event", () =>
    Effect.gen(function* () {
      const { base, events } = yield* receiver()
      const response = yield* post(`${base}/webhooks/fake/${SECRET}`, json({ statuses: ["m1", "m2"] }), {
        "content-type": "application/json"
      })
      expect(response.status).toBe(200)
      const first = yield* Queue.take(events)
      const second = yield* Queue.take(events)
      expect([first._tag, first.id, second.id]).toEqual(["MessageStatus", "status:m1", "status:m2"])
      expect(first.raw).toEqual({ statuses: ["m1", "m2"] })
    }).pipe(Effect.scoped)
  )

  it.live("a gzip body is accepted", () =>
    Effect.gen(function* () {
      const { base, events } = yield* receiver()
      const response = yield* post(`${base}/webhooks/fake/${SECRET}`, gzipSync(json({ statuses: ["gz"] })), {
        "content-encoding": "gzip"
      })
      expect(response.status).toBe(200)
      expect((yield* Queue.take(events)).id).toBe("status:gz")
    }).pipe(Effect.scoped)
  )

  it.live("a body over the limit gets 413", () =>
    Effect.gen(function* () {
      const { base, events } = yield* receiver({ maxBodyBytes: 1024 })
      const big = json({ statuses: ["x".repeat(2048)] })
      expect((yield* post(`${base}/webhooks/fake/${SECRET}`, big)).status).toBe(413)
      // Without Content-Length (a stream), the limit still holds while reading.
      const chunked = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(big))
          controller.close()
        }
      })
      const streamed = yield* Effect.promise(() =>
        fetch(`${base}/webhooks/fake/${SECRET}`, { method: "POST", body: chunked, duplex: "half" } as RequestInit)
      )
      expect(streamed.status).toBe(413)
      // Just under the limit is fine, and the connection still works afterwards.
      expect((yield* post(`${base}/webhooks/fake/${SECRET}`, json({ statuses: ["small"] }))).status).toBe(200)
      expect((yield* Queue.take(events)).id).toBe("status:small")
    }).pipe(Effect.scoped)
  )

  it.live("a gzip bomb gets 413 (the limit applies after decompression)", () =>
    Effect.gen(function* () {
      const { base } = yield* receiver()
      // 64 MiB of spaces inside a JSON string: ~64 KiB on the wire, far over 1 MiB inflated.
      const bomb = gzipSync(Buffer.concat([Buffer.from('{"statuses":["'), Buffer.alloc(64 * 1024 * 1024, 32)]))
      expect(bomb.byteLength).toBeLessThan(1024 * 1024)
      const response = yield* post(`${base}/webhooks/fake/${SECRET}`, bomb, { "content-encoding": "gzip" })
      expect(response.status).toBe(413)
    }).pipe(Effect.scoped)
  )

  it.live("an unsupported encoding gets 415", () =>
    Effect.gen(function* () {
      const { base } = yield* receiver()
      for (const encoding of ["br", "deflate", "gzip, br"]) {
        const response = yield* post(`${base}/webhooks/fake/${SECRET}`, json({ statuses: ["a"] }), {
          "content-encoding": encoding
        })
        expect(response.status).toBe(415)
      }
    }).pipe(Effect.scoped)
  )

  it.live("malformed JSON gets 400, logged with its size but not its contents", () =>
    withLogs((lines) =>
      Effect.gen(function* () {
        const { base } = yield* receiver()
        const body = '{"statuses": ["TOP-SECRET-CUSTOMER-DATA"'
        expect((yield* post(`${base}/webhooks/fake/${SECRET}`, body)).status).toBe(400)
        expect(
          (yield* post(`${base}/webhooks/fake/${SECRET}`, gzipSync(body), { "content-encoding": "gzip" })).status
        ).toBe(400)
        expect(
          (yield* post(`${base}/webhooks/fake/${SECRET}`, "not gzip", { "content-encoding": "gzip" })).status
        ).toBe(400)
        const malformed = lines.filter((line) => line.includes("malformed JSON"))
        expect(malformed).toHaveLength(2)
        expect(malformed[0]).toContain(`bytes=${Buffer.byteLength(body)}`)
        expect(malformed[0]).toContain("provider=fake")
        expect(lines.filter((line) => line.includes("TOP-SECRET"))).toEqual([])
      }).pipe(Effect.scoped)
    )
  )
})

describe("delivery", () => {
  it.live("the same event twice reaches the handler once; after the window, again", () =>
    Effect.gen(function* () {
      const { base, events } = yield* receiver({ dedupeWindow: "300 millis" })
      const url = `${base}/webhooks/fake/${SECRET}`
      expect((yield* post(url, json({ statuses: ["dup"] }))).status).toBe(200)
      expect((yield* post(url, json({ statuses: ["dup"] }))).status).toBe(200)
      expect((yield* post(url, json({ statuses: ["next"] }))).status).toBe(200)
      expect((yield* Queue.take(events)).id).toBe("status:dup")
      expect((yield* Queue.take(events)).id).toBe("status:next")
      yield* Effect.sleep("400 millis")
      expect((yield* post(url, json({ statuses: ["dup"] }))).status).toBe(200)
      expect((yield* Queue.take(events)).id).toBe("status:dup")
    }).pipe(Effect.scoped)
  )

  it.live("a payload the decoder does not recognise still reaches the handler as Unknown", () =>
    Effect.gen(function* () {
      const { base, events } = yield* receiver()
      expect((yield* post(`${base}/webhooks/fake/${SECRET}`, json({ hello: "world" }))).status).toBe(200)
      const event = yield* Queue.take(events)
      expect(event._tag).toBe("Unknown")
      expect(event.raw).toEqual({ hello: "world" })
    }).pipe(Effect.scoped)
  )

  it.live("with several decoders, the auto-detect route picks the one that recognises the payload", () =>
    Effect.gen(function* () {
      const { base, events } = yield* receiver({ decoders: [fake, other] })
      expect((yield* post(`${base}/webhooks/${SECRET}`, json({ other: "c1" }))).status).toBe(200)
      expect(yield* Queue.take(events)).toMatchObject({ _tag: "ConnectionUpdate", provider: "other", id: "c1" })
      expect((yield* post(`${base}/webhooks/${SECRET}`, json({ statuses: ["s1"] }))).status).toBe(200)
      expect(yield* Queue.take(events)).toMatchObject({ _tag: "MessageStatus", provider: "fake" })
      expect((yield* post(`${base}/webhooks/${SECRET}`, json({ neither: 1 }))).status).toBe(200)
      expect(yield* Queue.take(events)).toMatchObject({ _tag: "Unknown", provider: "fake" })
      // The per-provider routes use only their own decoder.
      expect((yield* post(`${base}/webhooks/other/${SECRET}`, json({ statuses: ["s2"] }))).status).toBe(200)
      expect(yield* Queue.take(events)).toMatchObject({ _tag: "Unknown", provider: "other" })
    }).pipe(Effect.scoped)
  )

  it.live("a decoder that throws anyway yields an Unknown keyed by the payload, and 2xx", () =>
    Effect.gen(function* () {
      const broken: WebhookDecoder = {
        provider: "broken",
        decode: () => {
          throw new Error("bug")
        }
      }
      const { base, events } = yield* receiver({ decoders: [broken] })
      expect((yield* post(`${base}/webhooks/broken/${SECRET}`, json({ any: "thing" }))).status).toBe(200)
      const event = yield* Queue.take(events)
      expect(event).toMatchObject({ _tag: "Unknown", provider: "broken", raw: { any: "thing" } })
      expect(event.id).toMatch(/^broken:unknown:[0-9a-f]{32}$/)
      expect(event).toMatchObject({ reason: "the broken decoder failed (a bug in Pombo): bug" })
    }).pipe(Effect.scoped)
  )

  it.live("a slow handler does not hold the response", () =>
    Effect.gen(function* () {
      const started = yield* Deferred.make<void>()
      const release = yield* Deferred.make<void>()
      const finished = yield* Deferred.make<string>()
      const base = yield* serve(
        WebhookReceiver.layer({
          decoders: [fake],
          secret,
          accessLog: false,
          onEvent: (event) =>
            Deferred.succeed(started, undefined).pipe(
              Effect.andThen(Deferred.await(release)),
              Effect.andThen(Deferred.succeed(finished, event.id))
            )
        })
      )
      const response = yield* post(`${base}/webhooks/fake/${SECRET}`, json({ statuses: ["slow"] }))
      // The answer came while the handler is still blocked on `release`.
      expect(response.status).toBe(200)
      yield* Deferred.await(started)
      expect(yield* Deferred.isDone(finished)).toBe(false)
      yield* Deferred.succeed(release, undefined)
      expect(yield* Deferred.await(finished)).toBe("status:slow")
    }).pipe(Effect.scoped)
  )

  it.live("a failing handler is logged, and the vendor still gets 2xx", () =>
    withLogs((lines) =>
      Effect.gen(function* () {
        const done = yield* Deferred.make<void>()
        const base = yield* serve(
          WebhookReceiver.layer({
            decoders: [fake],
            secret,
            accessLog: false,
            onEvent: () => Effect.fail("boom").pipe(Effect.ensuring(Deferred.succeed(done, undefined)))
          })
        )
        expect((yield* post(`${base}/webhooks/fake/${SECRET}`, json({ statuses: ["f"] }))).status).toBe(200)
        yield* Deferred.await(done)
        yield* Effect.sleep("50 millis")
        expect(lines.some((line) => line.includes("event handler failed") && line.includes("eventId=status:f"))).toBe(
          true
        )
      }).pipe(Effect.scoped)
    )
  )
})

describe("memoryDedupeStore", () => {
  it.effect("claims an id once per window, by the Clock", () =>
    Effect.gen(function* () {
      const store = WebhookReceiver.memoryDedupeStore()
      const ttl = Duration.minutes(10)
      expect(yield* store.claim("a", ttl)).toBe(true)
      expect(yield* store.claim("a", ttl)).toBe(false)
      expect(yield* store.claim("b", ttl)).toBe(true)
      yield* TestClock.adjust("9 minutes")
      expect(yield* store.claim("a", ttl)).toBe(false)
      yield* TestClock.adjust("1 minute")
      expect(yield* store.claim("a", ttl)).toBe(true)
      expect(yield* store.claim("b", ttl)).toBe(true)
    })
  )

  it.effect("stays bounded, forgetting the oldest ids first", () =>
    Effect.gen(function* () {
      const store = WebhookReceiver.memoryDedupeStore({ maxEntries: 2 })
      const ttl = Duration.minutes(10)
      yield* store.claim("a", ttl)
      yield* store.claim("b", ttl)
      yield* store.claim("c", ttl)
      expect(yield* store.claim("c", ttl)).toBe(false)
      expect(yield* store.claim("a", ttl)).toBe(true)
    })
  )
})

describe("decodeWith", () => {
  const context = { receivedAt: new Date(0) }
  it("prefers the first decoder that recognises the payload", () => {
    expect(WebhookReceiver.decodeWith([fake, other], { other: "x" }, context)[0]?._tag).toBe("ConnectionUpdate")
    expect(WebhookReceiver.decodeWith([other, fake], { statuses: ["y"] }, context)[0]?._tag).toBe("MessageStatus")
  })
  it("falls back to the first decoder's Unknown", () => {
    const events = WebhookReceiver.decodeWith([fake, other], 42, context)
    expect(events.map((event) => [event._tag, event.provider])).toEqual([["Unknown", "fake"]])
  })
})
