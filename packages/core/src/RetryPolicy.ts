/**
 * When a provider retries a failed call. The rule that matters: **a message is never sent twice.**
 *
 * - Reads (status, lists, lookups — idempotent calls) retry transient failures — the vendor
 *   unreachable, 5xx, rate limiting — with jittered exponential backoff.
 * - Sends (and every other call that changes something) retry only when the request provably
 *   never reached the vendor (`ProviderUnavailable.notSent`: connection refused, DNS failure), or
 *   when the vendor itself asked for a retry with a delay (`RateLimited`, or a 503 with
 *   `Retry-After`). A timeout or a 500 after the request left is not retried: the vendor may have
 *   queued the message.
 * - A vendor-requested delay longer than `maxRetryAfter` is not waited for: the error is returned
 *   with its `retryAfterSeconds` so the application can schedule the retry itself.
 */
import { Duration, Effect, Random } from "effect"
import type { WhatsAppError } from "./WhatsAppError.ts"

/** The retry settings a provider is configured with. */
export interface RetryPolicy {
  /** Retries of a read after a transient failure. */
  readonly readRetries: number
  /** Retries of a send, in the safe cases only (see module doc). */
  readonly sendRetries: number
  /** First backoff delay; it doubles each attempt, with ±50% jitter. */
  readonly baseDelay: Duration.Input
  /** Longest backoff delay. */
  readonly maxDelay: Duration.Input
  /** Longest vendor-requested (`Retry-After`) delay Pombo waits for before retrying. */
  readonly maxRetryAfter: Duration.Input
}

/** Three retries for reads, two safe retries for sends, 200 ms doubling up to 5 s, `Retry-After` up to 30 s. */
export const defaults: RetryPolicy = {
  readRetries: 3,
  sendRetries: 2,
  baseDelay: "200 millis",
  maxDelay: "5 seconds",
  maxRetryAfter: "30 seconds"
}

/** Never retry. */
export const none: RetryPolicy = { ...defaults, readRetries: 0, sendRetries: 0 }

/** Whether a call only reads (safe to repeat) or may change something, like sending a message. */
export type CallKind = "read" | "send"

const backoff = (policy: RetryPolicy, attempt: number): Effect.Effect<Duration.Duration> =>
  Effect.map(Random.next, (random) => {
    const exponential = Duration.toMillis(policy.baseDelay) * 2 ** attempt
    const capped = Math.min(exponential, Duration.toMillis(policy.maxDelay))
    return Duration.millis(Math.round(capped * (0.5 + random)))
  })

/** The delay before retrying after `error`, or undefined when it must not be retried. */
const delayFor = (
  error: WhatsAppError,
  kind: CallKind,
  policy: RetryPolicy,
  attempt: number
): Effect.Effect<Duration.Duration> | undefined => {
  const retryAfter =
    error._tag === "RateLimited" || error._tag === "ProviderUnavailable" ? error.retryAfterSeconds : undefined
  if (retryAfter !== undefined) {
    const wait = Duration.seconds(retryAfter)
    return Duration.isLessThanOrEqualTo(wait, Duration.fromInputUnsafe(policy.maxRetryAfter))
      ? Effect.succeed(wait)
      : undefined
  }
  if (kind === "read") {
    return error._tag === "ProviderUnavailable" || error._tag === "RateLimited" ? backoff(policy, attempt) : undefined
  }
  return error._tag === "ProviderUnavailable" && error.notSent ? backoff(policy, attempt) : undefined
}

/** Runs `effect`, retrying it as the policy allows for its kind of call. */
export const retry = <A, R>(
  effect: Effect.Effect<A, WhatsAppError, R>,
  options: { readonly kind: CallKind; readonly policy: RetryPolicy }
): Effect.Effect<A, WhatsAppError, R> => {
  const limit = options.kind === "read" ? options.policy.readRetries : options.policy.sendRetries
  const attempt = (n: number): Effect.Effect<A, WhatsAppError, R> =>
    Effect.catch(effect, (error: WhatsAppError) => {
      const delay = n < limit ? delayFor(error, options.kind, options.policy, n) : undefined
      return delay === undefined
        ? Effect.fail(error)
        : Effect.flatMap(delay, (d) => Effect.andThen(Effect.sleep(d), attempt(n + 1)))
    })
  return attempt(0)
}
