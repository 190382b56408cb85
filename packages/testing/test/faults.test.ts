/**
 * The fault suite: a real HTTP server plays each vendor failing in every way we know of, against
 * every provider over every HTTP client (fetch, undici, node:http). Each case asserts what a user
 * would see: the typed outcome (`_tag`, `notSent`), how many requests reached the vendor (a send
 * that may have arrived is never repeated), that the call ended in time (a generous bound, not a
 * benchmark), and that no credential — a unique canary per provider and case — shows in any
 * rendering of the error, log line or span.
 *
 * Timeouts are short (400 ms per exchange, 1.2 s per call) so the slow faults stay fast; the
 * cases run concurrently, each with its own server.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { ChatId, type RetryPolicy, WhatsApp, type WhatsAppError } from "@pombo/core"
import { Cause, Effect, Exit, Inspectable, Layer, ManagedRuntime } from "effect"
import { FetchHttpClient, HttpClient } from "effect/http"
import { describe, expect, it } from "vitest"
import * as FaultServer from "../src/FaultServer.ts"
import * as Leaks from "../src/Leaks.ts"
import { type FaultTarget, faultTargets } from "./targets.ts"

/** The per-exchange timeout of the cases about timeouts; the others get `patientMs`, so load cannot fail them. */
const timeoutMs = 400
const patientMs = 5_000
const deadlineMs = 1_200
/** Slack for a loaded 2-core machine: the bounds catch hangs and per-attempt timeouts, not slowness. */
const slackMs = 3_000
const policy: RetryPolicy.RetryPolicy = {
  // Many read retries: only the deadline can keep a read against a hung vendor short.
  readRetries: 20,
  sendRetries: 2,
  baseDelay: "5 millis",
  maxDelay: "20 millis",
  maxRetryAfter: "1 second"
}

const clientLayers = {
  fetch: FetchHttpClient.layer,
  undici: NodeHttpClient.layerUndici,
  "node:http": NodeHttpClient.layerNodeHttp
} as const

/**
 * A fresh client per case, as a fresh process would have: a pooled keep-alive connection to an
 * earlier case's server, whose port the system may hand out again, would otherwise receive it.
 */
const withClient = async <A>(
  layer: Layer.Layer<HttpClient.HttpClient>,
  f: (client: HttpClient.HttpClient) => Promise<A>
): Promise<A> => {
  const runtime = ManagedRuntime.make(layer)
  try {
    return await f(await runtime.runPromise(HttpClient.HttpClient.use(Effect.succeed)))
  } finally {
    await runtime.dispose()
  }
}

const to = new ChatId.Contact({ phone: "5511987654321" })
type Call = (w: WhatsApp.Shape) => Effect.Effect<unknown, WhatsAppError.WhatsAppError>
const send: Call = (w) => w.sendText({ to, text: "Olá! Seu pedido saiu para entrega." })
const read: Call = (w) => w.getStatus()

/** A unique random run of letters and digits: what every canary contains, and what is searched for. */
const core = () => crypto.randomUUID().replace(/-/g, "")

/** Tokens as vendors issue them, or with every character an echo escapes (`" \ / + % & <`). */
const canaries = (count: number, kind: "plain" | "escaped") =>
  Array.from({ length: count }, () => {
    const unique = core()
    return { unique, token: kind === "plain" ? unique : `p"q\\r/s+t%u&v<w'${unique}` }
  })

/** What a case expects; `tag` is `Success` or the error's `_tag`, `requests` exact or `[min, max]`. */
interface Expected {
  readonly tag: string | "failure"
  readonly notSent?: boolean
  readonly retryAfterSeconds?: number
  readonly requests: number | readonly [number, number]
  /** How long the call may take, before slack for a loaded machine (default 0: it fails at once). */
  readonly withinMs?: number
}

