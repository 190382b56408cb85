/**
 * A suite measures one area of the goals table and returns its figures. `suites/index.ts` lists
 * them in the order they run; a new area (the durable inbox, the outbox) is a new `Suite` there,
 * taking its bounds from `Budget` and its goals from `Goals`.
 */

import type { Vendor } from "./adapters/spec.ts"
import type { Figure } from "./Figure.ts"
import type { Responder } from "./Responders.ts"

/** How much measuring a run affords; `quick` proves every figure is produced, nothing more. */
export interface Budget {
  /** Interleaved rounds of the in-process micro figures (decode, group). */
  readonly rounds: number
  /** Target duration of one batch of a micro figure, in milliseconds. */
  readonly batchMs: number
  /** Unrecorded warm-up before each interleaved set (decode per vendor, group, send per level). */
  readonly warmupMs: number
  /** At least this many warm-up rounds over every documented example before decode is measured. */
  readonly decodeWarmupRounds: number
  /** At least this many warm-up rounds of every sender before send is measured. */
  readonly sendWarmupRounds: number
  /** Interleaved rounds of the send figures. */
  readonly sendRounds: number
  /** Sends per batch at concurrency 1; at concurrency c it is `c × sendsPerWorker`. */
  readonly sendsAtC1: number
  readonly sendsPerWorker: number
  /** Interleaved rounds of the receiver figures, and the length of one load burst. */
  readonly receiverRounds: number
  readonly burstMs: number
  /** Interleaved cold starts of each script, per vendor. */
  readonly coldStartRounds: number
  /** Sends stored for the outbox's cluster runners, per runner count. */
  readonly clusterSends: number
  /** Time left for the cluster to spread its shards over the runners before measuring. */
  readonly clusterSpreadMs: number
}

/** The two modes: `full` (≈ 2–3 minutes) and `quick` (a smoke run). */
export const budgets = {
  full: {
    rounds: 15,
    batchMs: 2,
    warmupMs: 2000,
    decodeWarmupRounds: 100,
    sendWarmupRounds: 3,
    sendRounds: 12,
    sendsAtC1: 30,
    sendsPerWorker: 2,
    receiverRounds: 4,
    burstMs: 1000,
    coldStartRounds: 5,
    clusterSends: 600,
    clusterSpreadMs: 8000
  },
  quick: {
    rounds: 1,
    batchMs: 0.2,
    warmupMs: 0,
    decodeWarmupRounds: 1,
    sendWarmupRounds: 1,
    sendRounds: 1,
    sendsAtC1: 5,
    sendsPerWorker: 1,
    receiverRounds: 1,
    burstMs: 150,
    coldStartRounds: 1,
    clusterSends: 24,
    clusterSpreadMs: 0
  }
} as const satisfies Record<string, Budget>

/** A run mode. */
export type Mode = keyof typeof budgets

/** What a suite gets from the runner. */
export interface SuiteContext {
  readonly mode: Mode
  readonly budget: Budget
  /** A progress line on stderr (the table goes to stdout). */
  readonly progress: (line: string) => void
  /** The vendor stand-in answering the documented send response, shared by the suites. */
  readonly responder: (vendor: Vendor) => Promise<Responder>
}

/** One area of the goals table. */
export interface Suite {
  /** The table section, and the `--only` name. */
  readonly area: string
  readonly run: (context: SuiteContext) => Promise<ReadonlyArray<Figure>>
}
