/**
 * A fake vendor behind the `Dispatcher` that logs every request it receives, answers per
 * number as a test scripts it, and "processes" built over a store, plus the TestClock helpers:
 * simulated time moves in steps, with a short real pause after each so the store's I/O settles.
 */
import type { WhatsAppError } from "@pombo/core"
import { Clock, Duration, Effect, Exit, Layer, Scope } from "effect"
import type { SqlClient } from "effect/sql"
import { TestClock } from "effect/testing"
import { Dispatcher, Outbox, OutboxWorker } from "../src/index.ts"

/** One request as the vendor received it. */
export interface Request {
  readonly key: string
  readonly number: string
  readonly recipient: string
  readonly at: number
  readonly typing: number
  readonly outcome: string
  /** The stored input, as the dispatcher received it. */
  readonly input: unknown
}

type Answer = (request: Dispatcher.DispatchRequest) => Effect.Effect<Dispatcher.Receipt, WhatsAppError.WhatsAppError>

/** A fake vendor: scripted answers per number (taken in order, then success), a request log. */
export const fakeVendor = () => {
  const log: Array<Request> = []
  const scripts = new Map<string, Array<Answer>>()
  const connected = new Map<string, boolean>()
  const dispatcher = Dispatcher.Dispatcher.of({
    dispatch: (request) =>
      Effect.gen(function* () {
        const at = yield* Clock.currentTimeMillis
        const answer = scripts.get(request.number)?.shift()
        const exit = yield* Effect.exit(
          answer === undefined
            ? Effect.succeed({ messageId: `wamid.${request.key}`, at: new Date(at) })
            : answer(request)
        )
        log.push({
          key: request.key,
          number: request.number,
          recipient: request.recipient,
          at,
          typing: Duration.toMillis(request.typing),
          outcome: Exit.isSuccess(exit) ? "accepted" : "refused",
          input: request.input
        })
        return yield* exit
      }),
    connected: (number) => Effect.succeed(connected.get(number) ?? true)
  })
  return {
    log,
    /** The next answers to `number`'s requests, in order; later requests succeed. */
    script: (number: string, ...answers: ReadonlyArray<Answer>) => scripts.set(number, [...answers]),
    /** What the connection probe says about `number` (default connected). */
    setConnected: (number: string, value: boolean) => connected.set(number, value),
    layer: Layer.succeed(Dispatcher.Dispatcher, dispatcher),
    of: (number: string) => log.filter((r) => r.number === number)
  }
}

/** A "process": the outbox and its worker over `database`, sending to `vendor`. */
export const outboxProcess = (
  database: Layer.Layer<SqlClient.SqlClient>,
  vendor: { readonly layer: Layer.Layer<Dispatcher.Dispatcher> },
  options: OutboxWorker.Options = {}
) =>
  // Local sends wake the worker at once; a long poll keeps simulated hours cheap.
  OutboxWorker.layer({ lease: "10 minutes", pollInterval: "5 minutes", ...options }).pipe(
    Layer.provideMerge(Outbox.layer()),
    Layer.provide(vendor.layer),
    Layer.provide(database),
    Layer.orDie
  )

/** A "process" that only stores sends: the outbox without a worker. */
export const outboxOnly = (database: Layer.Layer<SqlClient.SqlClient>) =>
  Outbox.layer().pipe(Layer.provide(database), Layer.orDie)

/** Starts a layer in its own scope, so a test can stop it ("crash" or shut down) and start another. */
export const start = <A>(layer: Layer.Layer<A>) =>
  Effect.gen(function* () {
    const scope = yield* Scope.make()
    const context = yield* Layer.buildWithScope(layer, scope)
    return { context, stop: Scope.close(scope, Exit.void) }
  })

/** A real pause, whatever the clock in the test. */
export const realPause = (millis: number) => TestClock.withLive(Effect.sleep(millis))

/**
 * Moves simulated time forward in `step`s until `done` holds. After each step it pauses briefly
 * in real time so the store's queries can finish; on a loaded machine they lag behind the
 * simulated clock, so the limit is real time (`within`, default 15 s), not simulated time.
 */
export const until = <E = never, R = never>(
  done: (() => boolean) | Effect.Effect<boolean, E, R>,
  options: { readonly step?: number; readonly within?: number } = {}
) =>
  Effect.gen(function* () {
    const step = options.step ?? 1000
    const within = options.within ?? 15_000
    const check = () => (typeof done === "function" ? Effect.succeed(done()) : done)
    const started = Date.now()
    yield* realPause(5)
    while (!(yield* check())) {
      if (Date.now() - started > within) {
        const at = new Date(yield* Clock.currentTimeMillis).toISOString()
        return yield* Effect.die(new Error(`not done within ${within} ms of real time (simulated clock at ${at})`))
      }
      yield* TestClock.adjust(step)
      yield* realPause(4)
    }
  })

/** Lets `millis` of simulated time pass, in steps (for "nothing happens meanwhile" checks). */
export const elapse = (millis: number, step = 1000) =>
  Effect.gen(function* () {
    for (let elapsed = 0; elapsed < millis; elapsed += step) {
      yield* TestClock.adjust(Math.min(step, millis - elapsed))
      yield* realPause(4)
    }
  })