interface Case {
  readonly name: string
  readonly call: Call
  /** The faults, or `closed` for a port where nothing listens. */
  readonly script: (target: FaultTarget) => FaultServer.Script | "closed"
  readonly tokens?: "plain" | "escaped"
  /** The per-exchange timeout: `timeoutMs` for the cases about timing out, `patientMs` otherwise. */
  readonly timeout?: number
  readonly expected: Expected
}

const ok = (target: FaultTarget) => FaultServer.json(target.sendTextAnswer)
const statusOk = (target: FaultTarget) => FaultServer.json(target.getStatusAnswer)
const unsent = { tag: "ProviderUnavailable", notSent: false, requests: 1 } as const
const timedOut = { ...unsent, withinMs: timeoutMs } as const

const cases: ReadonlyArray<Case> = [
  ...[500, 502, 504].map(
    (status): Case => ({
      name: `${status} with Retry-After: a send is not repeated (it may have been processed)`,
      call: send,
      script: () => FaultServer.status(status, { retryAfter: "0" }),
      expected: unsent
    })
  ),
  {
    name: "503 with Retry-After: a send is retried, as the vendor asked",
    call: send,
    script: (t) => [FaultServer.status(503, { retryAfter: "0" }), ok(t)],
    expected: { tag: "Success", requests: 2 }
  },
  {
    name: "503 without Retry-After: a send is not repeated",
    call: send,
    script: () => FaultServer.status(503),
    expected: unsent
  },
  {
    name: "429: a send is retried (a refused request was not processed)",
    call: send,
    script: (t) => [FaultServer.status(429), ok(t)],
    expected: { tag: "Success", requests: 2 }
  },
  {
    name: "429 with a Retry-After past maxRetryAfter: not waited for, the delay returned",
    call: send,
    script: () => FaultServer.status(429, { retryAfter: "3600" }),
    expected: { tag: "RateLimited", retryAfterSeconds: 3600, requests: 1 }
  },
  {
    name: "408: a send is not repeated (a timeout: it may have been processed)",
    call: send,
    script: () => FaultServer.status(408),
    expected: unsent
  },
  {
    name: "408: a read is retried",
    call: read,
    script: (t) => [FaultServer.status(408), statusOk(t)],
    expected: { tag: "Success", requests: 2 }
  },
  {
    name: "500: a read is retried",
    call: read,
    script: (t) => [FaultServer.status(500), statusOk(t)],
    expected: { tag: "Success", requests: 2 }
  },
  {
    name: "headers, then nothing: a send times out once",
    timeout: timeoutMs,
    call: send,
    script: () => FaultServer.stall(),
    expected: timedOut
  },
  {
    name: "headers, then nothing: a read retries within one deadline",
    timeout: timeoutMs,
    call: read,
    script: () => FaultServer.stall(),
    expected: { tag: "ProviderUnavailable", notSent: false, requests: [1, 3], withinMs: deadlineMs }
  },
  {
    name: "a body dripped slower than the timeout: a send times out once",
    timeout: timeoutMs,
    call: send,
    script: (t) => FaultServer.drip(JSON.stringify(t.sendTextAnswer).padEnd(200), 40),
    expected: timedOut
  },
  {
    name: "no answer at all: a send times out once",
    timeout: timeoutMs,
    call: send,
    script: () => FaultServer.hang,
    expected: timedOut
  },
  {
    name: "connection reset: a send is not repeated",
    call: send,
    script: () => FaultServer.reset,
    expected: unsent
  },
  {
    name: "connection reset: a read is retried",
    call: read,
    script: (t) => [FaultServer.reset, statusOk(t)],
    expected: { tag: "Success", requests: 2 }
  },
  {
    name: "connection refused: a send is retried, then fails as not sent",
    call: send,
    script: () => "closed",
    expected: { tag: "ProviderUnavailable", notSent: true, requests: 0 }
  },
  {
    name: "a 500 whose body is 64 KB of letters and digits: no freeze",
    call: send,
    script: () => FaultServer.text("a1B2".repeat(16_384), 500),
    expected: unsent
  },
  {
    name: "a 400 whose text is built to make a pattern backtrack: no freeze",
    call: send,
    script: () => {
      const text = "instance not ".repeat(1_300)
      return FaultServer.json({ error: text, message: text }, 400)
    },
    expected: { tag: "InvalidRequest", requests: 1 }
  },
  {
    name: "a 50 MB error page: read up to the bound, the rest never downloaded",
    call: send,
    script: () => FaultServer.huge(500, 50 * 1024 * 1024),
    expected: unsent
  },
  {
    name: "a 4 MB success body that is not JSON: an unexpected response, sent once",
    call: send,
    script: () => FaultServer.huge(200, 4 * 1024 * 1024),
    expected: { tag: "UnexpectedResponse", requests: 1 }
  },
  ...[
    [400, "json"],
    [401, "json"],
    [404, "html"],
    [422, "text"],
    [500, "text"],
    [502, "html"]
  ].flatMap(([status, form]) =>
    (["plain", "escaped"] as const).map(
      (tokens): Case => ({
        name: `${status} echoing the request as ${form}, ${tokens} tokens: no secret in any rendering`,
        call: send,
        tokens,
        script: () => FaultServer.echo(status as number, form as "json" | "text" | "html"),
        expected: { tag: "failure", requests: 1 }
      })
    )
  ),
  {
    name: "an id built without its constructor's checks is refused, nothing sent",
    call: (w) => w.sendText({ to: { _tag: "Contact", phone: "abc" } as unknown as ChatId.Contact, text: "Olá" }),
    script: ok,
    expected: { tag: "InvalidRequest", requests: 0 }
  },
  {
    name: "setWebhook with a line break in the URL is refused, nothing sent",
    call: (w) => w.setWebhook({ url: "http://a\nb.com/x" }),
    script: () => FaultServer.status(200),
    expected: { tag: "InvalidRequest", requests: 0 }
  },
  ...(
    [
      ["blank text", (w) => w.sendText({ to, text: "   " })],
      [
        "a non-http media URL",
        (w) => w.sendMedia({ to, kind: "image", source: { _tag: "Url", url: "ftp://x/y.png" } })
      ],
      ["a latitude past 90", (w) => w.sendLocation({ to, latitude: 91, longitude: 0 })],
      [
        "a list of 11 sections",
        (w) =>
          w.sendList({
            to,
            text: "Menu",
            buttonText: "Ver",
            sections: Array.from({ length: 11 }, (_, i) => ({ title: `S${i}`, rows: [{ id: `r${i}`, title: "x" }] }))
          })
      ]
    ] as ReadonlyArray<readonly [string, Call]>
  ).map(
    ([what, call]): Case => ({
      name: `${what} is refused, nothing sent`,
      call,
      script: ok,
      expected: { tag: "InvalidRequest", requests: 0 }
    })
  )
]

