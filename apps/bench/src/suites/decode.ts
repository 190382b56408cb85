/**
 * Decode: every documented webhook example, bytes → events, against `JSON.parse` of the same
 * bytes — per vendor route and through the auto-detecting route — plus the events per second
 * of the common message kinds. All in-process and synchronous, compared on CPU time (so the
 * events per second are per core, whatever else the machine runs).
 */
import { autoDecodeBytes, commonKinds, decodeBytes, kindOf, recognised } from "../adapters/decode.ts"
import { vendors, webhookExamples } from "../adapters/spec.ts"
import { type Figure, formatNumber, micros } from "../Figure.ts"
import * as Goals from "../Goals.ts"
import { calibrate, costs, interleave, median, ratios, type Warmup } from "../Harness.ts"
import type { Budget, Suite } from "../Suite.ts"

const utf8 = new TextDecoder()
// Results land here so no engine can drop the work as dead code.
const sink: { last: unknown; count: number } = { last: undefined, count: 0 }

/** The floor: what any handler does with a webhook body. */
export const parse = (bytes: Uint8Array): unknown => JSON.parse(utf8.decode(bytes))

/** One payload measured: Pombo's decode and `JSON.parse`, CPU nanoseconds per operation and ratios. */
export interface Measured {
  readonly ratio: number
  readonly range: readonly [number, number]
  readonly autoRatio: number
  readonly pomboNs: number
  readonly parseNs: number
  readonly events: number
}

/**
 * Measures `decode` (and optionally `auto`) against `JSON.parse` on each payload, all payloads
 * in one interleaved set: the decoder warms up on the whole mix, as a server's would, and every
 * round visits every payload, so a payload's ratio pairs batches run moments apart. Batches are
 * sized to about `budget.batchMs`.
 */
export const measurePayloads = async (
  payloads: ReadonlyArray<Uint8Array>,
  decode: (bytes: Uint8Array) => ReadonlyArray<unknown>,
  budget: Pick<Budget, "rounds" | "batchMs">,
  warmup: Warmup,
  auto?: (bytes: Uint8Array) => ReadonlyArray<unknown>
): Promise<Array<Measured>> => {
  const loop = (f: (bytes: Uint8Array) => unknown, bytes: Uint8Array) => (n: number) => {
    for (let i = 0; i < n; i++) sink.last = f(bytes)
  }
  const ways = { parse, pombo: decode, ...(auto === undefined ? {} : { auto }) }
  const contestants = payloads.flatMap((bytes, p) =>
    Object.entries(ways).map(([way, f]) => ({ name: `${p}:${way}`, run: loop(f, bytes), ops: 1 }))
  )
  // Warm-up only (no rounds): one call per payload and way, over and over.
  await interleave(contestants, 0, warmup)
  const sized = contestants.map((c) => ({ ...c, ops: calibrate(c.run, budget.batchMs) }))
  const samples = await interleave(sized, budget.rounds)
  return payloads.map((bytes, p) => {
    const perRound = ratios(samples, `${p}:pombo`, `${p}:parse`, "cpu")
    const events = decode(bytes).length
    sink.count += events
    return {
      ratio: median(perRound),
      range: [Math.min(...perRound), Math.max(...perRound)],
      autoRatio: auto === undefined ? Number.NaN : median(ratios(samples, `${p}:auto`, `${p}:parse`, "cpu")),
      pomboNs: median(costs(samples, `${p}:pombo`, "cpu")),
      parseNs: median(costs(samples, `${p}:parse`, "cpu")),
      events
    }
  })
}

/** The decode figures: per vendor, every documented example, and the common kinds' events/s. */
export const decode: Suite = {
  area: "decode",
  run: async ({ budget, progress }) => {
    const figures: Array<Figure> = []
    for (const vendor of vendors) {
      const examples = await webhookExamples(vendor)
      progress(`decode: ${examples.length} documented ${vendor} examples`)
      const kinds = examples.map((example) => {
        const events = decodeBytes(vendor)(example.bytes)
        if (!recognised(events)) throw new Error(`${vendor} ${example.name} does not decode to a recognised event`)
        return kindOf(events[0]!)
      })
      const results = await measurePayloads(
        examples.map((example) => example.bytes),
        decodeBytes(vendor),
        budget,
        { ms: budget.warmupMs, rounds: budget.decodeWarmupRounds },
        autoDecodeBytes
      )
      const measured = results.map((result, i) => ({ example: examples[i]!, kind: kinds[i]!, ...result }))
      const byRatio = [...measured].sort((a, b) => b.ratio - a.ratio)
      const worst = byRatio[0]!
      const all = measured.map((m) => m.ratio)
      const autoAll = measured.map((m) => m.autoRatio)
      const worstAuto = [...measured].sort((a, b) => b.autoRatio - a.autoRatio)[0]!
      figures.push(
        {
          id: `decode.${vendor}.median`,
          area: "decode",
          label: `${vendor}: bytes → events ÷ JSON.parse, median over ${measured.length} documented examples`,
          value: median(all),
          range: [Math.min(...all), Math.max(...all)],
          unit: "×",
          goal: Goals.decodeMedian,
          detail: `median ${micros(median(measured.map((m) => m.pomboNs)))} per payload; JSON.parse ${micros(median(measured.map((m) => m.parseNs)))}`,
          values: Object.fromEntries(measured.map((m) => [m.example.name, m.ratio]))
        },
        {
          id: `decode.${vendor}.worst`,
          area: "decode",
          label: `${vendor}: bytes → events ÷ JSON.parse, worst documented example`,
          value: worst.ratio,
          range: worst.range,
          unit: "×",
          goal: Goals.decodeWorst,
          detail: byRatio
            .slice(0, 3)
            .map((m) => `${m.example.name} ${formatNumber(m.ratio)}× (${micros(m.pomboNs)})`)
            .join(" · ")
        },
        {
          id: `decode.${vendor}.auto`,
          area: "decode",
          label: `${vendor}: through the auto-detecting route (all decoders) ÷ JSON.parse, median`,
          value: median(autoAll),
          range: [Math.min(...autoAll), Math.max(...autoAll)],
          unit: "×",
          detail: `worst ${worstAuto.example.name} ${formatNumber(worstAuto.autoRatio)}×`
        }
      )
      for (const kind of commonKinds) {
        // Every documented example of the kind: one payload's figure swings with the machine's load.
        const ofKind = measured.filter((m) => m.kind === kind).map((m) => ({ ...m, perEvent: m.pomboNs / m.events }))
        if (ofKind.length === 0) continue
        const slowest = [...ofKind].sort((x, y) => y.perEvent - x.perEvent)[0]!
        figures.push({
          id: `decode.${vendor}.rate.${kind}`,
          area: "decode",
          label: `${vendor}: ${kind} events/s (bytes → events, one core)`,
          value: 1e9 / median(ofKind.map((m) => m.perEvent)),
          unit: "events/s",
          goal: Goals.decodeThroughput,
          detail: `median of ${ofKind.length} example(s), ${micros(median(ofKind.map((m) => m.perEvent)))} per event; slowest ${slowest.example.name} ${micros(slowest.perEvent)}`
        })
      }
    }
    if (sink.count < 0) console.log(sink.last)
    return figures
  }
}
