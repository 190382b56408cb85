/**
 * Campaigns: one content sent from one number to a list of recipients, each with its own
 * variables (`{{name}}` in the content's texts), paced like any other send of that number, with
 * the campaign's progress as a stream.
 *
 * A campaign is its outbox sends — one per recipient, under the key `<campaign>/<recipient id>`
 * and tagged with the campaign — so it inherits everything a send has: stored before it leaves,
 * sent at most once, paced per number across restarts and failovers. `start` is idempotent: run
 * it again (after a crash half-way through storing a large list, or by mistake) and only the
 * recipients not stored yet are added; nobody gets the message twice.
 *
 * Why not `effect/workflow`: a workflow journals each step so a re-run skips what was done. Here
 * each step is already one durable, idempotent row keyed by campaign and recipient, and the
 * sending and pacing belong to the number's single owner (`OutboxWorker` / `OutboxCluster`), not
 * to the campaign; a workflow would keep a second record of the same facts and one more engine
 * to run, and would not make a re-run any safer than the keys do.
 */
import type { ChatId, Operation } from "@pombo/core"
import { WhatsAppError } from "@pombo/core"
import { Duration, Effect, Result, Schedule, Stream } from "effect"
import { internalsOf } from "./internal/registry.ts"
import { Outbox, OutboxError } from "./Outbox.ts"
import * as SendOperation from "./SendOperation.ts"

/** The sending operations addressed with `to` (a campaign sets it per recipient). */
export type Name = {
  readonly [N in SendOperation.Name]: Operation.Valid<N> extends { readonly to: ChatId.ChatId } ? N : never
}[SendOperation.Name]

/** One recipient: a stable id (unique in the campaign), the chat, and the values of the content's `{{variables}}`. */
export interface Recipient {
  readonly id: string
  readonly to: ChatId.ChatId
  readonly variables?: Readonly<Record<string, string>> | undefined
}

/** A campaign to start. */
export interface Request<N extends Name = Name> {
  /** Your key for the campaign: starting it again adds only the recipients it does not have yet. */
  readonly key: string
  /** The sending number, `provider:instance`, whose pacing spreads the campaign out. */
  readonly number: string
  readonly operation: N
  /** The operation's input without `to`; `{{name}}` in any text is replaced by the recipient's `name`. */
  readonly content: Omit<SendOperation.Input<N>, "to">
  readonly recipients: ReadonlyArray<Recipient>
}

/** What `start` did. */
export interface Started {
  readonly key: string
  readonly total: number
  /** Recipients stored by this call; the others were stored by an earlier one. */
  readonly added: number
}

/**
 * A campaign's progress, cumulative: `sent` counts every send the vendor accepted (also those
 * delivered or read since), `delivered` those delivered or read.
 */
export interface Progress {
  readonly total: number
  readonly queued: number
  readonly sent: number
  readonly delivered: number
  readonly read: number
  readonly failed: number
  readonly uncertain: number
  readonly cancelled: number
}

const placeholder = /\{\{\s*([\w.-]+)\s*\}\}/g

/**
 * The content with every `{{name}}` in its strings replaced, deep in plain objects and arrays
 * (core's values, such as chat ids, are kept as they are); a variable the recipient lacks is
 * reported, never left in the text.
 */
export const render = (
  content: unknown,
  variables: Readonly<Record<string, string>>
): Result.Result<unknown, ReadonlyArray<string>> => {
  const missing = new Set<string>()
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") {
      return value.replace(placeholder, (whole, name: string) => {
        const replacement = variables[name]
        if (replacement === undefined) missing.add(name)
        return replacement ?? whole
      })
    }
    if (Array.isArray(value)) return value.map(walk)
    if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]))
    }
    return value
  }
  const rendered = walk(content)
  return missing.size === 0 ? Result.succeed(rendered) : Result.fail([...missing])
}

/** The outbox key of one recipient's send. */
export const sendKey = (campaign: string, recipient: string) => `${campaign}/${recipient}`

/**
 * Stores one send per recipient. Every recipient's input is rendered and checked first, so a bad
 * one (a missing variable, an input the operation's schema refuses, a repeated id) fails the whole
 * call with `InvalidRequest` naming it, before anything is stored.
 */
