import { createHash } from "node:crypto"
import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { PayloadHash } from "../src/index.ts"

/** The canonical JSON of a JSON value, written recursively: the reference for shallow payloads. */
const sortedJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(",")}]`
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>
    const keys = Object.keys(record).sort()
    return `{${keys.map((key) => `${JSON.stringify(key)}:${sortedJson(record[key])}`).join(",")}}`
  }
  return JSON.stringify(value)
}

const reference = (value: unknown) => createHash("sha256").update(sortedJson(value)).digest("hex").slice(0, 32)

/** `depth` levels of `{"a": … }` around `leaf`, built as text and parsed, as the receiver does. */
const nested = (depth: number, leaf: string) => JSON.parse(`${'{"a":'.repeat(depth)}${leaf}${"}".repeat(depth)}`)

describe("PayloadHash.of", () => {
  it("is the SHA-256 of the canonical JSON (keys sorted) of any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(PayloadHash.of(value)).toBe(reference(value))
      }),
      { numRuns: 500 }
    )
  })

  it("is the SHA-256 of the canonical JSON for any text in keys and strings, any number, and objects of any size", () => {
    // Every UTF-16 code unit (quotes, backslashes, control characters, lone surrogates, pairs),
    // keys whose code-unit order differs from a locale's, `-0` and large or tiny numbers, and
    // objects past the few keys sorted by insertion.
    const text = fc.oneof(
      fc.string({ unit: "binary" }),
      fc.constantFrom("a", "B", "é", "😀", "\uffff", "\ud800", '"', "\\", "\n")
    )
    const number = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(-0), fc.integer())
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        text,
        number,
        fc.boolean(),
        fc.constant(null),
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(text, tie("value"), { maxKeys: 24 })
      )
    }))
    fc.assert(
      fc.property(value, (payload) => {
        expect(PayloadHash.of(payload)).toBe(reference(payload))
      }),
      { numRuns: 300 }
    )
  })

  it("keeps the values it has always given (the inbox drops redeliveries by them)", () => {
    expect(
      PayloadHash.of({
        messageType: "connection_update",
        message: "phone_connected",
        jid: "5521974310086@s.whatsapp.net",
        pushName: "Loja da Maria"
      })
    ).toBe("809cfb5308527a0e430953ec831e2899")
    expect(PayloadHash.of({ instance_key: "megaapi-Receiver", qrcode: "2@abc" })).toBe(
      "6bdb3baf69a31d5416140d13c2224a58"
    )
    expect(
      PayloadHash.of({
        "z\u0000": [1, -0, 1.5e300, 'a"b\\c\n', "\ud800", "😀", "é"],
        é: { b: true, a: null },
        A: {},
        a: []
      })
    ).toBe("de421cbc9864b8c98de8fb3559de0189")
  })

  it("gives the same hash on both sides of the depth where the walk turns iterative", () => {
    for (let depth = 56; depth <= 72; depth++) {
      const value = nested(depth, '[{"b":1,"a":[true,null]}]')
      expect(PayloadHash.of(value)).toBe(reference(value))
    }
  })

  it("ignores key order and tells different payloads apart", () => {
    expect(PayloadHash.of({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(PayloadHash.of({ b: [1, { d: 3, c: 2 }], a: 1 }))
    expect(PayloadHash.of({ a: 1 })).not.toBe(PayloadHash.of({ a: "1" }))
    expect(PayloadHash.of([1, 2])).not.toBe(PayloadHash.of([2, 1]))
  })

  it("hashes payloads nested far deeper than the call stack, distinctly and without throwing", () => {
    const depth = 50_000
    const first = nested(depth, '"one"')
    const second = nested(depth, '"two"')
    expect(PayloadHash.of(first)).toMatch(/^[0-9a-f]{32}$/)
    expect(PayloadHash.of(first)).toBe(PayloadHash.of(nested(depth, '"one"')))
    expect(PayloadHash.of(first)).not.toBe(PayloadHash.of(second))
    expect(PayloadHash.of(first)).not.toBe(PayloadHash.of(nested(depth + 1, '"one"')))
    const arrays = (n: number) => JSON.parse(`${"[".repeat(n)}${"]".repeat(n)}`)
    expect(PayloadHash.of(arrays(depth))).not.toBe(PayloadHash.of(arrays(depth - 1)))
  })

  it("writes values JSON cannot hold safely, cycles included", () => {
    const cyclic: Record<string, unknown> = { a: 1 }
    cyclic.self = cyclic
    expect(PayloadHash.of(cyclic)).toBe(reference({ a: 1, self: "[circular]" }))
    expect(PayloadHash.of({ a: undefined, b: Number.NaN, c: [undefined, () => 1], d: 10n })).toBe(
      reference({ b: null, c: [null, null], d: "10n" })
    )
    // The same object twice, side by side, is not a cycle.
    const shared = { x: 1 }
    expect(PayloadHash.of([shared, shared])).toBe(reference([{ x: 1 }, { x: 1 }]))
  })
})
