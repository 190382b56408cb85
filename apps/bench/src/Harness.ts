/**
 * The measuring engine: contestants run side by side, interleaved round by round (the order
 * rotates each round), and every figure is the median of per-round ratios against the floor.
 * On a shared 2-core machine the load drifts by the second; a ratio taken within one round
 * compares two runs that saw the same load, so the drift cancels where a ratio of two separate
 * means would not.
 */
import { cpuUsage, hrtime } from "node:process"

/** One timed batch of a contestant. */
export interface Sample {
  /** Operations run in the batch. */
  readonly ops: number
  /** Wall-clock time of the batch, in nanoseconds. */
  readonly wallNs: number
  /** CPU time (user + system) this process spent in the batch, in microseconds. */
  readonly cpuUs: number
}

/** Something measured: `run(ops)` performs `ops` operations, `ops` per batch. */
export interface Contestant {
  readonly name: string
  readonly ops: number
  readonly run: (ops: number) => unknown
}

/**
 * What a contestant's samples are compared on: wall time, or the CPU time of this process (all
 * its threads, GC included). CPU time does not count the time another process held the core, so
 * on a shared machine it is the steadier measure of work done.
 */
export type Metric = "wall" | "cpu"

/** Per-round samples, by contestant name. */
export type Samples = ReadonlyMap<string, ReadonlyArray<Sample>>

/**
 * Times one batch; `run` may be synchronous or return a promise. With `--expose-gc` the young
 * generation is emptied first, so a batch does not pay for the garbage of the one before it.
 */
export const time = async (run: (ops: number) => unknown, ops: number): Promise<Sample> => {
  globalThis.gc?.({ type: "minor" })
  const cpu = cpuUsage()
  const start = hrtime.bigint()
  const result = run(ops)
  if (result instanceof Promise) await result
  const wallNs = Number(hrtime.bigint() - start)
  const used = cpuUsage(cpu)
  return { ops, wallNs, cpuUs: used.user + used.system }
}

/** How long to warm up: whole unrecorded rounds until both bounds are reached (at least one round). */
export interface Warmup {
  readonly ms?: number | undefined
  readonly rounds?: number | undefined
}

/**
 * Warms every contestant up (see `Warmup`), then runs `rounds` rounds in which every contestant
 * runs one batch, starting each round one contestant later than the previous one. The JIT needs
 * thousands of calls to settle on code like a schema decoder or an HTTP client — a count, not a
 * time, which a loaded machine stretches — and a cold figure would measure the compiler.
 */
export const interleave = async (
  contestants: ReadonlyArray<Contestant>,
  rounds: number,
  warmup: Warmup = {}
): Promise<Samples> => {
  const samples = new Map<string, Array<Sample>>(contestants.map((c) => [c.name, []]))
  const warmUntil = performance.now() + (warmup.ms ?? 0)
  for (let round = 0; round < (warmup.rounds ?? 1) || performance.now() < warmUntil; round++) {
    for (const contestant of contestants) await time(contestant.run, contestant.ops)
  }
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < contestants.length; i++) {
      const contestant = contestants[(i + round) % contestants.length]!
      samples.get(contestant.name)!.push(await time(contestant.run, contestant.ops))
    }
  }
  return samples
}

/**
 * How many operations of a synchronous `run` fill about `targetMs`: doubles until a batch takes
 * a quarter of the target, then scales. Doubles as the warm-up that lets the JIT settle.
 *
 * Sized `attempts` times, keeping the largest: a batch descheduled on a loaded machine only ever
 * makes an estimate smaller, and a contestant left at a handful of operations per batch would
 * carry its fixed per-batch cost into every round (seen: a 1.6 µs decode measured at 23 µs with
 * 3 operations per batch).
 */
export const calibrate = (run: (ops: number) => unknown, targetMs: number, attempts = 5): number => {
  let best = 1
  for (let attempt = 0; attempt < attempts; attempt++) best = Math.max(best, calibrateOnce(run, targetMs))
  return best
}

const calibrateOnce = (run: (ops: number) => unknown, targetMs: number): number => {
  let ops = 1
  for (;;) {
    const start = hrtime.bigint()
    run(ops)
    const ms = Number(hrtime.bigint() - start) / 1e6
    if (ms >= targetMs / 4 || ops >= 1 << 24) return Math.max(1, Math.round((ops * targetMs) / Math.max(ms, 1e-3)))
    ops *= 2
  }
}

/** Cost of one operation in a sample, in nanoseconds of wall time or of CPU time. */
export const perOp = (sample: Sample, metric: Metric): number =>
  (metric === "wall" ? sample.wallNs : sample.cpuUs * 1000) / sample.ops

/** The round-by-round ratios `contestant ÷ floor` on `metric` (per operation). */
export const ratios = (samples: Samples, contestant: string, floor: string, metric: Metric): Array<number> => {
  const mine = samples.get(contestant) ?? []
  const theirs = samples.get(floor) ?? []
  return mine.map((sample, round) => perOp(sample, metric) / perOp(theirs[round]!, metric))
}

/** The per-operation costs of one contestant, round by round. */
export const costs = (samples: Samples, contestant: string, metric: Metric): Array<number> =>
  (samples.get(contestant) ?? []).map((sample) => perOp(sample, metric))

/** The `q`-quantile (0…1) of `values`, interpolated; NaN when empty. */
export const quantile = (values: ReadonlyArray<number>, q: number): number => {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const at = (sorted.length - 1) * q
  const low = Math.floor(at)
  const high = Math.ceil(at)
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low)
}

/** The median of `values`. */
export const median = (values: ReadonlyArray<number>): number => quantile(values, 0.5)

/** The median with the smallest and largest value, as figures print them. */
export interface Spread {
  readonly median: number
  readonly min: number
  readonly max: number
}

/** Median, min and max of `values`. */
export const spread = (values: ReadonlyArray<number>): Spread => ({
  median: median(values),
  min: Math.min(...values),
  max: Math.max(...values)
})

/** Runs `task` `total` times with at most `concurrency` running at once. */
export const concurrently = async (total: number, concurrency: number, task: () => Promise<unknown>): Promise<void> => {
  let started = 0
  const worker = async () => {
    while (started < total) {
      started++
      await task()
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker))
}
