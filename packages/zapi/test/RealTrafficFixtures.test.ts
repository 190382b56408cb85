/**
 * The recorded-payload fixtures in `fixtures/real/` are well formed: every payload is a JSON
 * object, every payload has an expectation in `expected.json` (and every expectation a payload),
 * every expected event names a `WhatsAppEvent` type, and the README says where each came from.
 * The replay of these fixtures through the receiver comes with the decoder work of issue 14.
 */
import { readdirSync, readFileSync } from "node:fs"
import { WhatsAppEvent } from "@pombo/core"
import { describe, expect, it } from "vitest"

const folder = new URL("./fixtures/real/", import.meta.url)
const read = (name: string) => readFileSync(new URL(name, folder), "utf8")
const payloadFiles = readdirSync(folder)
  .filter((name) => name.endsWith(".json") && name !== "expected.json")
  .sort()
interface Expectation {
  readonly source: string
  readonly events: ReadonlyArray<{ readonly _tag: string }>
  readonly distinctEventIdFrom?: string
}
const expected: {
  readonly context: { readonly instance: string }
  readonly fixtures: Readonly<Record<string, Expectation>>
} = JSON.parse(read("expected.json"))
const eventTags = WhatsAppEvent.WhatsAppEvent.members.map((member) => member.identifier)

describe("real-traffic fixtures", () => {
  it("are JSON objects, each with exactly one expectation", () => {
    expect(payloadFiles.length).toBeGreaterThan(10)
    for (const name of payloadFiles) expect(typeof JSON.parse(read(name)), name).toBe("object")
    expect(Object.keys(expected.fixtures).sort()).toEqual(payloadFiles)
    expect(typeof expected.context.instance).toBe("string")
  })

  it("expect events of known types, from a stated source, and name only existing fixtures", () => {
    for (const [name, entry] of Object.entries(expected.fixtures)) {
      expect(entry.source, name).toMatch(/\S/)
      expect(entry.events.length, name).toBeGreaterThan(0)
      for (const event of entry.events) expect(eventTags, name).toContain(event._tag)
      expect(entry.distinctEventIdFrom === undefined || payloadFiles.includes(entry.distinctEventIdFrom), name).toBe(
        true
      )
    }
  })

  it("are each listed in the folder's README", () => {
    const readme = read("README.md")
    for (const name of payloadFiles) expect(readme, name).toContain(`\`${name}\``)
  })
})
