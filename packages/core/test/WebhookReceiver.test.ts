import { createHmac, randomBytes } from "node:crypto"
import { createServer, type Server } from "node:http"
import { type AddressInfo, connect, type Socket } from "node:net"
import { gzipSync } from "node:zlib"
import { NodeHttpServer } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import {
  Cause,
  Clock,
  Deferred,
  Duration,
  Effect,
  Exit,
  Fiber,
  Layer,
  Logger,
  Queue,
  Redacted,
  Ref,
  Scope,
  Tracer
} from "effect"
import { HttpRouter, HttpServer } from "effect/http"
import { TestClock } from "effect/testing"
import fc from "fast-check"
import { WebhookDecoder as Decoders, PayloadHash, WhatsAppEvent } from "../src/index.ts"
import * as WebhookReceiver from "../src/WebhookReceiver.ts"

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

/** A signature over the body bytes, as Meta's `X-Hub-Signature-256` is one. */
const sign = (key: string, body: string | Uint8Array) => createHmac("sha256", key).update(body).digest("hex")
const signedBy = (key: string): WebhookReceiver.WebhookSignature => ({
  verify: (headers, body) => headers["x-signature"] === sign(key, body),
  handshake: (query) => (query.get("hub.verify_token") === "token" ? (query.get("hub.challenge") ?? "") : undefined)
})

/** Serves a router layer on an ephemeral localhost port for the rest of the test's scope. */
const serve = <E, R>(
  app: Layer.Layer<never, E, R>,
  server: () => ReturnType<typeof createServer> = createServer,
  options: { readonly gracefulShutdownTimeout?: Duration.Input } = {}
) =>
  Effect.gen(function* () {
    const context = yield* Layer.build(
      HttpRouter.serve(app, { disableListenLog: true }).pipe(
        Layer.provideMerge(NodeHttpServer.layer(server, { port: 0, host: "127.0.0.1", ...options }))
      )
    )
    return yield* HttpServer.addressFormattedWith(Effect.succeed).pipe(Effect.provideContext(context))
  })

type ReceiverOptions = WebhookReceiver.LayerOptions<unknown>

/** One of the receiver's entry points: serves the receiver of `options` on a fresh localhost server. */
interface Entry {
  readonly name: string
  /**
   * The base URL. With `receiverScope`, the receiver is built (and shut down) there, its server
   * outliving it; otherwise both live for the rest of the test's scope.
   */
  readonly serve: (
    options: ReceiverOptions,
    server?: () => Server,
    receiverScope?: Scope.Scope
  ) => Effect.Effect<string, unknown, Scope.Scope>
}

const effectRoute: Entry = {
  name: "effect route (WebhookReceiver.layer on NodeHttpServer)",
  serve: (options, server = createServer, receiverScope) =>
    receiverScope === undefined
      ? serve(WebhookReceiver.layer(options), server)
      : Effect.gen(function* () {
          // `make`, mounted by hand in a router that outlives it.
          const handler = yield* WebhookReceiver.make(options).pipe(Scope.provide(receiverScope))
          return yield* serve(
            HttpRouter.use((router) => router.add("POST", "/webhooks/fake/*", handler)),
            server,
            { gracefulShutdownTimeout: "100 millis" }
          )
        })
}

const nodeListener: Entry = {
  name: "node listener (WebhookReceiver.toNodeListener on node:http)",
  serve: (options, server = createServer, receiverScope) =>
    Effect.gen(function* () {
      const build = WebhookReceiver.toNodeListener(options)
      const listener = yield* receiverScope === undefined ? build : build.pipe(Scope.provide(receiverScope))
      const http = server()
      http.on("request", listener)
      yield* Effect.acquireRelease(
        Effect.callback<void>((resume) => {
          http.listen(0, "127.0.0.1", () => resume(Effect.void))
        }),
        () =>
          Effect.callback<void>((resume) => {
            http.close(() => resume(Effect.void))
            http.closeAllConnections()
          })
      )
      return `http://127.0.0.1:${(http.address() as AddressInfo).port}`
    })
}

/** Both entry points: every behaviour below is pinned for each. */
const entries: ReadonlyArray<Entry> = [effectRoute, nodeListener]

/** A receiver whose handler pushes every event into a queue (access log off: quiet tests). */
const receiverOf =
  (entry: Entry) =>
  (options: Partial<WebhookReceiver.HandlerOptions<unknown>> & { basePath?: `/${string}` } = {}) =>
    Effect.gen(function* () {
      const events = yield* Queue.unbounded<WhatsAppEvent.WhatsAppEvent>()
      const base = yield* entry.serve({
        decoders: [fake],
        secret,
        onEvent: (event) => Queue.offer(events, event),
        accessLog: false,
        ...options
      })
      return { base, events }
    })

const post = (url: string, body: RequestInit["body"], headers: Record<string, string> = {}) =>
  Effect.promise(async () => {
    const response = await fetch(url, {
      method: "POST",
      body: body ?? null,
      headers: { "content-type": "application/json", ...headers }
    })
    return { status: response.status, text: await response.text(), retryAfter: response.headers.get("retry-after") }
  })

const request = (url: string, method: string) => Effect.promise(async () => (await fetch(url, { method })).status)

const json = (value: unknown) => JSON.stringify(value)

const drain = <A>(queue: Queue.Queue<A>) => Effect.map(Queue.clear(queue), (items) => [...items])

/** Collects every log line (logfmt, annotations included) written while `effect` runs. */
const withLogs = <A, E, R>(f: (lines: ReadonlyArray<string>) => Effect.Effect<A, E, R>) => {
  const lines: Array<string> = []
  const collector = Logger.make((options) => {
    lines.push(Logger.formatLogFmt.log(options))
  })
  return f(lines).pipe(Effect.provide(Logger.layer([collector])))
}

