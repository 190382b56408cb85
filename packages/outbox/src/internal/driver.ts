/**
 * Driving one number: the loop that sends its queued sends as its pacing allows, stores each
 * attempt before the request leaves and its outcome after, and reacts to the vendor's errors.
 * Whoever runs `drive` must be the number's only driver: the lease-holding `OutboxWorker`, or
 * the number's cluster entity (`OutboxCluster`).
 */
import { WhatsAppError } from "@pombo/core"
import { Cause, Clock, Duration, Effect, Exit, type Latch, Metric, Random } from "effect"
import { Dispatcher, type Receipt } from "../Dispatcher.ts"
import { encodeError, Outbox } from "../Outbox.ts"
import * as OutboxMetrics from "../OutboxMetrics.ts"
import * as Pacing from "../Pacing.ts"
import type * as SendOperation from "../SendOperation.ts"
import { internalsOf } from "./registry.ts"
import type { Row } from "./store.ts"

/** How a number is driven; all optional. */
export interface DriverOptions {
  /** Pacing for every number, or per number; merged over `Pacing.defaults`. */
  readonly pacing?: Partial<Pacing.Config> | ((number: string) => Partial<Pacing.Config>) | undefined
  /** What to do with a send that may or may not have reached the vendor. Default `"skip"`. */
  readonly onUncertain?: "skip" | "resend" | undefined
  /** Attempts of a send that certainly did not leave (`notSent`) before it fails. Default 5. */
  readonly maxAttempts?: number | undefined
  /** Delay before retrying a send that did not leave; doubles up to `maxBackoff`. Default 1 second. */
  readonly backoff?: Duration.Input | undefined
  /** Default 5 minutes. */
  readonly maxBackoff?: Duration.Input | undefined
  /** How long a number waits after `RateLimited` without a `retryAfter`. Default 1 minute. */
  readonly rateLimitWait?: Duration.Input | undefined
  /** How often a paused number's connection is probed (`Dispatcher.connected`). Default 30 seconds. */
  readonly probeInterval?: Duration.Input | undefined
  /** The text whose length sets the typing time. Default: the input's `text`, else its `caption`. */
  readonly textOf?: ((operation: string, input: unknown) => string | undefined) | undefined
}

const defaultTextOf = (_operation: string, input: unknown): string | undefined => {
  if (typeof input !== "object" || input === null) return undefined
  const { text, caption } = input as { text?: unknown; caption?: unknown }
  return typeof text === "string" ? text : typeof caption === "string" ? caption : undefined
}

/** What the outbox does after a dispatch failed with `error`. */
export type Reaction =
  | { readonly _tag: "Wait"; readonly millis: number | undefined }
  | { readonly _tag: "Pause" }
  | { readonly _tag: "Stop" }
  | { readonly _tag: "Retry" }
  | { readonly _tag: "Uncertain" }
  | { readonly _tag: "Fail" }

/**
 * The reaction to a vendor error. As in the providers' `RetryPolicy`: only what the vendor
 * certainly did not process goes again — a refusal of the number (not connected, credentials,
 * rate limit, `Retry-After`) or a request that provably never left (`notSent`).
 */
export const reaction = (error: WhatsAppError.WhatsAppError): Reaction => {
  switch (error._tag) {
    case "RateLimited":
      return {
        _tag: "Wait",
        millis: error.retryAfterSeconds === undefined ? undefined : error.retryAfterSeconds * 1000
      }
    case "NotConnected":
      return { _tag: "Pause" }
    case "Unauthorized":
      return { _tag: "Stop" }
    case "ProviderUnavailable":
      if (error.retryAfterSeconds !== undefined) return { _tag: "Wait", millis: error.retryAfterSeconds * 1000 }
      return error.notSent ? { _tag: "Retry" } : { _tag: "Uncertain" }
    case "UnexpectedResponse":
      return { _tag: "Uncertain" }
    case "InvalidRequest":
    case "RecipientNotFound":
    case "Unsupported":
      return { _tag: "Fail" }
  }
}

