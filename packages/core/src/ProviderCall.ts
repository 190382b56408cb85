/**
 * How a provider calls its generated client on behalf of one `WhatsApp` operation, written once
 * for every provider: the call's failure becomes a `WhatsAppError` (transport and decode failures
 * the same way everywhere; HTTP statuses through the vendor's own `fromStatus`), a success the
 * vendor marks as a failure is failed by its `fromSuccess`, and the call is retried by
 * `RetryPolicy` as a read or a send according to the spec's `idempotent` flag.
 */
import { type Duration, Effect, Predicate } from "effect"
import type * as HttpClientRuntime from "./HttpClientRuntime.ts"
import type * as Operation from "./Operation.ts"
import * as RetryPolicy from "./RetryPolicy.ts"
import {
  InvalidRequest,
  ProviderUnavailable,
  RateLimited,
  UnexpectedResponse,
  type WhatsAppError
} from "./WhatsAppError.ts"

/** A vendor's reading of an HTTP status it answered: the one vendor-specific part of error mapping. */
export type FromStatus = (error: HttpClientRuntime.ClientStatusError, context: Operation.Context) => WhatsAppError

const member = (value: unknown, name: string): unknown =>
  Predicate.isObject(value) ? (value as Readonly<Record<string, unknown>>)[name] : undefined

const nonBlank = (value: unknown): Array<string> =>
  typeof value === "string" && value.trim() !== "" ? [value.trim()] : []

/**
 * The explanation in a problem+json error body (RFC 9457, what the Prism mocks answer for a
 * request the spec rejects): its `title`, `detail` and each `validation` message with where it
 * applies (`body.messageData.to: must match pattern`). Empty for any other body.
 */
export const problemDetails = (body: unknown): Array<string> => {
  const validation = member(body, "validation")
  const violations = Array.isArray(validation)
    ? validation.flatMap((item) => {
        const location = member(item, "location")
        const where = Array.isArray(location) ? location.map(String).join(".") : ""
        return nonBlank(member(item, "message")).map((message) => (where === "" ? message : `${where}: ${message}`))
      })
    : []
  return [...nonBlank(member(body, "title")), ...nonBlank(member(body, "detail")), ...violations]
}

/**
 * The statuses every vendor means the same way, read once for all of them: 429 is `RateLimited`
 * (with its `Retry-After`); 408 (the vendor timed out reading the request) and every 5xx are
 * `ProviderUnavailable` with `notSent` false, since the vendor may have acted on the request.
 * Only a 503 keeps its `Retry-After`: it is the vendor asking to come back later, which
 * `RetryPolicy` trusts as "not processed"; a `Retry-After` on a 500, 502 or 504 promises nothing.
 * Any other status gives `undefined`, for the vendor's own reading.
 */
export const transientStatus = (
  error: HttpClientRuntime.ClientStatusError,
  context: { readonly provider: string; readonly operation: string },
  detail: string
): RateLimited | ProviderUnavailable | undefined => {
  const { status, retryAfterSeconds } = error
  if (status === 429) {
    return new RateLimited({ ...context, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) })
  }
  if (status !== 408 && status < 500) return undefined
  return new ProviderUnavailable({
    ...context,
    detail,
    notSent: false,
    ...(status === 503 && retryAfterSeconds !== undefined ? { retryAfterSeconds } : {})
  })
}

/** A generated client failure as the `WhatsApp` error of the operation in `context`. */
export const fromClientError =
  (fromStatus: FromStatus) =>
  (error: HttpClientRuntime.ClientError, context: Operation.Context): WhatsAppError => {
    const { provider, operation } = context
    switch (error._tag) {
      case "ClientStatusError":
        return fromStatus(error, context)
      case "ClientTransportError":
        // Input the spec rejects is refused before anything is sent: a bad request, not an outage.
        return error.reason.startsWith("EncodeError")
          ? new InvalidRequest({ provider, operation, detail: error.reason })
          : new ProviderUnavailable({ provider, operation, detail: error.reason, notSent: error.notSent })
      case "ClientDecodeError":
        return new UnexpectedResponse({ provider, operation, status: error.status, detail: error.issue })
    }
  }

type Method = (...input: ReadonlyArray<never>) => Effect.Effect<unknown, HttpClientRuntime.ClientError>

/** What `make` needs: the generated client, its operation metadata, the vendor's rules, the retry policy. */
export interface Options<Client extends { readonly [K in keyof Client]: Method }> {
  readonly client: Client
  /** The generated `operations` metadata: whether repeating each one is harmless. */
  readonly operations: { readonly [K in keyof Client]: { readonly idempotent: boolean } }
  readonly fromStatus: FromStatus
  /** A success body the vendor uses to report a failure (Mega-API's `error: true`). */
  readonly fromSuccess?: (body: unknown, context: Operation.Context) => WhatsAppError | undefined
  readonly retry: RetryPolicy.RetryPolicy
  /** The client's per-exchange timeout: the retry deadline when the policy sets none. */
  readonly timeout: Duration.Input
}

/** The call helper: `call(context, operationId, input)`, typed by the generated client. */
export const make = <Client extends { readonly [K in keyof Client]: Method }>(options: Options<Client>) => {
  const toWhatsAppError = fromClientError(options.fromStatus)
  const { fromSuccess } = options
  const policy: RetryPolicy.RetryPolicy = { ...options.retry, deadline: options.retry.deadline ?? options.timeout }
  return <Id extends keyof Client>(
    context: Operation.Context,
    operationId: Id,
    ...input: Parameters<Client[Id]>
  ): Effect.Effect<Effect.Success<ReturnType<Client[Id]>>, WhatsAppError> => {
    const method = options.client[operationId] as unknown as (
      ...input: Parameters<Client[Id]>
    ) => Effect.Effect<Effect.Success<ReturnType<Client[Id]>>, HttpClientRuntime.ClientError>
    const checked = Effect.matchEffect(method(...input), {
      onFailure: (error) => Effect.fail(toWhatsAppError(error, context)),
      onSuccess: (body) => {
        const failure = fromSuccess?.(body, context)
        return failure === undefined ? Effect.succeed(body) : Effect.fail(failure)
      }
    })
    return RetryPolicy.retry(checked, {
      kind: options.operations[operationId].idempotent ? "read" : "send",
      policy,
      context: { provider: context.provider, operation: context.operation }
    })
  }
}
