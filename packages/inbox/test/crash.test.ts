/**
 * Crash tests of the durable receiver: a real child process (`crash/receiverProcess.ts`) under
 * load from a generator posting the specs' documented webhooks (Z-API `receivedText`, Mega-API
 * `messageConversation`) with a fresh message id each, killed with SIGKILL mid-load or stopped
 * with SIGTERM, then restarted on the same store. The handler's append-only log is the truth of
 * what the application saw; each test prints sent / acknowledged / handled / duplicated / lost.
 */
import { type ChildProcess, fork } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { Agent, request } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { loadSpec, specPath } from "@pombo/codegen/Spec"
import { deref, operationsOf } from "@pombo/codegen/SpecCheck"
import { Effect, Layer, Schedule, type Scope } from "effect"
import { clientOf, type Location } from "../../testing/test/location.ts"
import { stores } from "../../testing/test/stores.ts"
import { Inbox } from "../src/index.ts"
import type { ChildConfig } from "./crash/receiverProcess.ts"

const secret = "crash-test-secret"
const concurrency = 16
const connections = 16

/** A documented webhook of `vendor` as text around the place of its message id. */
const documented = async (
  vendor: "zapi" | "megaapi",
  webhook: string,
  example: string,
  setId: (payload: Record<string, unknown>) => void
) => {
  const document = await loadSpec(specPath(vendor))
  const operation = operationsOf(document).find((op) => op.kind === "webhook" && op.key === webhook)
  if (operation === undefined) throw new Error(`${vendor} no longer documents the ${webhook} webhook`)
  const payload = structuredClone(
    deref(
      document,
      deref(document, operation.operation.requestBody)?.content?.["application/json"]?.examples?.[example]
    )?.value
  )
  if (payload === undefined) throw new Error(`${vendor} ${webhook} has no example ${example}`)
  setId(payload)
  const [before, after] = JSON.stringify(payload).split("__ID__")
  if (before === undefined || after === undefined) throw new Error(`no message id in ${vendor} ${webhook}`)
  return { path: `/webhooks/${vendor}/${secret}`, body: (id: string) => `${before}${id}${after}` }
}

const payloads = Effect.promise(() =>
  Promise.all([
    documented("zapi", "receivedText", "text", (p) => {
      p.messageId = "__ID__"
    }),
    documented("megaapi", "messageConversation", "webhookSection", (p) => {
      ;(p.key as { id: string }).id = "__ID__"
    })
  ])
)

/** The receiver child process; `stop` sends SIGTERM and resolves with how long it took to exit. */
const startChild = (config: ChildConfig) =>
  Effect.acquireRelease(
    Effect.callback<{ child: ChildProcess; port: number; output: () => string }, Error>((resume) => {
      const child = fork(new URL("./crash/receiverProcess.ts", import.meta.url), [], {
        execPath: process.execPath,
        env: { ...process.env, POMBO_CRASH_CHILD: JSON.stringify(config) },
        stdio: ["ignore", "pipe", "pipe", "ipc"]
      })
      let output = ""
      const keep = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-4000)
      }
      child.stdout?.on("data", keep)
      child.stderr?.on("data", keep)
      child.once("exit", (code, signal) =>
        resume(Effect.fail(new Error(`receiver exited (${code ?? signal}) before listening:\n${output}`)))
      )
      child.once("message", (message: { port: number }) =>
        resume(Effect.succeed({ child, port: message.port, output: () => output }))
      )
    }),
    ({ child }) => (child.exitCode === null && child.signalCode === null ? kill(child, "SIGKILL") : Effect.void)
  ).pipe(
    Effect.timeoutOrElse({ duration: "60 seconds", orElse: () => Effect.die(new Error("receiver did not start")) })
  )

const kill = (child: ChildProcess, signal: NodeJS.Signals) =>
  Effect.callback<number>((resume) => {
    const started = Date.now()
    child.once("exit", () => resume(Effect.succeed(Date.now() - started)))
    child.kill(signal)
  })

type Outcome = "acknowledged" | "refused" | "error"