export const start = <N extends Name>(
  request: Request<N>
): Effect.Effect<Started, OutboxError | WhatsAppError.InvalidRequest, Outbox> =>
  Effect.gen(function* () {
    const outbox = yield* Outbox
    const provider = request.number.slice(0, Math.max(0, request.number.indexOf(":")))
    const refuse = (field: string, detail: string) =>
      new WhatsAppError.InvalidRequest({ provider, operation: request.operation, field, detail })
    if (request.key === "")
      return yield* new OutboxError({ operation: "campaign", cause: new Error("key is required") })
    const seen = new Set<string>()
    const sends: Array<SendOperation.Input<N>> = []
    for (const [index, recipient] of request.recipients.entries()) {
      if (recipient.id === "" || seen.has(recipient.id)) {
        return yield* refuse(
          `recipients.${index}.id`,
          `must be unique and non-empty, got ${JSON.stringify(recipient.id)}`
        )
      }
      seen.add(recipient.id)
      const rendered = render(request.content, recipient.variables ?? {})
      if (Result.isFailure(rendered)) {
        return yield* refuse(`recipients.${index}.variables`, `missing ${rendered.failure.join(", ")}`)
      }
      const input = { ...(rendered.success as object), to: recipient.to } as SendOperation.Input<N>
      const checked = SendOperation.encode(provider, request.operation, input)
      if (Result.isFailure(checked)) {
        const { field, detail } = checked.failure
        return yield* refuse(`recipients.${index}${field === undefined ? "" : `.${field}`}`, detail)
      }
      sends.push(input)
    }
    let added = 0
    for (const [index, input] of sends.entries()) {
      const ticket = yield* outbox.send({
        key: sendKey(request.key, request.recipients[index]!.id),
        number: request.number,
        operation: request.operation,
        input,
        campaign: request.key
      })
      if (!ticket.duplicate) added++
    }
    return { key: request.key, total: sends.length, added }
  })

/** Counts a campaign's sends by where they are. */
export const count = (campaign: string): Effect.Effect<Progress, OutboxError, Outbox> =>
  Effect.gen(function* () {
    const { store } = internalsOf(yield* Outbox)
    const counts = yield* store
      .campaignCounts(campaign)
      .pipe(Effect.mapError((cause) => new OutboxError({ operation: "campaign", cause })))
    const of = (...states: ReadonlyArray<string>) => states.reduce((n, state) => n + (counts.get(state) ?? 0), 0)
    return {
      total: of("queued", "sending", "accepted", "delivered", "read", "failed", "uncertain", "cancelled"),
      queued: of("queued", "sending"),
      sent: of("accepted", "delivered", "read"),
      delivered: of("delivered", "read"),
      read: of("read"),
      failed: of("failed"),
      uncertain: of("uncertain"),
      cancelled: of("cancelled")
    }
  })

const same = (a: Progress, b: Progress) =>
  a.total === b.total &&
  a.queued === b.queued &&
  a.sent === b.sent &&
  a.delivered === b.delivered &&
  a.read === b.read &&
  a.failed === b.failed &&
  a.uncertain === b.uncertain &&
  a.cancelled === b.cancelled

/**
 * The campaign's progress now and at every change: at once for changes in this process, within
 * `pollInterval` (default 1 second) for changes elsewhere. It ends when every send is read,
 * failed or cancelled; otherwise take from it what you need (delivery and read receipts may never
 * come).
 */
export const progress = (
  campaign: string,
  options: { readonly pollInterval?: Duration.Input | undefined } = {}
): Stream.Stream<Progress, OutboxError, Outbox> =>
  Stream.unwrap(
    Effect.gen(function* () {
      const outbox = yield* Outbox
      const interval = Duration.fromInputUnsafe(options.pollInterval ?? "1 second")
      const prefix = sendKey(campaign, "")
      const local = outbox.changes.pipe(Stream.filter((status) => status.key.startsWith(prefix)))
      const ticks = Stream.merge(Stream.fromSchedule(Schedule.spaced(interval)), local)
      return Stream.concat(Stream.succeed(undefined), ticks).pipe(
        Stream.mapEffect(() => count(campaign)),
        Stream.changesWith(same),
        Stream.takeUntil((p) => p.total > 0 && p.read + p.failed + p.cancelled === p.total),
        Stream.provideService(Outbox, outbox)
      )
    })
  )