/** Builds the driver over the `Outbox` and `Dispatcher` in context. */
export const makeDriver = (options: DriverOptions = {}) =>
  Effect.gen(function* () {
    const { store, wake, publish, publishNumber } = internalsOf(yield* Outbox)
    const dispatcher = yield* Dispatcher
    const millis = (input: Duration.Input | undefined, fallback: Duration.Input) =>
      Duration.toMillis(Duration.fromInputUnsafe(input ?? fallback))
    const onUncertain = options.onUncertain ?? "skip"
    const maxAttempts = options.maxAttempts ?? 5
    const backoff = millis(options.backoff, "1 second")
    const maxBackoff = millis(options.maxBackoff, "5 minutes")
    const rateLimitWait = millis(options.rateLimitWait, "1 minute")
    const probeInterval = millis(options.probeInterval, "30 seconds")
    const textOf = options.textOf ?? defaultTextOf
    const pacingOf = (number: string): Pacing.Config => ({
      ...Pacing.defaults,
      ...(typeof options.pacing === "function" ? options.pacing(number) : options.pacing)
    })

    /** Sleeps `wait` ms (forever when undefined) or until the latch opens; then closes it again. */
    const sleepOrWake = (latch: Latch.Latch, wait: number | undefined) =>
      (wait === undefined || !Number.isFinite(wait)
        ? latch.await
        : Effect.asVoid(Effect.timeoutOption(latch.await, Math.max(0, wait)))
      ).pipe(Effect.andThen(latch.close))

    const setNumber = (
      number: string,
      state: "active" | "paused" | "stopped",
      reason: WhatsAppError.WhatsAppError | undefined,
      resumeAt: number | undefined
    ) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const json = reason === undefined ? undefined : encodeError(reason)
        yield* publishNumber(yield* store.setNumber(number, { state, reason: json, resumeAt }, now))
      })

    const uncertain = (row: Row | undefined) =>
      Effect.gen(function* () {
        yield* publish(row)
        if (row === undefined) return
        yield* Metric.update(OutboxMetrics.uncertain, 1)
        if (onUncertain === "skip") return
        yield* publish(yield* store.requeueUncertain(row.seq, yield* Clock.currentTimeMillis))
      })

    /** Stores the outcome of one dispatch. */
    const settle = (row: Row, exit: Exit.Exit<Receipt, WhatsAppError.WhatsAppError>, dispatchedAt: number) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        if (Exit.isSuccess(exit)) {
          yield* Metric.update(OutboxMetrics.accepted, 1)
          return yield* publish(
            yield* store.accept(row.seq, row.attempts, exit.value.messageId, exit.value.at.getTime(), dispatchedAt, now)
          )
        }
        const error = Cause.findErrorOption(exit.cause)
        if (error._tag === "None") {
          // A defect: the dispatcher cannot tell whether the request left.
          yield* Effect.logWarning(`outbox: dispatch of ${row.key} died`, exit.cause)
          const died = new WhatsAppError.UnexpectedResponse({
            provider: row.number.slice(0, row.number.indexOf(":")),
            operation: row.operation,
            detail: `the dispatcher died: ${Cause.pretty(exit.cause)}`
          })
          return yield* uncertain(
            yield* store.settle(row.seq, row.attempts, "uncertain", encodeError(died), now, dispatchedAt, now)
          )
        }
        const json = encodeError(error.value)
        const requeue = (availableAt: number) =>
          Effect.flatMap(
            store.settle(row.seq, row.attempts, "queued", json, availableAt, dispatchedAt, now),
            publish
          ).pipe(Effect.andThen(Metric.update(OutboxMetrics.requeued, 1)))
        const fail = store
          .settle(row.seq, row.attempts, "failed", json, now, dispatchedAt, now)
          .pipe(Effect.flatMap(publish), Effect.andThen(Metric.update(OutboxMetrics.failed, 1)))
        const react = reaction(error.value)
        switch (react._tag) {
          case "Wait": {
            const until = now + (react.millis ?? rateLimitWait)
            yield* requeue(until)
            return yield* setNumber(row.number, "active", undefined, until)
          }
          case "Pause":
            yield* Effect.logWarning(`outbox: ${row.number} paused until it is connected: ${error.value.message}`)
            yield* requeue(now)
            return yield* setNumber(row.number, "paused", error.value, undefined)
          case "Stop":
            yield* Effect.logError(`outbox: ${row.number} stopped until resumed: ${error.value.message}`)
            yield* requeue(now)
            return yield* setNumber(row.number, "stopped", error.value, undefined)
          case "Retry":
            // The request never left: the vendor saw nothing to pace.
            yield* store.unsent(row.seq, row.attempts)
            if (row.attempts < maxAttempts) {
              const ceiling = Math.min(maxBackoff, backoff * 2 ** (row.attempts - 1))
              return yield* requeue(now + Math.round(ceiling / 2 + (ceiling / 2) * (yield* Random.next)))
            }
            return yield* fail
          case "Uncertain":
            return yield* uncertain(
              yield* store.settle(row.seq, row.attempts, "uncertain", json, now, dispatchedAt, now)
            )
          case "Fail":
            return yield* fail
        }
      })

    /** Sends the number's queued sends as its pacing allows, until none is left. */
    const drive = (number: string, latch: Latch.Latch) =>
      Effect.gen(function* () {
        const config = pacingOf(number)
        const lookback = Math.max(Pacing.windowsOf(config).day, millis(config.recipientGap, 0))
        yield* store.forget(number, (yield* Clock.currentTimeMillis) - lookback)
        // Sends a previous owner began and never finished.
        for (const row of yield* store.interrupted(number, yield* Clock.currentTimeMillis)) yield* uncertain(row)
        // One jitter draw per send, kept across wake-ups so waking early never shortens the gap.
        let draw = yield* Random.next
        while (true) {
          const now = yield* Clock.currentTimeMillis
          const state = yield* store.number(number)
          if (state === undefined || state.state === "stopped") return
          if (state.state === "paused") {
            yield* sleepOrWake(latch, dispatcher.connected === undefined ? undefined : probeInterval)
            if (dispatcher.connected === undefined || (yield* store.number(number))?.state !== "paused") continue
            const connected = yield* dispatcher.connected(number).pipe(Effect.orElseSucceed(() => false))
            if (connected) yield* setNumber(number, "active", undefined, undefined)
            continue
          }
          if (state.resumeAt !== undefined && state.resumeAt > now) {
            yield* sleepOrWake(latch, state.resumeAt - (yield* Clock.currentTimeMillis))
            continue
          }
          const queued = yield* store.queued(number, 100)
          if (queued.length === 0) return
          const day = Pacing.windowsOf(config).day
          const attempts = yield* store.attempts(number, now - lookback)
          const recent = attempts.filter((a) => a.at > now - day).map((a) => a.at)
          const heads = new Set<string>()
          let next: { readonly row: Row; readonly slot: number } | undefined
          for (const row of queued) {
            if (heads.has(row.recipient)) continue
            heads.add(row.recipient)
            const history = {
              recent,
              lastToRecipient: attempts.findLast((a) => a.recipient === row.recipient)?.at,
              warmupStartedAt: state.warmupStartedAt
            }
            const slot = Math.max(row.availableAt, Pacing.nextSlot(config, history, now, draw))
            if (next === undefined || slot < next.slot) next = { row, slot }
          }
          if (next === undefined) return
          if (next.slot > now) {
            // Measured again: the queries above took time.
            yield* sleepOrWake(latch, next.slot - (yield* Clock.currentTimeMillis))
            continue
          }
          const row = next.row
          // The attempt is stored before the request leaves; from here to the stored outcome
          // nothing interrupts it, so only a crash can leave it `sending`.
          yield* Effect.uninterruptible(
            Effect.gen(function* () {
              const claimed = yield* store.claim(row.seq, number, now)
              if (claimed === undefined) return // cancelled meanwhile
              yield* publish(claimed)
              const input: unknown = JSON.parse(claimed.input)
              const text = textOf(claimed.operation, input)
              // When the request left, for its status; pacing counts from when the dispatch returned.
              const dispatchedAt = yield* Clock.currentTimeMillis
              yield* Metric.update(OutboxMetrics.dispatched, 1)
              const exit = yield* Effect.exit(
                dispatcher.dispatch({
                  key: claimed.key,
                  number,
                  // Checked by `Outbox.send` before it was stored.
                  operation: claimed.operation as SendOperation.Name,
                  input,
                  recipient: claimed.recipient,
                  typing: Pacing.typingDuration(config, text?.length ?? 0)
                })
              )
              const took = (yield* Clock.currentTimeMillis) - dispatchedAt
              yield* Metric.update(OutboxMetrics.dispatchDuration, Duration.millis(took))
              yield* settle(claimed, exit, dispatchedAt)
            })
          )
          draw = yield* Random.next
        }
      })

    return { drive, sleepOrWake, store, wake }
  })