/** Posts `body(id)` to `port`, answering how it went (never fails). */
const post = (agent: Agent, port: number, path: string, body: string) =>
  new Promise<Outcome>((resolve) => {
    const call = request(
      {
        agent,
        host: "127.0.0.1",
        port,
        path,
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) }
      },
      (response) => {
        response.resume()
        response.on("end", () => resolve(response.statusCode === 200 ? "acknowledged" : "refused"))
        response.on("error", () => resolve("error"))
      }
    )
    call.on("error", () => resolve("error"))
    call.end(body)
  })

/**
 * The vendor: `connections` keep-alive connections posting fresh events (ids `crash<n>`,
 * alternating vendors) until stopped, recording which were acknowledged.
 */
const makeLoad = (targets: Awaited<ReturnType<typeof documented>>[]) => {
  const acknowledged = new Set<string>()
  const sent = new Set<string>()
  const outcomes: Record<Outcome, number> = { acknowledged: 0, refused: 0, error: 0 }
  let next = 0
  const target = (id: string) => targets[Number(id.slice(5)) % targets.length]!
  const start = (port: number) => {
    const agent = new Agent({ keepAlive: true, maxSockets: connections })
    let running = true
    const connection = async () => {
      while (running) {
        const id = `crash${next++}`
        const { path, body } = target(id)
        sent.add(id)
        const outcome = await post(agent, port, path, body(id))
        outcomes[outcome]++
        if (outcome === "acknowledged") acknowledged.add(id)
        // A refused or dropped call is retried later by `redeliver`, like a vendor would.
        else await new Promise((r) => setTimeout(r, 20))
      }
    }
    const done = Promise.all(Array.from({ length: connections }, connection))
    return {
      stop: Effect.promise(async () => {
        running = false
        await done
        agent.destroy()
      })
    }
  }
  /** Posts every event sent but not acknowledged again until it is (the vendor's redelivery). */
  const redeliver = (port: number) =>
    Effect.promise(async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: connections })
      for (let round = 0; round < 200; round++) {
        const missing = [...sent].filter((id) => !acknowledged.has(id))
        if (missing.length === 0) break
        await Promise.all(
          missing.map(async (id) => {
            const { path, body } = target(id)
            if ((await post(agent, port, path, body(id))) === "acknowledged") acknowledged.add(id)
          })
        )
        await new Promise((r) => setTimeout(r, 50))
      }
      agent.destroy()
    })
  return { acknowledged, sent, outcomes, start, redeliver }
}

/** How many times the handler saw each message id. */
const handledCounts = (log: string) => {
  const counts = new Map<string, number>()
  if (!existsSync(log)) return counts
  for (const line of readFileSync(log, "utf8").split("\n")) {
    if (line !== "") counts.set(line, (counts.get(line) ?? 0) + 1)
  }
  return counts
}

const waitUntil = <A>(label: string, effect: Effect.Effect<A, unknown>, done: (a: A) => boolean) =>
  effect.pipe(
    Effect.repeat({ schedule: Schedule.spaced("100 millis"), until: done }),
    Effect.timeoutOrElse({
      duration: "90 seconds",
      orElse: () => Effect.die(new Error(`timed out waiting until ${label}`))
    })
  )

/** The parent's own view of the store: another client, as an operator's would be. */
const onInbox = <A, E>(location: Location, f: (inbox: Inbox.Inbox) => Effect.Effect<A, E>) =>
  Inbox.Inbox.use(f).pipe(Effect.provide(Inbox.layer().pipe(Layer.provide(clientOf(location)))), Effect.orDie)

const tempDir = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "pombo-crash-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
)

interface Figures {
  sent: number
  acknowledged: number
  handled: number
  duplicated: number
  lost: number
  [more: string]: number | string
}

const report = (title: string, figures: Figures) =>
  Effect.sync(() =>
    console.log(
      `${title}: ${Object.entries(figures)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}`
    )
  )

const setUp = (location: Effect.Effect<Location, never, Scope.Scope>) =>
  Effect.gen(function* () {
    const dir = yield* tempDir
    const log = join(dir, "handled.log")
    const base = {
      location: yield* location,
      log,
      secret,
      shutdownTimeout: "2 seconds",
      concurrency,
      maxAttempts: 3
    } as const
    const load = makeLoad(yield* payloads)
    return { base, log, load }
  })