/** Runs `call` on `target` against `script` over `client`; everything a case asserts. */
const play = async (
  target: FaultTarget,
  client: HttpClient.HttpClient,
  call: Call,
  script: FaultServer.Script | "closed",
  tokens: ReadonlyArray<{ readonly unique: string; readonly token: string }>,
  timeout = patientMs
) => {
  const server = script === "closed" ? undefined : await FaultServer.start(script)
  const baseUrl = server?.url ?? (await FaultServer.closedUrl())
  const capture = Leaks.capture()
  const layer = target
    .layer(
      baseUrl,
      tokens.map((canary) => canary.token),
      {
        timeout: `${timeout} millis`,
        // The cases about timing out give a call three exchanges' time; the others one patient exchange.
        retry: { ...policy, deadline: `${timeout === timeoutMs ? deadlineMs : timeout} millis` }
      }
    )
    .pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient, client)))
  const started = performance.now()
  const exit = await Effect.runPromise(
    Effect.exit(
      capture.around(
        WhatsApp.WhatsApp.use(call).pipe(
          Effect.tapError((error) => Effect.logError("the call failed", error)),
          Effect.provide(layer)
        )
      )
    )
  )
  const elapsed = performance.now() - started
  await server?.close()
  const failure = Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined
  const texts = [
    ...(failure === undefined ? [] : Leaks.renderings(failure)),
    Exit.isFailure(exit) ? Cause.pretty(exit.cause) : "",
    ...capture.texts()
  ]
  return {
    exit,
    failure: failure as
      | { readonly _tag?: string; readonly notSent?: boolean; readonly retryAfterSeconds?: number }
      | undefined,
    elapsed,
    requests: server?.requests.length ?? 0,
    leaks: Leaks.found(
      texts,
      tokens.map((canary) => canary.unique)
    )
  }
}

