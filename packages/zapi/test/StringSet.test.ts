import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { StringSet } from "../src/internal/StringSet.ts"

/** What `StringSet#add` answers for each of `values`, in turn. */
const adds = (values: ReadonlyArray<string>, expected: number) => {
  const set = new StringSet(expected)
  return values.map((value) => set.add(value))
}

describe("StringSet", () => {
  it("answers as a Set does, whatever size it was made for", () => {
    // Few distinct strings, so duplicates are frequent; sizes below the list's make it grow.
    const value = fc.oneof(fc.constantFrom("", "a", "5511987654321", "5511987654321@lid"), fc.string({ maxLength: 3 }))
    fc.assert(
      fc.property(fc.array(value, { maxLength: 200 }), fc.nat(250), (values, expected) => {
        const known = new Set<string>()
        const bySet = values.map((v) => {
          const fresh = !known.has(v)
          known.add(v)
          return fresh
        })
        expect(adds(values, expected)).toEqual(bySet)
      }),
      { numRuns: 500 }
    )
  })

  it("keeps thousands of phone numbers apart and finds each again", () => {
    const phones = Array.from({ length: 5000 }, (_, i) => `55119${String(10_000_000 + i * 7919)}`)
    const set = new StringSet(10)
    expect(phones.every((phone) => set.add(phone))).toBe(true)
    expect(phones.some((phone) => set.add(phone))).toBe(false)
  })
})
