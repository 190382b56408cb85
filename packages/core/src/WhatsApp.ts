/**
 * The `WhatsApp` service: the provider-agnostic operations an application calls. A provider
 * layer (`@pombo/megaapi`, `@pombo/zapi`, or `InMemoryWhatsApp` in tests) supplies it; swapping
 * vendors is a configuration change, not a code change.
 *
 * Providers build the service with `make`, giving only the operations their vendor can do. Each
 * implementation receives the validated input and its `Operation.Context` (provider, operation,
 * its own `providerOptions`, the refusal). `make` validates every input before the provider sees
 * it (bad input → `InvalidRequest`, nothing sent), answers `Unsupported` for every operation the
 * provider did not give, derives `capabilities` from what it was given, and traces each call as
 * `WhatsApp.<operation>`.
 */
import { Context, Effect, Predicate, Result, type Schema } from "effect"
import type { Capabilities, Capability } from "./Capability.ts"
import type * as ChatId from "./ChatId.ts"
import { withoutStackTrace } from "./internal/spans.ts"
import * as Operation from "./Operation.ts"
import { InvalidRequest, Unsupported, type WhatsAppError } from "./WhatsAppError.ts"

/** Every abstract operation, as the application calls it. */
export type Operations = {
  readonly [N in keyof typeof Operation.operations]: Call<N>
}

/** One operation as the application calls it. */
export type Call<N extends Operation.Name> = (
  input: Operation.Input<N>
) => Effect.Effect<Operation.Output<N>, WhatsAppError>

/** How a provider implements one operation: validated input and the call's context in, the answer out. */
export type Implementation<N extends Operation.Name> = (
  input: Operation.Valid<N>,
  context: Operation.Context<N>
) => Effect.Effect<Operation.Output<N>, WhatsAppError>

/** The operations a provider implements; the rest are `Unsupported`. */
export type Implementations = {
  readonly [N in keyof typeof Operation.operations]?: Implementation<N>
}

/** The service: every operation, plus who provides it and what it can do. */
export interface Shape extends Operations {
  /** The provider's name: `megaapi`, `zapi`, `in-memory`… */
  readonly provider: string
  /** The operations this provider can do; every other one fails with `Unsupported`. */
  readonly capabilities: Capabilities
}

/** The WhatsApp service. */
export class WhatsApp extends Context.Service<WhatsApp, Shape>()("pombo/WhatsApp") {}

/** A provider's own `providerOptions` entry: its schema, and the operations that carry it. */
export interface ProviderOptionsSpec {
  readonly schema: Schema.Top
  readonly operations: ReadonlyArray<Operation.Name>
}

/**
 * The caller's `providerOptions` entry for this provider, checked: other providers' entries are
 * ignored; this provider's entry must match its schema and be given only to an operation that
 * carries it, or it is refused naming the field (it would otherwise be silently dropped).
 */
const ownOptions = (
  context: { readonly provider: string; readonly operation: Operation.Name },
  spec: ProviderOptionsSpec | undefined,
  input: unknown
): Result.Result<object | undefined, InvalidRequest> => {
  const { provider, operation } = context
  const all = Predicate.isObject(input) ? (input as { readonly providerOptions?: unknown }).providerOptions : undefined
  if (all === undefined) return Result.succeed(undefined)
  const refuse = (field: string, detail: string) => Result.fail(new InvalidRequest({ ...context, field, detail }))
  if (!Predicate.isObject(all) || Array.isArray(all)) return refuse("providerOptions", "must be an object")
  const own = (all as Readonly<Record<string, unknown>>)[provider]
  if (own === undefined) return Result.succeed(undefined)
  const field = `providerOptions.${provider}`
  if (spec === undefined || !spec.operations.includes(operation)) {
    return refuse(field, `${provider} has no options for ${operation}`)
  }
  const valid = Operation.validate(spec.schema, own, context)
  if (Result.isSuccess(valid)) return Result.succeed(valid.success as object)
  const { field: inner, detail } = valid.failure
  return refuse(inner === undefined ? field : `${field}.${inner}`, detail)
}

/** The kinds of chat id every vendor can address; a BSUID only where the vendor has them. */
export const defaultAddressable: ReadonlyArray<ChatId.ChatId["_tag"]> = ["Contact", "Group", "Broadcast"]

const chatKinds = new Set<string>(["Contact", "Group", "Broadcast", "BusinessScopedUser"])

/**
 * The first chat id in a validated input (at any depth) whose kind the provider cannot address,
 * with where it is (`to`, `message.chat`). Inputs are small records; this runs once per call.
 */
const unaddressable = (
  value: unknown,
  addressable: ReadonlyArray<string>,
  path: string,
  depth = 0
): { readonly field: string; readonly kind: string } | undefined => {
  if (depth > 6 || !Predicate.isObject(value)) return undefined
  const tag = (value as { readonly _tag?: unknown })._tag
  if (typeof tag === "string" && chatKinds.has(tag)) {
    if (!addressable.includes(tag)) return { field: path, kind: tag }
  }
  for (const [key, item] of Object.entries(value)) {
    if (key === "providerOptions") continue
    const found = unaddressable(item, addressable, path === "" ? key : `${path}.${key}`, depth + 1)
    if (found !== undefined) return found
  }
  return undefined
}

/**
 * Builds the service from the operations a provider implements. Inputs are validated here, once
 * for every provider; operations left out fail with `Unsupported`.
 */
export const make = (options: {
  readonly provider: string
  readonly operations: Implementations
  /** The provider's own `providerOptions`, when it has any. */
  readonly providerOptions?: ProviderOptionsSpec | undefined
  /**
   * The kinds of chat id the vendor can address (default `defaultAddressable`): any other kind in
   * an input is refused naming its field, before the provider sees it.
   */
  readonly addressable?: ReadonlyArray<ChatId.ChatId["_tag"]> | undefined
}): Shape => {
  const { provider } = options
  const addressable = options.addressable ?? defaultAddressable
  const capabilities = new Set<Capability>()
  const bind = <N extends Operation.Name>(operation: N): Call<N> => {
    const implementation: Implementation<N> | undefined = options.operations[operation]
    if (implementation === undefined) return () => Effect.fail(new Unsupported({ provider, operation }))
    capabilities.add(operation)
    const span = { attributes: { "pombo.provider": provider, "pombo.operation": operation } }
    return (input: Operation.Input<N>) => {
      const valid = Operation.validateInput(provider, operation, input)
      if (Result.isFailure(valid)) return Effect.fail(valid.failure)
      const own = ownOptions({ provider, operation }, options.providerOptions, input)
      if (Result.isFailure(own)) return Effect.fail(own.failure)
      const refused = unaddressable(valid.success, addressable, "")
      if (refused !== undefined) {
        const detail = `${provider} cannot address a chat of kind ${refused.kind}`
        return Effect.fail(new InvalidRequest({ provider, operation, field: refused.field, detail }))
      }
      return implementation(valid.success, Operation.context(provider, operation, own.success)).pipe(
        Effect.withSpan(`WhatsApp.${operation}`, span, withoutStackTrace)
      )
    }
  }
  return { provider, capabilities, ...Operation.record<Operations>(bind) }
}
