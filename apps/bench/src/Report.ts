/**
 * The bench's output: the figures as a table (grouped by area, goal and verdict beside each,
 * the absolute numbers underneath), the same figures as JSON, and the deltas against a previous
 * run's JSON.
 */
import { cpus, loadavg, totalmem } from "node:os"
import { type Figure, formatGoal, formatNumber, formatValue, type Verdict, verdict } from "./Figure.ts"
import type { Mode } from "./Suite.ts"

/** What a run writes to `results/latest.json`. */
export interface Results {
  readonly version: 1
  readonly mode: Mode
  readonly startedAt: string
  readonly seconds: number
  readonly machine: Machine
  readonly figures: ReadonlyArray<Figure & { readonly verdict: Verdict }>
}

/** The conditions of a run: on a shared machine, the load average says how much to trust it. */
export interface Machine {
  readonly node: string
  readonly cpus: number
  readonly cpuModel: string
  readonly memoryMiB: number
  readonly loadAverageAtStart: ReadonlyArray<number>
  readonly loadAverageAtEnd: ReadonlyArray<number>
}

/** The machine now; `loadAverageAtEnd` is filled in by `results`. */
export const machineAtStart = (): Machine => ({
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? "unknown",
  memoryMiB: Math.round(totalmem() / 2 ** 20),
  loadAverageAtStart: loadavg().map((n) => Number(n.toFixed(2))),
  loadAverageAtEnd: []
})

/** The JSON results of a finished run. */
export const results = (mode: Mode, startedAt: Date, machine: Machine, figures: ReadonlyArray<Figure>): Results => ({
  version: 1,
  mode,
  startedAt: startedAt.toISOString(),
  seconds: Math.round((Date.now() - startedAt.getTime()) / 100) / 10,
  machine: { ...machine, loadAverageAtEnd: loadavg().map((n) => Number(n.toFixed(2))) },
  figures: figures.map((figure) => ({ ...figure, verdict: verdict(figure) }))
})

const pad = (text: string, width: number) => text + " ".repeat(Math.max(0, width - [...text].length))

/** `+12%` / `−40%` from `before` to `now`. */
const change = (before: number, now: number): string => {
  if (!Number.isFinite(before) || !Number.isFinite(now) || before === 0) return "n/a"
  const percent = ((now - before) / Math.abs(before)) * 100
  return `${percent >= 0 ? "+" : "−"}${formatNumber(Math.abs(percent))}%`
}

/** The table: one section per area, one line per figure, its detail on the line below. */
export const table = (run: Results, previous?: Results | undefined): string => {
  const before = new Map((previous?.figures ?? []).map((figure) => [figure.id, figure]))
  const rows = run.figures.map((figure) => {
    const earlier = before.get(figure.id)
    return {
      area: figure.area,
      cells: [
        figure.label,
        formatValue(figure.value, figure.unit),
        figure.range === undefined
          ? ""
          : `${formatNumber(figure.range[0])}–${formatValue(figure.range[1], figure.unit)}`,
        formatGoal(figure.goal, figure.unit),
        figure.verdict,
        ...(previous === undefined
          ? []
          : [
              earlier === undefined
                ? "new"
                : `was ${formatValue(earlier.value, earlier.unit)} (${change(earlier.value, figure.value)})`
            ])
      ],
      detail: figure.detail
    }
  })
  const header = ["figure", "value", "range", "goal", "result", ...(previous === undefined ? [] : ["vs previous"])]
  const widths = header.map((title, column) =>
    Math.max([...title].length, ...rows.map((row) => [...(row.cells[column] ?? "")].length))
  )
  const line = (cells: ReadonlyArray<string>) =>
    cells
      .map((cell, column) => pad(cell, widths[column]!))
      .join("  ")
      .trimEnd()
  const out = [line(header)]
  let area: string | undefined
  for (const row of rows) {
    if (row.area !== area) {
      area = row.area
      out.push("", `── ${area} ${"─".repeat(Math.max(0, widths.reduce((a, b) => a + b + 2, 0) - area.length - 4))}`)
    }
    out.push(line(row.cells))
    if (row.detail !== undefined) out.push(`    ${row.detail}`)
  }
  const verdicts = run.figures.map((figure) => figure.verdict)
  const count = (v: Verdict) => verdicts.filter((x) => x === v).length
  out.push(
    "",
    `${run.figures.length} figures: ${count("pass")} pass, ${count("miss")} miss, ${count("info")} informative. ` +
      `${run.mode} run, ${run.seconds} s, Node ${run.machine.node}, ${run.machine.cpus} × ${run.machine.cpuModel}, ` +
      `load average ${run.machine.loadAverageAtStart.join(" ")} → ${run.machine.loadAverageAtEnd.join(" ")}` +
      (previous === undefined ? "" : `; compared with the ${previous.mode} run of ${previous.startedAt}`)
  )
  return out.join("\n")
}
