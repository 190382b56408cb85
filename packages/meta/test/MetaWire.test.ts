/**
 * How the decoder reads Meta's user ids (`internal/wire.ts`): a `wa_id` is the number in
 * international form, so any other country's number is kept as Meta gives it, without
 * libphonenumber. Where libphonenumber has an opinion on an international number — every
 * country's example number — it gives the same chat; Brazilian numbers and every other form are
 * read exactly as `WhatsAppId.contact` reads them.
 */
import { ChatId, WhatsAppId } from "@pombo/core"
import fc from "fast-check"
import examples from "libphonenumber-js/examples.mobile.json" with { type: "json" }
import { getCountryCallingCode, parsePhoneNumberFromString } from "libphonenumber-js/max"
import { describe, expect, it } from "vitest"
import { contactOf } from "../src/internal/wire.ts"

const same = (a: ChatId.Contact | undefined, b: ChatId.Contact | undefined) =>
  a === undefined || b === undefined
    ? a === b
    : Object.getPrototypeOf(a) === Object.getPrototypeOf(b) && a._tag === b._tag && a.phone === b.phone

describe("reading Meta's user ids", () => {
  it("gives libphonenumber's chat for every country's example number", () => {
    let compared = 0
    for (const [country, national] of Object.entries(examples)) {
      const digits = `${getCountryCallingCode(country as never)}${national}`
      if (digits.length < 8 || parsePhoneNumberFromString(`+${digits}`)?.isValid() !== true) continue
      expect(same(contactOf(digits), WhatsAppId.contact(digits)), `${country} ${digits}`).toBe(true)
      expect(contactOf(digits)?.phone).toBe(digits)
      compared++
    }
    expect(compared).toBeGreaterThan(200)
  })

  it("keeps any other country's number as Meta gives it, and reads the rest as WhatsAppId does", () => {
    const digits = fc.stringMatching(/^\d{0,17}$/)
    const input = fc.oneof(
      digits,
      digits.map((d) => `55${d}`),
      fc.constantFrom("5511987654321", "551187654321", "5544888888888", "16505551234", "15551234567"),
      fc.tuple(digits, fc.constantFrom(" ", "+", "@s.whatsapp.net", "-group", "@lid")).map(([d, s]) => d + s),
      fc.string()
    )
    fc.assert(
      fc.property(input, (value) => {
        const read = contactOf(value)
        if (/^\d{8,15}$/.test(value) && !value.startsWith("55")) {
          expect(read).toBeInstanceOf(ChatId.Contact)
          expect(read?.phone).toBe(value)
        } else {
          expect(same(read, WhatsAppId.contact(value)), JSON.stringify(value)).toBe(true)
        }
      }),
      { numRuns: 3000 }
    )
  })
})
