/**
 * What the bench reports: one `Figure` per measured number, most of them a ratio against a floor,
 * with the goal it is held to (from `Goals`) and the verdict. Figures are plain data, so the same
 * value prints in the table and lands in the JSON results.
 */

/** A bound a figure must stay within: `at: "most"` means value ≤ limit, `"least"` value ≥ limit. */
export interface Goal {
  readonly at: "most" | "least"
  readonly limit: number
}

/** How a figure's value reads: `×` a ratio against the floor, else an absolute unit. */
export type Unit = "×" | "events/s" | "messages/s" | "modules"

/** One measured number. */
export interface Figure {
  /** Stable key, compared across runs (`--compare`): `area.vendor.what`. */
  readonly id: string
  /** The table section: send, decode, group, receiver, cold start… */
  readonly area: string
  /** What the number is, for a reader of the table. */
  readonly label: string
  readonly value: number
  readonly unit: Unit
  /** The smallest and largest value behind a median: per round, or per example for a median over examples. */
  readonly range?: readonly [number, number] | undefined
  /** Absent for an informative figure that has no goal. */
  readonly goal?: Goal | undefined
  /** The absolute numbers behind the ratio, in words (`fetch 84 µs, WhatsApp 310 µs`). */
  readonly detail?: string | undefined
  /** The same absolute numbers, for the JSON results. */
  readonly values?: Readonly<Record<string, number>> | undefined
}

/** Whether a figure meets its goal; `info` when it has none. */
export type Verdict = "pass" | "miss" | "info"

/** The verdict of one figure. A figure that could not be measured (NaN) misses. */
export const verdict = (figure: Figure): Verdict => {
  if (figure.goal === undefined) return "info"
  if (!Number.isFinite(figure.value)) return "miss"
  return (figure.goal.at === "most" ? figure.value <= figure.goal.limit : figure.value >= figure.goal.limit)
    ? "pass"
    : "miss"
}

/** A number with three significant digits, thousands grouped: `25.3`, `0.0612`, `104,000`. */
export const formatNumber = (value: number): string => {
  if (!Number.isFinite(value)) return String(value)
  const abs = Math.abs(value)
  if (abs >= 1000) return Math.round(value).toLocaleString("en-US")
  if (abs === 0) return "0"
  return Number(value.toPrecision(3)).toString()
}

/** A value with its unit: `25.3×`, `104,000 events/s`, `1 modules`. */
export const formatValue = (value: number, unit: Unit): string =>
  unit === "×" ? `${formatNumber(value)}×` : `${formatNumber(value)} ${unit}`

/** A goal as the issue writes it: `≤ 3×`, `≥ 100,000 events/s`. */
export const formatGoal = (goal: Goal | undefined, unit: Unit): string =>
  goal === undefined ? "" : `${goal.at === "most" ? "≤" : "≥"} ${formatValue(goal.limit, unit)}`

/** Microseconds from nanoseconds, printed: `12.3 µs`. */
export const micros = (ns: number): string => `${formatNumber(ns / 1000)} µs`
