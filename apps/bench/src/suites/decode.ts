/**
 * Decode: every documented webhook example, bytes → events, against `JSON.parse` of the same
 * bytes — per vendor route and through the auto-detecting route — plus the events per second
 * of the common message kinds. All in-process and synchronous: wall time is CPU time here.
 */
import { autoDecodeBytes, commonKinds, decodeBytes, kindOf, recognised } from "../adapters/decode.ts"
import { vendors, type WebhookExample, webhookExamples } from "../adapters/spec.ts"
import { type Figure, formatNumber, micros } from "../Figure.ts"
import * as Goals from "../Goals.ts"
import { calibrate, costs, interleave, median, ratios } from "../Harness.ts"
import type { Budget, Suite } from "../Suite.ts"

const utf8 = new TextDecoder()
// Results land here so no engine can drop the work as dead code.
const sink: { last: unknown; count: number } = { last: undefined, count: 0 }

/** The floor: what any handler does with a webhook body. */
export const parse = (bytes: Uint8Array): unknown => JSON.parse(utf8.decode(bytes))

/** One payload measured: Pombo's decode and `JSON.parse`, per operation and as ratios. */
export interface Measured {
  readonly ratio: number
  readonly range: readonly [number, number]
  readonly autoRatio: number
  readonly pomboNs: number
  readonly parseNs: number
  readonly events: number
}

/**
 * Measures `decode` (and optionally `auto`) against `JSON.parse` on one payload, interleaved,
 * each batch sized to about `budget.batchMs`.
 */
export const measurePayload = async (
  bytes: Uint8Array,
  decode: (bytes: Uint8Array) => ReadonlyArray<unknown>,
  budget: Pick<Budget, "rounds" | "batchMs">,
  auto?: (bytes: Uint8Array) => ReadonlyArray<unknown>
): Promise<Measured> => {
  const loop = (f: (bytes: Uint8Array) => unknown) => (n: number) => {
    for (let i = 0; i < n; i++) sink.last = f(bytes)
  }
  const run = { parse: loop(parse), pombo: loop(decode), ...(auto === undefined ? {} : { auto: loop(auto) }) }
  const contestants = Object.entries(run).map(([name, f]) => ({ name, run: f, ops: calibrate(f, budget.batchMs) }))
  const samples = await interleave(contestants, budget.rounds)
  const perRound = ratios(samples, "pombo", "parse", "wall")
  sink.count += decode(bytes).length
  return {
    ratio: median(perRound),
    range: [Math.min(...perRound), Math.max(...perRound)],
    autoRatio: auto === undefined ? Number.NaN : median(ratios(samples, "auto", "parse", "wall")),
    pomboNs: median(costs(samples, "pombo", "wall")),
    parseNs: median(costs(samples, "parse", "wall")),
    events: decode(bytes).length
  }
}

export const decode: Suite = {
  area: "decode",
  run: async ({ budget, progress }) => {
    const figures: Array<Figure> = []
    for (const vendor of vendors) {
      const examples = await webhookExamples(vendor)
      progress(`decode: ${examples.length} documented ${vendor} examples`)
      const measured: Array<{ example: WebhookExample; kind: string } & Measured> = []
      for (const example of examples) {
        const events = decodeBytes(vendor)(example.bytes)
        if (!recognised(events)) throw new Error(`${vendor} ${example.name} does not decode to a recognised event`)
        const result = await measurePayload(example.bytes, decodeBytes(vendor), budget, autoDecodeBytes)
        measured.push({ example, kind: kindOf(events[0]!), ...result })
      }
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
        const first = measured.find((m) => m.kind === kind)
        if (first === undefined) continue
        const perSecond = (first.events * 1e9) / first.pomboNs
        figures.push({
          id: `decode.${vendor}.rate.${kind}`,
          area: "decode",
          label: `${vendor}: ${kind} events/s (bytes → events, one core)`,
          value: perSecond,
          unit: "events/s",
          goal: Goals.decodeThroughput,
          detail: `${first.example.name}: ${micros(first.pomboNs)} per payload, ${first.events} event(s)`
        })
      }
    }
    if (sink.count < 0) console.log(sink.last)
    return figures
  }
}
