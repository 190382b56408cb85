/**
 * A stable id for a webhook payload that carries none (a presence update, an unrecognised
 * payload): equal payloads give equal ids, so a vendor's redelivery is recognised, and distinct
 * payloads give distinct ids, so no event is dropped as a "redelivery" of another.
 */
import { createHash, hash as oneShotHash } from "node:crypto"
import { hashProbe, placeholderHash } from "./internal/hashProbe.ts"

type Task = { readonly value: unknown } | { readonly text: string } | { readonly leave: object }

const omitted = (value: unknown) => value === undefined || typeof value === "function" || typeof value === "symbol"

/**
 * The canonical JSON of any payload, iteratively, streamed into the hash: for payloads nested
 * deeper than `shallow` goes, in time and memory linear in their size, where a recursive walk
 * overflows the stack (and, caught, would give every such payload the same id).
 */
const streamed = (payload: unknown): string => {
  const hash = createHash("sha256")
  let buffer = ""
  const write = (text: string) => {
    buffer += text
    if (buffer.length >= 65_536) {
      hash.update(buffer)
      buffer = ""
    }
  }
  const ancestors = new Set<object>()
  const stack: Array<Task> = [{ value: payload }]
  for (let task = stack.pop(); task !== undefined; task = stack.pop()) {
    if ("text" in task) {
      write(task.text)
      continue
    }
    if ("leave" in task) {
      ancestors.delete(task.leave)
      continue
    }
    const value = task.value
    switch (typeof value) {
      case "string":
        write(JSON.stringify(value))
        break
      case "number":
        write(Number.isFinite(value) ? JSON.stringify(value) : "null")
        break
      case "boolean":
        write(value ? "true" : "false")
        break
      case "bigint":
        write(JSON.stringify(`${value}n`))
        break
      case "object": {
        if (value === null) {
          write("null")
          break
        }
        if (ancestors.has(value)) {
          write('"[circular]"')
          break
        }
        ancestors.add(value)
        // Pushed in reverse, so they pop in writing order.
        const tasks: Array<Task> = []
        if (Array.isArray(value)) {
          tasks.push({ text: "[" })
          for (let index = 0; index < value.length; index++) {
            if (index > 0) tasks.push({ text: "," })
            tasks.push({ value: value[index] })
          }
          tasks.push({ text: "]" })
        } else {
          const record = value as Record<string, unknown>
          const keys = Object.keys(record)
            .sort()
            .filter((key) => !omitted(record[key]))
          tasks.push({ text: "{" })
          keys.forEach((key, index) => {
            tasks.push({ text: `${index > 0 ? "," : ""}${JSON.stringify(key)}:` }, { value: record[key] })
          })
          tasks.push({ text: "}" })
        }
        tasks.push({ leave: value })
        for (let index = tasks.length - 1; index >= 0; index--) stack.push(tasks[index] as Task)
        break
      }
      default:
        write("null")
    }
  }
  hash.update(buffer)
  return hash.digest("hex").slice(0, 32)
}

/** How deep `shallow` recurses before the payload is left to `streamed`. */
const maxDepth = 64

class TooDeep {}
const tooDeep = new TooDeep()

/** What `JSON.stringify` escapes in a string: a quote, a backslash, a control character, a lone surrogate. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what JSON escapes.
const escaped = /["\\\u0000-\u001f\ud800-\udfff]/

/**
 * `JSON.stringify(text)`, without the call for the common string that needs no escape (a surrogate
 * pair also goes to `JSON.stringify`, which keeps it as it is): payload hashes are mostly keys and
 * short values, where the call costs more than the test.
 */
const quoted = (text: string): string => (escaped.test(text) ? JSON.stringify(text) : `"${text}"`)

/** How many keys are sorted by insertion; more go to `Array.prototype.sort`. */
const fewKeys = 16

/**
 * `keys.sort()`, in place: by UTF-16 code units, as the default `sort` compares strings — by
 * insertion for the few keys of a webhook object, where it beats the built-in sort's set-up.
 */
const sortKeys = (keys: Array<string>): Array<string> => {
  if (keys.length > fewKeys) return keys.sort()
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string
    let j = i - 1
    for (; j >= 0 && (keys[j] as string) > key; j--) keys[j + 1] = keys[j] as string
    keys[j + 1] = key
  }
  return keys
}

/** The canonical JSON of a payload at most `maxDepth` deep, recursively, as one string. */
const shallow = (value: unknown, ancestors: Array<object>): string => {
  switch (typeof value) {
    case "string":
      return quoted(value)
    case "number":
      // `String` writes a finite number as `JSON.stringify` does (`-0` as `0`).
      return Number.isFinite(value) ? String(value) : "null"
    case "boolean":
      return value ? "true" : "false"
    case "bigint":
      return JSON.stringify(`${value}n`)
    case "object": {
      if (value === null) return "null"
      if (ancestors.includes(value)) return '"[circular]"'
      if (ancestors.length >= maxDepth) throw tooDeep
      ancestors.push(value)
      let out: string
      if (Array.isArray(value)) {
        out = "["
        for (let index = 0; index < value.length; index++) {
          if (index > 0) out += ","
          out += shallow(value[index], ancestors)
        }
        out += "]"
      } else {
        const record = value as Record<string, unknown>
        const keys = sortKeys(Object.keys(record))
        out = "{"
        let first = true
        for (let index = 0; index < keys.length; index++) {
          const key = keys[index] as string
          const item = record[key]
          if (omitted(item)) continue
          out += `${first ? "" : ","}${quoted(key)}:${shallow(item, ancestors)}`
          first = false
        }
        out += "}"
      }
      ancestors.pop()
      return out
    }
    default:
      return "null"
  }
}

/**
 * SHA-256 (hex, 32 characters) of the payload's canonical JSON: keys sorted, as `JSON.stringify`
 * writes values otherwise (non-finite numbers and values JSON cannot hold as `null` or omitted,
 * a `bigint` as `"<n>n"`, a cycle as `"[circular]"`). Webhook payloads are shallow: they are
 * written in one recursive pass and hashed at once; deeper ones are walked iteratively.
 */
export const of = (payload: unknown): string => {
  if (hashProbe.active) {
    hashProbe.skipped = true
    return placeholderHash
  }
  let text: string
  try {
    text = shallow(payload, [])
  } catch (cause) {
    if (cause === tooDeep) return streamed(payload)
    throw cause
  }
  return oneShotHash("sha256", text, "hex").slice(0, 32)
}