for (const target of faultTargets) {
  for (const [clientName, clientLayer] of Object.entries(clientLayers)) {
    describe.concurrent(`${target.name} over ${clientName}: every vendor fault ends typed, once, on time`, () => {
      for (const c of cases) {
        it(c.name, async () => {
          const result = await withClient(clientLayer, (client) =>
            play(target, client, c.call, c.script(target), canaries(target.secrets, c.tokens ?? "plain"), c.timeout)
          )
          const { expected } = c
          const tag = Exit.isSuccess(result.exit) ? "Success" : (result.failure?._tag ?? "defect")
          const [min, max] =
            typeof expected.requests === "number" ? [expected.requests, expected.requests] : expected.requests
          expect(
            {
              tag: expected.tag === "failure" && tag !== "Success" && tag !== "defect" ? "failure" : tag,
              ...(expected.notSent === undefined ? {} : { notSent: result.failure?.notSent }),
              ...(expected.retryAfterSeconds === undefined
                ? {}
                : { retryAfterSeconds: result.failure?.retryAfterSeconds }),
              requestsInRange: result.requests >= min && result.requests <= max ? "yes" : result.requests,
              inTime: result.elapsed <= (expected.withinMs ?? 0) + slackMs ? "yes" : Math.round(result.elapsed),
              leaks: result.leaks
            },
            Inspectable.toStringUnknown(result.failure)
          ).toEqual({
            tag: expected.tag,
            ...(expected.notSent === undefined ? {} : { notSent: expected.notSent }),
            ...(expected.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: expected.retryAfterSeconds }),
            requestsInRange: "yes",
            inTime: "yes",
            leaks: []
          })
        })
      }

      it("short tokens (1, t, true) do not corrupt success bodies", () =>
        withClient(clientLayer, async (client) => {
          const realistic = await play(target, client, send, ok(target), canaries(target.secrets, "plain"))
          expect(Exit.isSuccess(realistic.exit)).toBe(true)
          for (const short of ["1", "t", "true"]) {
            const tokens = Array.from({ length: target.secrets }, () => ({ unique: "", token: short }))
            const sent = await play(target, client, send, ok(target), tokens)
            const status = await play(target, client, read, statusOk(target), tokens)
            const statusRealistic = await play(
              target,
              client,
              read,
              statusOk(target),
              canaries(target.secrets, "plain")
            )
            // The receipt as the vendor's answer gave it; only the local acceptance time may differ.
            const answered = (exit: Exit.Exit<unknown, unknown>) =>
              Exit.map(exit, (receipt) => ({ ...(receipt as object), acceptedAt: undefined }))
            expect(answered(sent.exit)).toEqual(answered(realistic.exit))
            expect(status.exit).toEqual(statusRealistic.exit)
          }
        }))
    })
  }
}

describe("ids are valid by construction", () => {
  it("the constructors refuse ids a vendor would get as junk", () => {
    expect(() => new ChatId.Contact({ phone: "abc" })).toThrow()
    expect(() => new ChatId.Group({ id: "abc" })).toThrow()
    expect(() => new ChatId.Broadcast({ id: "abc" })).toThrow()
    expect(new ChatId.Contact({ phone: "5511987654321" }).phone).toBe("5511987654321")
    expect(new ChatId.Group({ id: "120363019502650977" }).id).toBe("120363019502650977")
  })
})
