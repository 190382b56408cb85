/**
 * The operations of `WhatsApp` the outbox can carry, derived from core's operation table: those
 * that send a message, i.e. answer a `SendReceipt` (`sendText`, `sendMedia`, `reply`, …). A send is
 * checked against its operation's input schema before it is stored and stored in the schema's
 * JSON form, so what comes back out of the store decodes to the very input the caller gave.
 */
import { ChatId, Operation, SendReceipt, WhatsAppError } from "@pombo/core"
import { Effect, Predicate, Result, Schema } from "effect"

/** The name of an operation that sends a message. */
export type Name = {
  readonly [N in Operation.Name]: Operation.Output<N> extends SendReceipt.SendReceipt ? N : never
}[Operation.Name]

/** Every sending operation, in service order. */
export const names: ReadonlyArray<Name> = Operation.names.filter(
  (name): name is Name => Operation.operations[name].output === SendReceipt.SendReceipt
)

/** Whether `operation` is one the outbox can carry. */
export const isName = (operation: string): operation is Name => (names as ReadonlyArray<string>).includes(operation)

/** What `Outbox.send` takes for `N`: the operation's own input, `providerOptions` included. */
export type Input<N extends Name> = Operation.Input<N>

/** A send as it is stored: the input in its schema's JSON form, the recipient chat derived from it. */
export interface Encoded {
  /** JSON of the input's encoded form plus `providerOptions`, as given. */
  readonly input: string
  /** The chat the message goes to (`ChatId.display`): the unit of the per-recipient gap. */
  readonly recipient: string
}

const schemaOf = (name: Name) => Operation.operations[name].input
const codecOf = (name: Name) => Schema.toCodecJson(schemaOf(name)) as unknown as Schema.Codec<unknown, unknown>

/** The chat a validated input of a sending operation goes to: its `to`, or the chat of the message it answers. */
const chatOf = (input: unknown): ChatId.ChatId => {
  const { to, message } = input as { readonly to?: ChatId.ChatId; readonly message?: { readonly chat: ChatId.ChatId } }
  return (to ?? message?.chat) as ChatId.ChatId
}

/**
 * Checks a send before it is stored: a sending operation of `WhatsApp`, its input valid against
 * the operation's schema (the `InvalidRequest` names the field), JSON-serialisable options.
 */
export const encode = (
  provider: string,
  operation: string,
  input: unknown
): Result.Result<Encoded, WhatsAppError.InvalidRequest> => {
  const refuse = (field: string, detail: string) =>
    Result.fail(new WhatsAppError.InvalidRequest({ provider, operation, field, detail }))
  if (!isName(operation)) {
    return refuse("operation", `the outbox carries only the sending operations of WhatsApp: ${names.join(", ")}`)
  }
  const valid = Operation.validateInput(provider, operation, input)
  if (Result.isFailure(valid)) return Result.fail(valid.failure)
  const encoded = Schema.encodeUnknownResult(codecOf(operation))(valid.success)
  if (Result.isFailure(encoded)) return refuse("input", encoded.failure.message)
  const providerOptions = Predicate.isObject(input)
    ? (input as { readonly providerOptions?: unknown }).providerOptions
    : undefined
  try {
    const json = JSON.stringify(
      providerOptions === undefined ? encoded.success : { ...(encoded.success as object), providerOptions }
    )
    return Result.succeed({ input: json, recipient: ChatId.display(chatOf(valid.success)) })
  } catch (cause) {
    return refuse("providerOptions", `must be JSON: ${cause instanceof Error ? cause.message : String(cause)}`)
  }
}

/** Reads a stored input back into the operation's input (`providerOptions` kept as stored). */
export const decode = <N extends Name>(
  provider: string,
  operation: N,
  json: unknown
): Effect.Effect<Input<N>, WhatsAppError.InvalidRequest> =>
  Schema.decodeUnknownEffect(codecOf(operation))(json).pipe(
    Effect.map((input) => {
      const providerOptions = Predicate.isObject(json)
        ? (json as { readonly providerOptions?: unknown }).providerOptions
        : undefined
      return (providerOptions === undefined ? input : { ...(input as object), providerOptions }) as Input<N>
    }),
    Effect.mapError(
      (error) =>
        new WhatsAppError.InvalidRequest({
          provider,
          operation,
          field: "input",
          detail: `the stored input no longer decodes: ${error.message}`
        })
    )
  )
