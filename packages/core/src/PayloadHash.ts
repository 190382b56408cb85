/**
 * A stable id for a payload that carries none (presence, connection, unrecognised payloads): the
 * SHA-256 of its canonical JSON (keys sorted), so a redelivered payload gets the same event id and
 * the receiver drops it.
 */
import { createHash } from "node:crypto"

const canonical = (value: unknown, seen: Set<object>): string => {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value)
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : "null"
    case "boolean":
      return value ? "true" : "false"
    case "bigint":
      return JSON.stringify(`${value}n`)
    case "object": {
      if (value === null) return "null"
      if (seen.has(value)) return '"[circular]"'
      seen.add(value)
      try {
        if (Array.isArray(value)) return `[${value.map((item) => canonical(item, seen)).join(",")}]`
        const record = value as Readonly<Record<string, unknown>>
        const fields = Object.keys(record)
          .sort()
          .filter((key) => !["undefined", "function", "symbol"].includes(typeof record[key]))
          .map((key) => `${JSON.stringify(key)}:${canonical(record[key], seen)}`)
        return `{${fields.join(",")}}`
      } finally {
        seen.delete(value)
      }
    }
    default:
      return "null"
  }
}

/** The canonical JSON of any value: keys sorted, cycles and non-JSON values written safely. */
export const canonicalJson = (value: unknown): string => canonical(value, new Set())

/** SHA-256 (hex, 32 characters) of the payload's canonical JSON: equal payloads, equal hashes. */
export const payloadHash = (payload: unknown): string => {
  let text: string
  try {
    text = canonicalJson(payload)
  } catch {
    // A getter that throws, a proxy: still one id per such payload rather than a crash.
    text = "[unreadable]"
  }
  return createHash("sha256").update(text).digest("hex").slice(0, 32)
}
