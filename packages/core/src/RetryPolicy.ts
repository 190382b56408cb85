/**
 * When a provider retries a failed call. The rule that matters: **a message is never sent twice.**
 *
 * - Reads (status, lists, lookups — idempotent calls) retry transient failures — the vendor
 *   unreachable or timing out, 5xx, 408, rate limiting — with jittered exponential backoff.
 * - Sends (and every other call that changes something) retry only when the vendor certainly did
 *   not process the request: it provably never reached the vendor (`ProviderUnavailable.notSent`:
 *   connection refused, DNS failure), the vendor refused it for rate (`RateLimited`, 429), or it
 *   asked to come back later (a 503 with `Retry-After`, the only `ProviderUnavailable` that carries
 *   `retryAfterSeconds`). A timeout, a reset, a 408 or any other 5xx after the request left is not
 *   retried: the vendor may have queued the message.
 * - A vendor-requested delay longer than `maxRetryAfter`, or one that would end past the
 *   deadline, is not waited for: the error is returned with its `retryAfterSeconds` so the
 *   application can schedule the retry itself.
 * - Every attempt and every wait together end within one `deadline`: a hung vendor costs one
 *   deadline, not one timeout per attempt.
 */
import { Clock, Duration, Effect, Random } from "effect"
import { withDeadline } from "./internal/timeout.ts"
import { ProviderUnavailable, type WhatsAppError } from "./WhatsAppError.ts"

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
  /**
   * The longest one operation may take, every attempt, backoff and `Retry-After` wait included;
   * past it the call fails with `ProviderUnavailable` (`notSent` false). Default: the provider's
   * `timeout`, so retries fit in the time one exchange may take.
   */
  readonly deadline?: Duration.Input | undefined
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

/** Whether the vendor certainly did not process the request (see the module doc). */
const certainlyNotProcessed = (error: WhatsAppError): boolean =>
  error._tag === "RateLimited" ||
  (error._tag === "ProviderUnavailable" && (error.notSent || error.retryAfterSeconds !== undefined))

/** The delay before retrying after `error`, or undefined when it must not be retried. */
const delayFor = (
  error: WhatsAppError,
  kind: CallKind,
  policy: RetryPolicy,
  attempt: number
): Effect.Effect<Duration.Duration> | undefined => {
  const transient = error._tag === "ProviderUnavailable" || error._tag === "RateLimited"
  if (!transient || (kind === "send" && !certainlyNotProcessed(error))) return undefined
  const retryAfter = error.retryAfterSeconds
  if (retryAfter === undefined) return backoff(policy, attempt)
  const wait = Duration.seconds(retryAfter)
  return Duration.isLessThanOrEqualTo(wait, Duration.fromInputUnsafe(policy.maxRetryAfter))
    ? Effect.succeed(wait)
    : undefined
}

/** What `retry` needs besides the call. */
export interface Options {
  readonly kind: CallKind
  readonly policy: RetryPolicy
  /** Names the call in the error a passed deadline fails with. */
  readonly context: { readonly provider: string; readonly operation: string }
}

/** Runs `effect`, retrying it as the policy allows for its kind of call, within the policy's deadline. */
export const retry = <A, R>(
  effect: Effect.Effect<A, WhatsAppError, R>,
  options: Options
): Effect.Effect<A, WhatsAppError, R> => {
  const { kind, policy, context } = options
  const limit = kind === "read" ? policy.readRetries : policy.sendRetries
  const deadline = policy.deadline === undefined ? undefined : Duration.fromInputUnsafe(policy.deadline)
  const attempt = (n: number, endsAt: number): Effect.Effect<A, WhatsAppError, R> =>
    Effect.catch(effect, (error: WhatsAppError) => {
      const delay = n < limit ? delayFor(error, kind, policy, n) : undefined
      if (delay === undefined) return Effect.fail(error)
      return Effect.flatMap(Effect.zip(delay, Clock.currentTimeMillis), ([wait, now]) =>
        // A wait that would end past the deadline is not started: the error says more than a timeout.
        now + Duration.toMillis(wait) >= endsAt
          ? Effect.fail(error)
          : Effect.andThen(Effect.sleep(wait), attempt(n + 1, endsAt))
      )
    })
  if (deadline === undefined) return attempt(0, Number.POSITIVE_INFINITY)
  // The exchanges inside see when the deadline ends: one ending no sooner runs no timer of its own.
  return withDeadline(
    (endsAt) => attempt(0, endsAt),
    deadline,
    () =>
      Effect.fail(
        new ProviderUnavailable({
          ...context,
          detail: `Timeout (the call did not complete within its ${Duration.format(deadline)} deadline)`,
          notSent: false
        })
      )
  )
}