/** Records every span the server makes while `effect` runs (installed where the server runs). */
const withSpans = <A, E, R>(f: (spans: ReadonlyArray<Tracer.NativeSpan>) => Effect.Effect<A, E, R>) => {
  const spans: Array<Tracer.NativeSpan> = []
  const tracer = Tracer.make({
    span(options) {
      const span = new Tracer.NativeSpan(options)
      spans.push(span)
      return span
    }
  })
  return f(spans).pipe(Effect.withTracer(tracer))
}

/** Everything a span exporter could render: name, attributes, events and the error it ended with. */
const renderSpan = (span: Tracer.NativeSpan): string => {
  const parts = [span.name, ...[...span.attributes].map(([key, value]) => `${key}=${String(value)}`)]
  if (span.status._tag === "Ended" && Exit.isFailure(span.status.exit)) {
    parts.push(Cause.pretty(span.status.exit.cause))
    for (const reason of span.status.exit.cause.reasons) {
      if (reason._tag === "Fail") parts.push(String(reason.error), JSON.stringify(reason.error))
    }
  }
  return parts.join("\n")
}

// Every kind of request that reaches the receiver's routes, with the secret in its URL.
const traffic = (base: string) =>
  Effect.gen(function* () {
    expect((yield* post(`${base}/webhooks/fake/${SECRET}`, json({ statuses: ["ok"] }))).status).toBe(200)
    expect((yield* post(`${base}/webhooks/fake/${SECRET}`, json({ statuses: ["fail"] }))).status).toBe(500)
    expect((yield* post(`${base}/webhooks/fake/${SECRET}-wrong`, json({ statuses: ["a"] }))).status).toBe(401)
    expect((yield* post(`${base}/webhooks/fake/${SECRET}`, "{not json")).status).toBe(400)
    expect(yield* request(`${base}/webhooks/fake/${SECRET}`, "GET")).toBe(404)
    expect(yield* request(`${base}/webhooks/fake/${SECRET}`, "PUT")).toBe(404)
    expect(yield* request(`${base}/webhooks/nope/${SECRET}`, "POST")).toBe(404)
    expect(yield* request(`${base}/webhooks/fake/${SECRET}/extra`, "GET")).toBe(404)
    expect(yield* request(`${base}/webhooks/${SECRET}`, "POST")).toBe(404)
    // Outside the receiver's routes: a vendor pointed at a mistyped URL.
    expect(yield* request(`${base}/webhook/fake/${SECRET}`, "POST")).toBe(404)
    expect(yield* request(`${base}/elsewhere/${SECRET}?page=1`, "GET")).toBe(404)
  })
const failing = (event: WhatsAppEvent.WhatsAppEvent) => (event.id === "status:fail" ? Effect.fail("boom") : Effect.void)

describe("building a receiver", () => {
  it("refuses, when built, a secret that cannot work, saying why and never quoting it", async () => {
    const cases: ReadonlyArray<[string, WebhookReceiver.SecretLocation, string]> = [
      ["", "path", "must not be empty"],
      ["x".repeat(WebhookReceiver.maxSecretLength + 1), "path", "at most 4096"],
      ["x".repeat(WebhookReceiver.maxSecretLength + 1), { header: "x-secret" }, "at most 4096"],
      ["abc/def+ghi=", "path", "may only hold A-Z a-z 0-9"]
    ]
    for (const [value, secretIn, message] of cases) {
      const build = WebhookReceiver.make({
        decoders: [fake],
        secret: Redacted.make(value),
        secretIn,
        onEvent: () => Effect.void
      })
      const exit = await Effect.runPromiseExit(Effect.scoped(build))
      expect(exit._tag).toBe("Failure")
      const rendered = Exit.isFailure(exit) ? Cause.pretty(exit.cause) : ""
      expect(rendered).toContain(message)
      expect(value !== "" && rendered.includes(value)).toBe(false)
    }
    // The same characters are fine in a header.
    const header = WebhookReceiver.make({
      decoders: [fake],
      secret: Redacted.make("abc/def+ghi="),
      secretIn: { header: "x-secret" },
      onEvent: () => Effect.void
    })
    expect((await Effect.runPromiseExit(Effect.scoped(header)))._tag).toBe("Success")
  })
  it("uses the documented defaults and refuses inconsistent timeouts", () => {
    const server = createServer(WebhookReceiver.serverOptions())
    expect([server.headersTimeout, server.requestTimeout, server.keepAliveTimeout]).toEqual([10_000, 30_000, 5_000])
    expect(() => WebhookReceiver.serverOptions({ headersTimeout: "1 minute", requestTimeout: "10 seconds" })).toThrow(
      /headersTimeout must not exceed requestTimeout/
    )
    expect(() => WebhookReceiver.serverOptions({ keepAliveTimeout: "0 millis" })).toThrow(/keepAliveTimeout/)
  })
})

describe("make: a handler mounted by hand", () => {
  it.live("path mode: a route without the wildcard secret segment gets 401", () =>
    Effect.gen(function* () {
      const base = yield* serve(
        HttpRouter.use(
          Effect.fnUntraced(function* (router) {
            const handler = yield* WebhookReceiver.make({ decoders: [fake], secret, onEvent: () => Effect.void })
            yield* router.add("POST", "/bare", handler)
            yield* router.add("POST", "/mounted/*", handler)
          })
        )
      )
      expect((yield* post(`${base}/bare`, json({ statuses: ["a"] }))).status).toBe(401)
      expect((yield* post(`${base}/mounted/${SECRET}`, json({ statuses: ["a"] }))).status).toBe(200)
    }).pipe(Effect.scoped)
  )
})