/** Loads the receiver until `count` events are acknowledged (so the kill lands mid-load). */
const loadUntil = (
  load: ReturnType<typeof makeLoad>,
  receiver: Effect.Success<ReturnType<typeof startChild>>,
  count: number
) =>
  Effect.gen(function* () {
    const running = load.start(receiver.port)
    yield* waitUntil(
      `${count} events are acknowledged`,
      Effect.sync(() => load.acknowledged.size),
      (n) => n >= count
    ).pipe(
      Effect.catchDefect((defect) =>
        Effect.die(
          new Error(
            `${String(defect)}; answers ${JSON.stringify(load.outcomes)}; receiver output:\n${receiver.output()}`
          )
        )
      )
    )
    return running
  })

for (const store of stores) {
  const title = store.unavailable
    ? `durable receiver crash tests on ${store.name} — skipped: ${store.unavailable}`
    : `durable receiver crash tests on ${store.name}`
  describe.skipIf(store.unavailable !== undefined)(title, () => {
    it.live(
      "SIGKILL mid-load: every acknowledged event is handled after the restart; duplicates only for events in flight",
      () =>
        Effect.gen(function* () {
          const { base, log, load } = yield* setUp(store.location)
          const first = yield* startChild({ ...base, mode: "ok" })
          const running = yield* loadUntil(load, first, 600)
          yield* kill(first.child, "SIGKILL")
          const acknowledgedAtKill = load.acknowledged.size
          yield* running.stop
          const handledAtKill = handledCounts(log).size

          const second = yield* startChild({ ...base, mode: "ok" })
          yield* load.redeliver(second.port)
          const handled = yield* waitUntil(
            "every event sent is handled",
            Effect.sync(() => handledCounts(log)),
            (h) => h.size >= load.sent.size
          )
          const duplicated = [...handled.values()].filter((n) => n > 1).length
          const lost = [...load.acknowledged].filter((id) => !handled.has(id)).length
          yield* report(`${store.name} SIGKILL`, {
            sent: load.sent.size,
            acknowledged: acknowledgedAtKill,
            handled: handled.size,
            duplicated,
            lost,
            "handled before the kill": handledAtKill,
            "redelivered after": load.sent.size - acknowledgedAtKill
          })
          expect(lost).toBe(0)
          expect(acknowledgedAtKill).toBeGreaterThanOrEqual(600)
          expect([...handled.keys()].sort()).toEqual([...load.sent].sort())
          // Only an event whose handler ran while the process died can be handled twice; the
          // worker holds at most `concurrency` of them.
          expect(duplicated).toBeLessThanOrEqual(concurrency)
          expect(yield* onInbox(base.location, (inbox) => inbox.counts)).toEqual({
            pending: 0,
            handled: load.sent.size,
            dead: 0
          })
        }).pipe(Effect.scoped),
      180_000
    )

    it.live(
      "a handler failing at random, SIGKILL mid-load: every event is handled or dead-lettered, and replaying the dead letters handles them",
      () =>
        Effect.gen(function* () {
          const { base, log, load } = yield* setUp(store.location)
          const first = yield* startChild({ ...base, mode: "flaky" })
          const running = yield* loadUntil(load, first, 600)
          yield* kill(first.child, "SIGKILL")
          const acknowledgedAtKill = load.acknowledged.size
          yield* running.stop

          const second = yield* startChild({ ...base, mode: "flaky" })
          yield* load.redeliver(second.port)
          const counts = yield* onInbox(base.location, (inbox) =>
            waitUntil(
              "every event is handled or dead",
              inbox.counts,
              (c) => c.pending === 0 && c.handled + c.dead === load.sent.size
            )
          )
          const dead = yield* onInbox(base.location, (inbox) => inbox.deadLetters({ limit: 10_000 }))
          const handledBefore = handledCounts(log)
          const deadIds = dead.map((letter) =>
            letter.event?._tag === "MessageReceived" ? letter.event.message.id : letter.key
          )
          // Every event is handled or a dead letter. Both only when its handler succeeded as the
          // process died, before that was recorded, and then its attempts ran out (after the
          // restart, or with that very attempt): an event in flight at the kill, of which the
          // worker holds at most `concurrency`.
          const both = deadIds.filter((id) => handledBefore.has(id))
          expect(both.length).toBeLessThanOrEqual(concurrency)
          expect(handledBefore.size + dead.length - both.length).toBe(load.sent.size)
          // A dead letter ran out of attempts on the handler's failures, or its last attempt was
          // in flight at the kill: the crash counts as that attempt, and the restart buries it
          // on claiming it again, naming the crash.
          const crashed = dead.filter(
            (letter) =>
              letter.lastError === "lease expired during the last attempt (the process stopped while handling it)"
          )
          expect(crashed.every((letter) => letter.attempts === base.maxAttempts + 1)).toBe(true)
          expect(crashed.length).toBeLessThanOrEqual(concurrency)
          expect(
            dead
              .filter((letter) => !crashed.includes(letter))
              .every(
                (letter) =>
                  letter.lastError?.includes("flaky handler failed at random") && letter.attempts === base.maxAttempts
              )
          ).toBe(true)
          expect(dead.length).toBe(counts.dead)

          // The handler is fixed and redeployed; an operator replays the dead letters.
          yield* kill(second.child, "SIGTERM")
          yield* startChild({ ...base, mode: "ok" })
          const replayed = yield* onInbox(base.location, (inbox) => inbox.replayAll)
          const handled = yield* waitUntil(
            "every event is handled",
            Effect.sync(() => handledCounts(log)),
            (h) => h.size >= load.sent.size
          )
          const duplicated = [...handled.values()].filter((n) => n > 1).length
          const lost = [...load.acknowledged].filter((id) => !handled.has(id)).length
          yield* report(`${store.name} flaky handler`, {
            sent: load.sent.size,
            acknowledged: acknowledgedAtKill,
            handled: handled.size,
            duplicated,
            lost,
            "dead-lettered": dead.length,
            "handled, then dead after the kill": both.length,
            "dead as its last attempt was killed": crashed.length,
            replayed
          })
          expect(replayed).toBe(dead.length)
          expect(lost).toBe(0)
          expect(handled.size).toBe(load.sent.size)
          expect(duplicated).toBeLessThanOrEqual(concurrency)
          expect(yield* onInbox(base.location, (inbox) => inbox.counts)).toEqual({
            pending: 0,
            handled: load.sent.size,
            dead: 0
          })
        }).pipe(Effect.scoped),
      180_000
    )

    it.live(
      "a hanging handler and SIGTERM: the process exits within its deadline, nothing acknowledged is lost, pending events resume on restart",
      () =>
        Effect.gen(function* () {
          const { base, log, load } = yield* setUp(store.location)
          const first = yield* startChild({ ...base, mode: "hang" })
          const running = yield* loadUntil(load, first, 300)
          const stopMs = yield* kill(first.child, "SIGTERM")
          yield* running.stop
          const acknowledged = load.acknowledged.size
          // Two deadlines of 2 s (receiver, worker) and the process's own exit; generous for a
          // loaded machine, yet far below an unbounded wait on handlers that never finish.
          expect(stopMs).toBeLessThan(20_000)
          // It exited by itself once shut down (runMain's exit code for an interrupted program).
          expect(first.child.signalCode).toBe(null)
          expect(handledCounts(log).size).toBe(0)
          // Stored before acknowledged: every acknowledged event waits in the inbox.
          const stored = yield* onInbox(base.location, (inbox) => inbox.counts)
          expect(stored.pending).toBeGreaterThanOrEqual(acknowledged)

          const second = yield* startChild({ ...base, mode: "ok" })
          yield* load.redeliver(second.port)
          const handled = yield* waitUntil(
            "every event is handled",
            Effect.sync(() => handledCounts(log)),
            (h) => h.size >= load.sent.size
          )
          const duplicated = [...handled.values()].filter((n) => n > 1).length
          const lost = [...load.acknowledged].filter((id) => !handled.has(id)).length
          yield* report(`${store.name} hanging handler + SIGTERM`, {
            sent: load.sent.size,
            acknowledged,
            handled: handled.size,
            duplicated,
            lost,
            "stop ms": stopMs
          })
          expect(lost).toBe(0)
          expect(handled.size).toBe(load.sent.size)
          // Interrupted handlers never finished: nothing was handled twice.
          expect(duplicated).toBe(0)
        }).pipe(Effect.scoped),
      180_000
    )
  })
}
