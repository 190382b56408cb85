/**
 * Reading the vendors' timestamps. Both send Unix time, sometimes in seconds and sometimes in
 * milliseconds (Z-API's `momment` is milliseconds except on the disconnected callback; Mega-API's
 * `messageTimestamp` is seconds beside millisecond fields), as numbers, numeric strings or, from
 * Baileys, `{ low, high }` longs. A value below 10^12 is seconds, anything larger milliseconds:
 * 10^12 s is the year 33658, 10^12 ms is September 2001, so no real date is ambiguous.
 */
import { Predicate } from "effect"

/** Where seconds end and milliseconds begin. */
export const millisecondsFrom = 1e12

/** A finite number from a number, a numeric string or a Baileys `{ low, high }` long. */
export const epochNumber = (value: unknown): number | undefined => {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined
  if (typeof value === "string") {
    const trimmed = value.trim()
    return /^-?\d{1,20}(\.\d{1,20})?$/.test(trimmed) ? Number(trimmed) : undefined
  }
  if (Predicate.isObject(value)) {
    const { low, high } = value as { readonly low?: unknown; readonly high?: unknown }
    if (typeof low === "number" && typeof high === "number") {
      const result = high * 2 ** 32 + (low >>> 0)
      return Number.isFinite(result) ? result : undefined
    }
  }
  return undefined
}

/** The date of a Unix time in seconds or milliseconds (see the module doc); `undefined` when unreadable or not positive. */
export const fromEpoch = (value: unknown): Date | undefined => {
  const n = epochNumber(value)
  if (n === undefined || n <= 0) return undefined
  const date = new Date(n < millisecondsFrom ? n * 1000 : n)
  return Number.isNaN(date.getTime()) ? undefined : date
}