describe.each(entries)("$name", (entry) => {
  const receiver = receiverOf(entry)

  describe("authentication", () => {
    it.live("path mode: a wrong secret gets 401, the right one 200", () =>
      Effect.gen(function* () {
        const { base, events } = yield* receiver()
        expect((yield* post(`${base}/webhooks/fake/wrong`, json({ statuses: ["a"] }))).status).toBe(401)
        expect((yield* post(`${base}/webhooks/fake/${SECRET}x`, json({ statuses: ["a"] }))).status).toBe(401)
        expect((yield* post(`${base}/webhooks/fake/${SECRET}/x`, json({ statuses: ["a"] }))).status).toBe(401)
        expect(yield* drain(events)).toEqual([])
        expect((yield* post(`${base}/webhooks/fake/${SECRET}`, json({ statuses: ["a"] }))).status).toBe(200)
        expect((yield* drain(events)).map((event) => event.id)).toEqual(["status:a"])
      }).pipe(Effect.scoped)
    )

    it.live("path mode: secrets of any length up to the limit work (the router caps `:param`s at 100)", () =>
      Effect.gen(function* () {
        for (const long of [randomBytes(64).toString("hex"), "A".repeat(WebhookReceiver.maxSecretLength)]) {
          const { base, events } = yield* receiver({ secret: Redacted.make(long) })
          expect((yield* post(`${base}/webhooks/fake/${long}`, json({ statuses: ["long"] }))).status).toBe(200)
          expect((yield* drain(events)).map((event) => event.id)).toEqual(["status:long"])
          expect((yield* post(`${base}/webhooks/fake/${long.slice(1)}`, json({ statuses: ["x"] }))).status).toBe(401)
        }
      }).pipe(Effect.scoped)
    )

    it.live(
      "a signed provider: its own route checks the signature over the exact bytes, and answers the GET handshake",
      () =>
        Effect.gen(function* () {
          const { base, events } = yield* receiver({ decoders: [fake, other], signatures: { other: signedBy("key") } })
          const url = `${base}/webhooks/other`
          const body = json({ other: "signed" })
          expect((yield* post(url, body)).status).toBe(401)
          expect((yield* post(url, body, { "x-signature": sign("wrong", body) })).status).toBe(401)
          expect((yield* post(url, `${body} `, { "x-signature": sign("key", body) })).status).toBe(401)
          expect(yield* drain(events)).toEqual([])
          expect((yield* post(url, body, { "x-signature": sign("key", body) })).status).toBe(200)
          const gzipped = gzipSync(json({ other: "gzipped" }))
          const signed = { "x-signature": sign("key", json({ other: "gzipped" })), "content-encoding": "gzip" }
          expect((yield* post(url, gzipped, signed)).status).toBe(200)
          expect((yield* drain(events)).map((event) => [event.provider, event.id])).toEqual([
            ["other", "signed"],
            ["other", "gzipped"]
          ])
          // No secret in a signed route's URL; auto-detection serves the shared-secret vendors only
          // (one here: no auto-detecting route), whose own route keeps the secret.
          expect((yield* post(`${url}/${SECRET}`, body, { "x-signature": sign("key", body) })).status).toBe(404)
          expect((yield* post(`${base}/webhooks/${SECRET}`, body)).status).toBe(404)
          expect((yield* post(`${base}/webhooks/fake/${SECRET}`, json({ statuses: ["s"] }))).status).toBe(200)
          expect((yield* Queue.take(events)).id).toBe("status:s")
          // The vendor's GET check of the URL: its challenge with the right token, 403 otherwise.
          const handshake = (query: string) =>
            Effect.promise(async () => {
              const response = await fetch(`${url}?${query}`)
              return [response.status, await response.text()]
            })
          expect(yield* handshake("hub.verify_token=token&hub.challenge=1158201444")).toEqual([200, "1158201444"])
          expect(yield* handshake("hub.verify_token=nope&hub.challenge=1158201444")).toEqual([403, "forbidden"])
          expect(yield* request(url, "PUT")).toBe(404)
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
  })

  describe("the secret in the path is never rendered", () => {
    it.live("not in any log line, access log included, for any method or unmatched route", () =>
      withLogs((lines) =>
        Effect.gen(function* () {
          const { base } = yield* receiver({ accessLog: true, onEvent: failing })
          yield* traffic(base)
          expect(lines.filter((line) => line.includes("http.route=/webhooks/fake/<redacted>"))).toHaveLength(4)
          expect(lines.filter((line) => line.includes("http.route=/webhooks/<redacted>"))).toHaveLength(5)
          expect(lines.filter((line) => line.includes("http.url=/webhook/fake/<redacted>"))).toHaveLength(1)
          expect(lines.filter((line) => line.includes("http.url=/elsewhere/<redacted>"))).toHaveLength(1)
          expect(lines.filter((line) => line.includes(SECRET))).toEqual([])
        }).pipe(Effect.scoped)
      )
    )
  })

  describe("bodies", () => {
    it.live("a good call gets 2xx and the handler receives every decoded event", () =>
      Effect.gen(function* () {
        const { base, events } = yield* receiver()
        const response = yield* post(`${base}/webhooks/fake/${SECRET}`, json({ statuses: ["m1", "m2"] }), {
          "content-type": "application/json"
        })
        expect(response.status).toBe(200)
        const received = yield* drain(events)
        expect(received.map((event) => [event._tag, event.id])).toEqual([
          ["MessageStatus", "status:m1"],
          ["MessageStatus", "status:m2"]
        ])
        expect(received[0]?.raw).toEqual({ statuses: ["m1", "m2"] })
      }).pipe(Effect.scoped)
    )

    it.live("a gzip body is accepted", () =>
      Effect.gen(function* () {
        const { base, events } = yield* receiver()
        const response = yield* post(`${base}/webhooks/fake/${SECRET}`, gzipSync(json({ statuses: ["gz"] })), {
          "content-encoding": "gzip",
          "content-type": "application/json"
        })
        expect(response.status).toBe(200)
        expect((yield* drain(events)).map((event) => event.id)).toEqual(["status:gz"])
      }).pipe(Effect.scoped)
    )

    it.live("a non-JSON content type gets 415 and never reaches the handler", () =>
      Effect.gen(function* () {
        const { base, events } = yield* receiver()
        const url = `${base}/webhooks/fake/${SECRET}`
        const refused = [
          "text/plain",
          "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=x",
          "application/xml",
          "application/json; charset=iso-8859-1"
        ]
        for (const type of refused) {
          expect([type, (yield* post(url, json({ statuses: [type] }), { "content-type": type })).status]).toEqual([
            type,
            415
          ])
        }
        expect(yield* drain(events)).toEqual([])
        const accepted = ["application/json", "Application/JSON; charset=UTF-8", "application/vnd.vendor+json"]
        for (const type of accepted) {
          expect((yield* post(url, json({ statuses: [type] }), { "content-type": type })).status).toBe(200)
        }
        // Without a Content-Type the body is read as JSON.
        const untyped = yield* Effect.promise(() =>
          fetch(url, { method: "POST", body: new Blob([json({ statuses: ["none"] })]) })
        )
        expect(untyped.status).toBe(200)
        expect((yield* drain(events)).map((event) => event.id)).toEqual([...accepted, "none"].map((t) => `status:${t}`))
      }).pipe(Effect.scoped)
    )

    it.live("invalid UTF-8 gets 400 instead of being replaced silently", () =>
      withLogs((lines) =>
        Effect.gen(function* () {
          const { base, events } = yield* receiver()
          const url = `${base}/webhooks/fake/${SECRET}`
          const invalid = Buffer.concat([
            Buffer.from('{"statuses":["caf'),
            Buffer.from([0xc3, 0x28]),
            Buffer.from('"]}')
          ])
          const headers = { "content-type": "application/json" }
          expect((yield* post(url, invalid, headers)).status).toBe(400)
          expect((yield* post(url, gzipSync(invalid), { ...headers, "content-encoding": "gzip" })).status).toBe(400)
          expect(yield* drain(events)).toEqual([])
          expect(lines.filter((line) => line.includes("not valid UTF-8"))).toHaveLength(2)
          expect((yield* post(url, json({ statuses: ["café"] }), headers)).status).toBe(200)
          expect((yield* drain(events)).map((event) => event.id)).toEqual(["status:café"])
        }).pipe(Effect.scoped)
      )
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
        expect((yield* drain(events)).map((event) => event.id)).toEqual(["status:small"])
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

  describe("delivery: the vendor gets 2xx only once the events were handled", () => {
    it.live("the answer waits for the handler", () =>
      Effect.gen(function* () {
        const started = yield* Deferred.make<void>()
        const release = yield* Deferred.make<void>()
        const order: Array<string> = []
        const { base } = yield* receiver({
          onEvent: (event) =>
            Deferred.succeed(started, undefined).pipe(
              Effect.andThen(Deferred.await(release)),
              Effect.andThen(Effect.sync(() => order.push(`handled ${event.id}`)))
            )
        })
        const call = yield* Effect.forkChild(post(`${base}/webhooks/fake/${SECRET}`, json({ statuses: ["slow"] })))
        yield* Deferred.await(started)
        yield* Effect.sleep("100 millis")
        expect(call.pollUnsafe()).toBeUndefined()
        yield* Deferred.succeed(release, undefined)
        const response = yield* Fiber.join(call)
        order.push(`answered ${response.status}`)
        expect(order).toEqual(["handled status:slow", "answered 200"])
      }).pipe(Effect.scoped)
    )

    it.live("a failing handler gets 500 and is logged; the redelivery is handled, then deduped", () =>
      withLogs((lines) =>
        Effect.gen(function* () {
          const calls = yield* Ref.make<Array<string>>([])
          const { base } = yield* receiver({
            onEvent: (event) =>
              Ref.getAndUpdate(calls, (all) => [...all, event.id]).pipe(
                Effect.flatMap((before) => (before.length === 0 ? Effect.fail("boom") : Effect.void))
              )
          })
          const url = `${base}/webhooks/fake/${SECRET}`
          expect((yield* post(url, json({ statuses: ["f"] }))).status).toBe(500)
          expect(lines.some((line) => line.includes("event handler failed") && line.includes("eventId=status:f"))).toBe(
            true
          )
          expect((yield* post(url, json({ statuses: ["f"] }))).status).toBe(200)
          expect((yield* post(url, json({ statuses: ["f"] }))).status).toBe(200)
          expect(yield* Ref.get(calls)).toEqual(["status:f", "status:f"])
        }).pipe(Effect.scoped)
      )
    )

    it.live("one call with several events: 5xx until all are handled, each handled once", () =>
      Effect.gen(function* () {
        const calls = yield* Ref.make<Array<string>>([])
        let failSecond = true
        const { base } = yield* receiver({
          onEvent: (event) =>
            Effect.andThen(
              Ref.update(calls, (all) => [...all, event.id]),
              event.id === "status:two" && failSecond ? Effect.fail("down") : Effect.void
            )
        })
        const url = `${base}/webhooks/fake/${SECRET}`
        const body = json({ statuses: ["one", "two", "three"] })
        expect((yield* post(url, body)).status).toBe(500)
        expect(yield* Ref.get(calls)).toEqual(["status:one", "status:two"])
        failSecond = false
        expect((yield* post(url, body)).status).toBe(200)
        expect(yield* Ref.get(calls)).toEqual(["status:one", "status:two", "status:two", "status:three"])
      }).pipe(Effect.scoped)
    )

    it.live("the same event twice reaches the handler once; after the window, again", () =>
      Effect.gen(function* () {
        const { base, events } = yield* receiver({ dedupeWindow: "300 millis" })
        const url = `${base}/webhooks/fake/${SECRET}`
        expect((yield* post(url, json({ statuses: ["dup"] }))).status).toBe(200)
        expect((yield* post(url, json({ statuses: ["dup"] }))).status).toBe(200)
        expect((yield* post(url, json({ statuses: ["next"] }))).status).toBe(200)
        expect((yield* drain(events)).map((event) => event.id)).toEqual(["status:dup", "status:next"])
        yield* Effect.sleep("400 millis")
        expect((yield* post(url, json({ statuses: ["dup"] }))).status).toBe(200)
        expect((yield* drain(events)).map((event) => event.id)).toEqual(["status:dup"])
      }).pipe(Effect.scoped)
    )

    it.live("a redelivery while the first delivery is still being handled gets 503 with Retry-After", () =>
      Effect.gen(function* () {
        const started = yield* Deferred.make<void>()
        const release = yield* Deferred.make<void>()
        const calls = yield* Ref.make(0)
        const { base } = yield* receiver({
          retryAfter: "7 seconds",
          onEvent: () =>
            Ref.update(calls, (n) => n + 1).pipe(
              Effect.andThen(Deferred.succeed(started, undefined)),
              Effect.andThen(Deferred.await(release))
            )
        })
        const url = `${base}/webhooks/fake/${SECRET}`
        const first = yield* Effect.forkChild(post(url, json({ statuses: ["r"] })))
        yield* Deferred.await(started)
        const second = yield* post(url, json({ statuses: ["r"] }))
        expect([second.status, second.retryAfter]).toEqual([503, "7"])
        yield* Deferred.succeed(release, undefined)
        expect((yield* Fiber.join(first)).status).toBe(200)
        expect((yield* post(url, json({ statuses: ["r"] }))).status).toBe(200)
        expect(yield* Ref.get(calls)).toBe(1)
      }).pipe(Effect.scoped)
    )

    it.live("a vendor hanging up does not interrupt the handler; its redelivery is then a duplicate", () =>
      Effect.gen(function* () {
        const started = yield* Deferred.make<void>()
        const release = yield* Deferred.make<void>()
        const handled = yield* Deferred.make<string>()
        const calls = yield* Ref.make(0)
        const { base } = yield* receiver({
          onEvent: (event) =>
            Ref.update(calls, (n) => n + 1).pipe(
              Effect.andThen(Deferred.succeed(started, undefined)),
              Effect.andThen(Deferred.await(release)),
              Effect.andThen(Deferred.succeed(handled, event.id))
            )
        })
        const url = `${base}/webhooks/fake/${SECRET}`
        const abort = new AbortController()
        const hungUp = Effect.promise(() =>
          fetch(url, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: json({ statuses: ["h"] }),
            signal: abort.signal
          }).then(
            () => "answered",
            () => "aborted"
          )
        )
        const call = yield* Effect.forkChild(hungUp)
        yield* Deferred.await(started)
        abort.abort()
        expect(yield* Fiber.join(call)).toBe("aborted")
        yield* Effect.sleep("100 millis")
        yield* Deferred.succeed(release, undefined)
        expect(yield* Deferred.await(handled)).toBe("status:h")
        expect((yield* post(url, json({ statuses: ["h"] }))).status).toBe(200)
        expect(yield* Ref.get(calls)).toBe(1)
      }).pipe(Effect.scoped)
    )

    it.live("above maxInFlight the vendor gets 503 with Retry-After instead of a queue", () =>
      Effect.gen(function* () {
        const release = yield* Deferred.make<void>()
        const started = yield* Queue.unbounded<string>()
        const { base } = yield* receiver({
          maxInFlight: 2,
          onEvent: (event) => Queue.offer(started, event.id).pipe(Effect.andThen(Deferred.await(release)))
        })
        const url = `${base}/webhooks/fake/${SECRET}`
        const first = yield* Effect.forkChild(post(url, json({ statuses: ["1"] })))
        const second = yield* Effect.forkChild(post(url, json({ statuses: ["2"] })))
        yield* Queue.take(started)
        yield* Queue.take(started)
        const third = yield* post(url, json({ statuses: ["3"] }))
        expect([third.status, third.retryAfter]).toEqual([503, "5"])
        // Unauthenticated calls are answered 401 whatever the load.
        expect((yield* post(`${base}/webhooks/fake/wrong`, json({ statuses: ["x"] }))).status).toBe(401)
        yield* Deferred.succeed(release, undefined)
        expect([(yield* Fiber.join(first)).status, (yield* Fiber.join(second)).status]).toEqual([200, 200])
        expect((yield* post(url, json({ statuses: ["3"] }))).status).toBe(200)
        expect(yield* drain(started)).toEqual(["status:3"])
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
        expect((yield* post(`${base}/webhooks/wrong`, json({ other: "c2" }))).status).toBe(401)
        // The per-provider routes use only their own decoder.
        expect((yield* post(`${base}/webhooks/other/${SECRET}`, json({ statuses: ["s2"] }))).status).toBe(200)
        expect(yield* Queue.take(events)).toMatchObject({ _tag: "Unknown", provider: "other" })
        expect(yield* drain(events)).toEqual([])
      }).pipe(Effect.scoped)
    )

    it.live("header mode with several decoders auto-detects at the base path", () =>
      Effect.gen(function* () {
        const { base, events } = yield* receiver({ decoders: [fake, other], secretIn: { header: "x-secret" } })
        expect((yield* post(`${base}/webhooks`, json({ other: "h" }), { "x-secret": SECRET })).status).toBe(200)
        expect(yield* Queue.take(events)).toMatchObject({ _tag: "ConnectionUpdate", id: "h" })
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
        expect(event.id).toMatch(/^broken:-:unknown:[0-9a-f]{32}$/)
        expect(event).toMatchObject({ reason: "the broken decoder failed (a bug in Pombo): bug" })
      }).pipe(Effect.scoped)
    )
  })

  describe("store mode: a sink in place of the handler", () => {
    it.live("the answer follows what the sink says: accepted 200, busy 503, failed 500", () =>
      Effect.gen(function* () {
        const stored: Array<string> = []
        let answer: WebhookReceiver.Acceptance = "accepted"
        const base = yield* entry.serve({
          decoders: [fake],
          secret,
          accessLog: false,
          sink: {
            accept: (events) =>
              Effect.sync(() => {
                if (answer === "accepted") stored.push(...events.map((event) => event.id))
                return answer
              })
          }
        })
        const url = `${base}/webhooks/fake/${SECRET}`
        expect((yield* post(url, json({ statuses: ["a", "b"] }))).status).toBe(200)
        answer = "busy"
        const busy = yield* post(url, json({ statuses: ["c"] }))
        expect([busy.status, busy.retryAfter]).toEqual([503, "5"])
        answer = "failed"
        expect((yield* post(url, json({ statuses: ["c"] }))).status).toBe(500)
        expect(stored).toEqual(["status:a", "status:b"])
      }).pipe(Effect.scoped)
    )
  })

  describe("shutdown", () => {
    /** The receiver on a server that outlives the receiver's own scope. */
    const mounted = (options: Partial<WebhookReceiver.HandlerOptions<unknown>>) =>
      Effect.gen(function* () {
        const receiverScope = yield* Scope.make()
        const base = yield* entry.serve(
          { decoders: [fake], secret, accessLog: false, onEvent: () => Effect.void, ...options },
          createServer,
          receiverScope
        )
        return { url: `${base}/webhooks/fake/${SECRET}`, receiverScope }
      })

    it.live("waits for the calls in flight, answers 503 to new ones meanwhile", () =>
      Effect.gen(function* () {
        const started = yield* Deferred.make<void>()
        const release = yield* Deferred.make<void>()
        const { url, receiverScope } = yield* mounted({
          shutdownTimeout: "20 seconds",
          onEvent: () => Deferred.succeed(started, undefined).pipe(Effect.andThen(Deferred.await(release)))
        })
        const inFlight = yield* Effect.forkChild(post(url, json({ statuses: ["in-flight"] })))
        yield* Deferred.await(started)
        const closing = yield* Effect.forkChild(Scope.close(receiverScope, Exit.void))
        yield* Effect.sleep("100 millis")
        const refused = yield* post(url, json({ statuses: ["late"] }))
        expect([refused.status, refused.retryAfter]).toEqual([503, "5"])
        expect(closing.pollUnsafe()).toBeUndefined()
        yield* Deferred.succeed(release, undefined)
        expect((yield* Fiber.join(inFlight)).status).toBe(200)
        yield* Fiber.join(closing)
      }).pipe(Effect.scoped)
    )

    it.live("interrupts handlers still running at the deadline, releasing their events for redelivery", () =>
      Effect.gen(function* () {
        const started = yield* Deferred.make<void>()
        const interrupted = yield* Deferred.make<void>()
        const released: Array<string> = []
        const store = WebhookReceiver.memoryDedupeStore()
        const { url, receiverScope } = yield* mounted({
          shutdownTimeout: "300 millis",
          dedupeStore: {
            ...store,
            release: (id) =>
              Effect.andThen(
                Effect.sync(() => released.push(id)),
                store.release(id)
              )
          },
          onEvent: () =>
            Deferred.succeed(started, undefined).pipe(
              Effect.andThen(Effect.never),
              Effect.onInterrupt(() => Deferred.succeed(interrupted, undefined))
            )
        })
        const inFlight = yield* Effect.forkChild(post(url, json({ statuses: ["stuck"] })))
        yield* Deferred.await(started)
        const startedAt = Date.now()
        yield* Scope.close(receiverScope, Exit.void)
        const tookMillis = Date.now() - startedAt
        expect(yield* Deferred.isDone(interrupted)).toBe(true)
        expect(released).toEqual(["fake:status:stuck"])
        expect(tookMillis).toBeGreaterThanOrEqual(250)
        expect(tookMillis).toBeLessThan(10_000)
        const answer = yield* Fiber.join(inFlight)
        expect([answer.status, answer.retryAfter]).toEqual([503, "5"])
      }).pipe(Effect.scoped)
    )
  })

  describe("serverOptions: slow clients are cut off", () => {
    const timeouts = { headersTimeout: "1 second", requestTimeout: "2 seconds", keepAliveTimeout: "1 second" } as const

    /** Opens a socket that sends `head`, then `drip` every 100 ms, until the server closes it. */
    const slowClient = (port: number, head: string, drip: string) =>
      new Promise<{ readonly millis: number; readonly answer: string }>((resolve) => {
        const openedAt = Date.now()
        let answer = ""
        const socket: Socket = connect(port, "127.0.0.1", () => socket.write(head))
        const timer = setInterval(() => socket.writable && drip !== "" && socket.write(drip), 100)
        socket.on("data", (data) => {
          answer += String(data)
        })
        socket.on("error", () => {})
        socket.on("close", () => {
          clearInterval(timer)
          resolve({ millis: Date.now() - openedAt, answer })
        })
      })

    it.live("sockets dribbling headers, or a body, or idling after a call are closed within the bounds", () =>
      Effect.gen(function* () {
        const base = yield* entry.serve(
          { decoders: [fake], secret, accessLog: false, onEvent: () => Effect.void },
          () => createServer(WebhookReceiver.serverOptions(timeouts))
        )
        const port = Number(new URL(base).port)
        const path = `/webhooks/fake/${SECRET}`
        const headers = Array.from({ length: 40 }, () =>
          slowClient(port, `POST ${path} HTTP/1.1\r\nHost: x\r\n`, "X-Slow: 1\r\n")
        )
        const bodies = Array.from({ length: 40 }, () =>
          slowClient(
            port,
            `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n`,
            " "
          )
        )
        const idle = slowClient(
          port,
          `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
          ""
        )
        const [headerClients, bodyClients, idleClient] = yield* Effect.promise(() =>
          Promise.all([Promise.all(headers), Promise.all(bodies), idle])
        )
        // Cut off by the timeouts (408), within generous bounds: the timeout, plus Node's check
        // interval, plus scheduling on a busy machine.
        for (const client of [...headerClients, ...bodyClients]) {
          expect(client.answer).toMatch(/^HTTP\/1\.1 408 /)
        }
        expect(Math.max(...headerClients.map((client) => client.millis))).toBeLessThan(8_000)
        expect(Math.max(...bodyClients.map((client) => client.millis))).toBeLessThan(10_000)
        // The idle keep-alive connection got its answer, then was closed.
        expect(idleClient.answer).toMatch(/^HTTP\/1\.1 200 /)
        expect(idleClient.millis).toBeLessThan(8_000)
      }).pipe(Effect.scoped)
    )
  })
})

describe("spans: the URL never in them", () => {
  it.live("effect route: the server span's url.full and url.path hold the redacted route, errors too", () =>
    withSpans((spans) =>
      Effect.gen(function* () {
        const { base } = yield* receiverOf(effectRoute)({ onEvent: failing })
        yield* traffic(base)
        const server = spans.filter((span) => span.kind === "server")
        expect(server).toHaveLength(11)
        expect(server.filter((span) => span.status._tag === "Ended")).toHaveLength(11)
        expect(server.map((span) => span.attributes.get("url.path"))).toContain("/elsewhere/<redacted>")
        expect(server.map((span) => span.attributes.get("url.path"))).toContain("/webhooks/fake/<redacted>")
        expect(server.find((span) => span.attributes.get("http.response.status_code") === 500)).toBeDefined()
        expect(String(server[0]?.attributes.get("url.full"))).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhooks\//)
        expect(spans.map(renderSpan).filter((text) => text.includes(SECRET))).toEqual([])
      }).pipe(Effect.scoped)
    )
  )

  it.live("node listener: each admitted call has a server span naming the route, the handler's inside it", () =>
    withSpans((spans) =>
      Effect.gen(function* () {
        const { base } = yield* receiverOf(nodeListener)({
          onEvent: (event) => Effect.withSpan(failing(event), "handler")
        })
        yield* traffic(base)
        const server = spans.filter((span) => span.kind === "server")
        // The calls that passed the checks: 200, 500 (the handler failed) and 400 (malformed JSON).
        expect(server.map((span) => span.attributes.get("http.response.status_code"))).toEqual([200, 500, 400])
        expect(new Set(server.map((span) => span.attributes.get("http.route")))).toEqual(
          new Set(["/webhooks/fake/<redacted>"])
        )
        const handlers = spans.filter((span) => span.name === "handler")
        expect(handlers.map((span) => span.parent._tag === "Some" && span.parent.value)).toEqual(server.slice(0, 2))
        expect(spans.map(renderSpan).filter((text) => text.includes(SECRET))).toEqual([])
      }).pipe(Effect.scoped)
    )
  )
})

describe("memoryDedupeStore", () => {
  it.effect("a claimed id is busy until committed, then a duplicate for the window, by the Clock", () =>
    Effect.gen(function* () {
      const store = WebhookReceiver.memoryDedupeStore()
      const ttl = Duration.minutes(10)
      expect(yield* store.claim("a", ttl)).toBe("fresh")
      expect(yield* store.claim("a", ttl)).toBe("busy")
      yield* store.commit("a", ttl)
      expect(yield* store.claim("a", ttl)).toBe("duplicate")
      expect(yield* store.claim("b", ttl)).toBe("fresh")
      yield* store.commit("b", ttl)
      yield* TestClock.adjust("9 minutes")
      expect(yield* store.claim("a", ttl)).toBe("duplicate")
      yield* TestClock.adjust("1 minute")
      expect(yield* store.claim("a", ttl)).toBe("fresh")
      expect(yield* store.claim("b", ttl)).toBe("fresh")
    })
  )

  it.effect("a released id can be claimed again at once", () =>
    Effect.gen(function* () {
      const store = WebhookReceiver.memoryDedupeStore()
      const ttl = Duration.minutes(10)
      expect(yield* store.claim("a", ttl)).toBe("fresh")
      yield* store.release("a")
      expect(yield* store.claim("a", ttl)).toBe("fresh")
      // Releasing a handled id does not forget it.
      yield* store.commit("a", ttl)
      yield* store.release("a")
      expect(yield* store.claim("a", ttl)).toBe("duplicate")
    })
  )

  it.effect("stays bounded, forgetting the oldest handled ids first and never one being handled", () =>
    Effect.gen(function* () {
      const store = WebhookReceiver.memoryDedupeStore({ maxEntries: 2 })
      const ttl = Duration.minutes(10)
      yield* store.claim("pending", ttl)
      for (const id of ["a", "b", "c"]) {
        yield* store.claim(id, ttl)
        yield* store.commit(id, ttl)
      }
      expect(yield* store.claim("pending", ttl)).toBe("busy")
      expect(yield* store.claim("c", ttl)).toBe("duplicate")
      expect(yield* store.claim("a", ttl)).toBe("fresh")
    })
  )
})

describe("memoryDedupeStore against its specification", () => {
  /**
   * The store as specified, the slow way: one map in insertion order, expired ids swept from its
   * front, the oldest handled id forgotten past the bound (the store itself keeps a queue).
   */
  const specified = (maxEntries: number) => {
    const entries = new Map<string, number>()
    const bound = () => {
      while (entries.size > maxEntries) {
        const oldest = [...entries].find(([, expiresAt]) => expiresAt !== -1)
        if (oldest === undefined) return
        entries.delete(oldest[0])
      }
    }
    return {
      claim: (id: string, now: number): WebhookReceiver.Claim => {
        for (const [key, expiresAt] of [...entries]) {
          if (expiresAt === -1) continue
          if (expiresAt > now) break
          entries.delete(key)
        }
        const expiresAt = entries.get(id)
        if (expiresAt === -1) return "busy"
        if (expiresAt !== undefined && expiresAt > now) return "duplicate"
        entries.delete(id)
        entries.set(id, -1)
        bound()
        return "fresh"
      },
      commit: (id: string, now: number, ttl: number) => {
        entries.delete(id)
        entries.set(id, now + ttl)
        bound()
      },
      release: (id: string) => {
        if (entries.get(id) === -1) entries.delete(id)
      }
    }
  }

  const op = fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant("claim" as const), id: fc.integer({ min: 0, max: 12 }) }), weight: 4 },
    // Commit or release one of the ids claimed fresh and not yet settled, as the receiver does.
    { arbitrary: fc.record({ kind: fc.constant("commit" as const), pick: fc.nat() }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant("release" as const), pick: fc.nat() }), weight: 1 },
    {
      arbitrary: fc.record({ kind: fc.constant("wait" as const), millis: fc.integer({ min: 0, max: 400 }) }),
      weight: 1
    }
  )

  it("answers every claim as specified, for any sequence of calls, bound and clock", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), fc.integer({ min: 1, max: 8 }), (ops, maxEntries) => {
        let now = 0
        const clock = { currentTimeMillis: Effect.sync(() => now) } as unknown as Clock.Clock
        const run = <A>(effect: Effect.Effect<A>) => Effect.runSync(Effect.provideService(effect, Clock.Clock, clock))
        const store = WebhookReceiver.memoryDedupeStore({ maxEntries })
        const reference = specified(maxEntries)
        const ttl = Duration.millis(1000)
        const claimed: Array<string> = []
        for (const step of ops) {
          if (step.kind === "wait") now += step.millis
          else if (step.kind === "claim") {
            const id = String(step.id)
            const answer = run(store.claim(id, ttl))
            expect(answer).toBe(reference.claim(id, now))
            if (answer === "fresh") claimed.push(id)
          } else if (claimed.length > 0) {
            const [id] = claimed.splice(step.pick % claimed.length, 1) as [string]
            if (step.kind === "commit") {
              run(store.commit(id, ttl))
              reference.commit(id, now, 1000)
            } else {
              run(store.release(id))
              reference.release(id)
            }
          }
        }
      }),
      { numRuns: 300 }
    )
  })
})

describe("decodeWith", () => {
  const context = { receivedAt: new Date(0) }
  it("prefers the first decoder that recognises the payload", () => {
    expect(WebhookReceiver.decodeWith([fake, other], { other: "x" }, context)[0]?._tag).toBe("ConnectionUpdate")
    expect(WebhookReceiver.decodeWith([other, fake], { statuses: ["y"] }, context)[0]?._tag).toBe("MessageStatus")
  })
  it("keeps real payload hashes in the events it returns, though it probes without hashing", () => {
    // A decoder whose recognised events carry the payload's hash as id, like a presence update.
    const hashing: WebhookDecoder = {
      provider: "hashing",
      decode: (payload, ctx) =>
        (payload as { hashed?: unknown } | null)?.hashed === true
          ? [
              new WhatsAppEvent.ConnectionUpdate({
                id: PayloadHash.of(payload),
                provider: "hashing",
                timestamp: ctx.receivedAt,
                raw: payload,
                state: "connected"
              })
            ]
          : [Decoders.unknown("hashing", payload, ctx, "not hashed")]
    }
    const payload = { hashed: true }
    expect(WebhookReceiver.decodeWith([fake, hashing], payload, context).map((event) => event.id)).toEqual([
      PayloadHash.of(payload)
    ])
    expect(WebhookReceiver.decodeWith([hashing, fake], { other: 1 }, context).map((event) => event.id)).toEqual([
      `hashing:-:unknown:${PayloadHash.of({ other: 1 })}`
    ])
  })
  it("falls back to the first decoder's Unknown", () => {
    const events = WebhookReceiver.decodeWith([fake, other], 42, context)
    expect(events.map((event) => [event._tag, event.provider])).toEqual([["Unknown", "fake"]])
  })
})
