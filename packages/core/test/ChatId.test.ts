import { describe, expect, it } from "@effect/vitest"
import { Effect, Equal, Result } from "effect"
import fc from "fast-check"
import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js/max"
import { ChatId, WhatsAppId } from "../src/index.ts"

const phone = (input: string) => Result.getOrThrow(ChatId.parsePhone(input))
const parse = (input: string) => Effect.runSync(ChatId.parse(input))
const reason = (input: string) => Result.getOrThrow(Result.flip(ChatId.parsePhone(input))).reason

describe("ChatId phone numbers", () => {
  it.each([
    ["+55 11 98765-4321", "5511987654321", "São Paulo mobile, international format"],
    ["5511987654321", "5511987654321", "the vendors' own format"],
    ["(11) 98765-4321", "5511987654321", "national format, defaults to Brazil"],
    ["11987654321", "5511987654321", "national digits"],
    ["551187654321", "5511987654321", "pre-2016 mobile without the ninth digit"],
    ["1187654321", "5511987654321", "pre-2016 national mobile"],
    ["+55 44 9988-7766", "5544999887766", "Paraná JID-style mobile: ninth digit inserted"],
    ["554499887766", "5544999887766", "Paraná mobile as WhatsApp ids often carry it"],
    ["+55 21 2555-1234", "552125551234", "Rio landline keeps eight digits"],
    ["(11) 3030-4040", "551130304040", "São Paulo landline"],
    ["+55 61 99999-1234", "5561999991234", "Brasília mobile"],
    ["+1 (415) 555-2671", "14155552671", "United States"],
    ["+44 7911 123456", "447911123456", "United Kingdom mobile"],
    ["+351 912 345 678", "351912345678", "Portugal mobile"],
    ["+54 9 11 2345-6789", "5491123456789", "Argentina mobile"],
    ["+49 1512 3456789", "4915123456789", "Germany mobile"]
  ])("reads %s as %s (%s)", (input, expected) => {
    expect(phone(input)).toBe(expected)
  })

  it.each([
    ["", "digits"],
    ["abc", "digits"],
    ["123", "8 to 15 digits"],
    ["+55 11 1234", "not a valid phone number"],
    ["+999 1234 5678", "not a valid phone number"],
    ["+55 11 0123-4567", "not a valid phone number"],
    ["49040000", "not a valid phone number"],
    ["1234567890123456", "8 to 15 digits"]
  ])("rejects %j with a typed error", (input, expected) => {
    expect(reason(input)).toContain(expected)
  })

  it("gives an InvalidChatId that names the input", () => {
    const error = Effect.runSync(Effect.flip(ChatId.contact("not a phone")))
    expect(error._tag).toBe("InvalidChatId")
    expect(error.message).toContain('"not a phone"')
  })
})

describe("ChatId.parse", () => {
  it("reads contact JIDs, with device suffix and legacy ninth digit", () => {
    expect(parse("5511987654321@s.whatsapp.net")).toEqual(new ChatId.Contact({ phone: "5511987654321" }))
    expect(parse("551187654321@s.whatsapp.net")).toEqual(new ChatId.Contact({ phone: "5511987654321" }))
    expect(parse("5511987654321:12@s.whatsapp.net")).toEqual(new ChatId.Contact({ phone: "5511987654321" }))
    expect(parse("5511987654321@c.us")).toEqual(new ChatId.Contact({ phone: "5511987654321" }))
  })

  it("reads group ids in both vendors' forms to the same value", () => {
    const mega = parse("120363019502650977@g.us")
    const zapi = parse("120363019502650977-group")
    expect(mega).toEqual(new ChatId.Group({ id: "120363019502650977" }))
    expect(Equal.equals(mega, zapi)).toBe(true)
    expect(parse("5511987654321-1612345678@g.us")).toEqual(new ChatId.Group({ id: "5511987654321-1612345678" }))
  })

  it("reads broadcast lists and the status feed", () => {
    expect(parse("status@broadcast")).toEqual(new ChatId.Broadcast({ id: "status" }))
    expect(parse("1612345678@broadcast")).toEqual(new ChatId.Broadcast({ id: "1612345678" }))
  })

  it("refuses LIDs and unknown JID servers", () => {
    expect(Result.isFailure(ChatId.parseResult("123456789012345@lid"))).toBe(true)
    expect(Result.isFailure(ChatId.parseResult("123@newsletter"))).toBe(true)
    expect(Result.isFailure(ChatId.parseResult("abc@g.us"))).toBe(true)
  })

  it("compares ids by value", () => {
    expect(Equal.equals(parse("+55 11 98765-4321"), parse("5511987654321@s.whatsapp.net"))).toBe(true)
    expect(Equal.equals(parse("5511987654321"), parse("5511987654322"))).toBe(false)
  })

  it("displays ids for people", () => {
    expect(ChatId.display(parse("5511987654321"))).toBe("+5511987654321")
    expect(ChatId.display(parse("120363019502650977@g.us"))).toBe("group:120363019502650977")
  })
})

describe("ChatId values are valid by construction", () => {
  it.each([
    ["a contact whose phone is not digits", () => new ChatId.Contact({ phone: "abc" })],
    ["a contact with a + or spaces", () => new ChatId.Contact({ phone: "+55 11 98765-4321" })],
    ["a contact too short to be a number", () => new ChatId.Contact({ phone: "1234567" })],
    ["a group whose id is not digits", () => new ChatId.Group({ id: "abc" })],
    ["a group id with its suffix", () => new ChatId.Group({ id: "120363019502650977@g.us" })],
    ["a broadcast id that is neither digits nor status", () => new ChatId.Broadcast({ id: "abc" })]
  ])("the constructor refuses %s", (_, make) => {
    expect(make).toThrow()
  })

  it("the constructors accept the forms the parsers and decoders give", () => {
    expect(new ChatId.Contact({ phone: "5511987654321" }).phone).toBe("5511987654321")
    expect(new ChatId.Group({ id: "120363019502650977" }).id).toBe("120363019502650977")
    expect(new ChatId.Group({ id: "5511999999999-1560000000" }).id).toBe("5511999999999-1560000000")
    expect(new ChatId.Broadcast({ id: "status" }).id).toBe("status")
  })
})

/**
 * `parsePhone` without its fast paths, as it was before them: libphonenumber (full metadata) for
 * every number, international first, then national in `defaultCountry`. They must give what this gives.
 */
const slowE164 = (digits: string): string | undefined => {
  const parsed = parsePhoneNumberFromString(`+${digits.replace(/^55(\d{2})([6-9]\d{7})$/, "55$19$2")}`)
  // What a `Contact` holds, 8–15 digits: libphonenumber may answer fewer (`+49 0 40000` is
  // `+4940000`) or, for national input, more.
  return parsed?.isValid() && /^\+\d{8,15}$/.test(parsed.number) ? parsed.number.slice(1) : undefined
}
const slowPhone = (input: string, defaultCountry: CountryCode = "BR"): string | undefined => {
  const trimmed = input.trim()
  if (!/^\+?[\d\s().-]+$/.test(trimmed)) return undefined
  const digits = trimmed.replace(/\D/g, "")
  if (digits.length < 8 || digits.length > 15) return undefined
  const international = slowE164(digits)
  if (international !== undefined || trimmed.startsWith("+")) return international
  const national = parsePhoneNumberFromString(digits, defaultCountry)
  return national === undefined ? undefined : slowE164(national.number.slice(1))
}

/** Both of `ChatId`'s readers: `phoneDigits`, and `parsePhone`, which must agree with it. */
const fastPhone = (input: string, defaultCountry?: CountryCode): string | undefined => {
  const options = defaultCountry === undefined ? undefined : { defaultCountry }
  const digits = ChatId.phoneDigits(input, options)
  expect(Result.getOrUndefined(ChatId.parsePhone(input, options))).toBe(digits)
  // Whatever is read makes a contact: `ChatId.contact` fails with `InvalidChatId`, never a defect.
  expect(digits === undefined || /^\d{8,15}$/.test(digits), `${input} → ${digits}`).toBe(true)
  return digits
}

/** Brazilian-looking digits: 55, any two-digit area code, then 8 or 9 digits starting anywhere. */
const brazilianDigits = fc
  .tuple(fc.integer({ min: 0, max: 99 }), fc.stringMatching(/^\d{8,9}$/))
  .map(([area, subscriber]) => `55${String(area).padStart(2, "0")}${subscriber}`)
const anyDigits = fc.stringMatching(/^\d{8,15}$/)
/** The same digits as people write them: `+`, spaces, brackets, a dash. */
const written = fc
  .tuple(fc.oneof(brazilianDigits, anyDigits), fc.boolean(), fc.boolean())
  .map(
    ([digits, plus, spaced]) =>
      `${plus ? "+" : ""}${spaced ? `${digits.slice(0, 2)} (${digits.slice(2, 4)}) ${digits.slice(4, -4)}-${digits.slice(-4)}` : digits}`
  )
const defaultCountries: ReadonlyArray<CountryCode> = ["BR", "US", "PT", "AR", "DE", "IN"]

describe("ChatId fast paths", () => {
  it("read every number exactly as libphonenumber does", () => {
    fc.assert(
      fc.property(fc.oneof(brazilianDigits, anyDigits), (digits) => {
        expect(fastPhone(digits)).toBe(slowPhone(digits))
      }),
      { numRuns: 3000 }
    )
  })

  it("read numbers written any way, with any default country, as libphonenumber does", () => {
    fc.assert(
      fc.property(written, fc.constantFrom(...defaultCountries), (input, country) => {
        expect(fastPhone(input, country)).toBe(slowPhone(input, country))
      }),
      { numRuns: 1500 }
    )
  })

  it("decide every area code and first subscriber digit of 55 numbers as libphonenumber does", () => {
    // libphonenumber's patterns for these numbers depend on the area code and the first digits
    // (the property above varies the rest).
    const random = fc.sample(fc.stringMatching(/^\d{8}$/), { numRuns: 1000, seed: 15 })
    for (let prefix = 0; prefix < 1000; prefix++) {
      for (const length of [12, 13]) {
        const digits = `55${String(prefix).padStart(3, "0")}${random[prefix]!}`.slice(0, length)
        expect([digits, fastPhone(digits)]).toEqual([digits, slowPhone(digits)])
      }
    }
  })

  it("read contact JIDs, with and without a device, as their digits", () => {
    fc.assert(
      fc.property(brazilianDigits, fc.option(fc.integer({ min: 0, max: 99 })), (digits, device) => {
        const jid = `${digits}${device === null ? "" : `:${device}`}@s.whatsapp.net`
        const expected = slowPhone(digits)
        const read = ChatId.parseResult(jid)
        expect(Result.isSuccess(read) ? read.success : undefined).toEqual(
          expected === undefined ? undefined : new ChatId.Contact({ phone: expected })
        )
      }),
      { numRuns: 1000 }
    )
  })

  it("cover every Brazilian area code's canonical mobiles and landlines", () => {
    const areas = Array.from({ length: 90 }, (_, i) => i + 10)
    for (const area of areas) {
      for (const subscriber of ["987654321", "912345678", "23456789", "34567890", "55443322", "87654321"]) {
        const digits = `55${area}${subscriber}`
        expect([digits, fastPhone(digits)]).toEqual([digits, slowPhone(digits)])
      }
    }
  })
})

/** `WhatsAppId.chat` before its shortcuts: `ChatId.parseResult`, a rejected number kept as its digits. */
const referenceChat = (value: string): ChatId.ChatId | undefined => {
  const input = value.trim()
  if (input === "" || input.endsWith("@lid")) return undefined
  const parsed = ChatId.parseResult(input)
  if (Result.isSuccess(parsed)) return parsed.success
  const digits = /^(\d{8,15})(?::\d+)?@(?:s\.whatsapp\.net|c\.us)$/.exec(input)?.[1] ?? /^\d{8,15}$/.exec(input)?.[0]
  return digits === undefined ? undefined : new ChatId.Contact({ phone: digits })
}

describe("WhatsAppId", () => {
  it("reads every id as ChatId.parse does, a rejected number kept, into the instances the constructors build", () => {
    const vendorId = fc.oneof(
      fc
        .tuple(
          fc.oneof(brazilianDigits, anyDigits, fc.stringMatching(/^\d{0,32}(-\d{0,22})?$/)),
          fc.constantFrom(
            "",
            "@s.whatsapp.net",
            ":7@s.whatsapp.net",
            "@c.us",
            "@g.us",
            "-group",
            "@broadcast",
            "@lid",
            "@x"
          )
        )
        .map(([id, suffix]) => id + suffix),
      fc.constantFrom(
        "status@broadcast",
        "120363166555745933@newsletter",
        "US.13491208655302741918",
        " 5511987654321 "
      ),
      fc.string()
    )
    fc.assert(
      fc.property(vendorId, (value) => {
        const read = WhatsAppId.chat(value)
        const expected = referenceChat(value)
        // The same class, the same own fields in the same order: what the constructor builds.
        expect(read === undefined ? undefined : [Object.getPrototypeOf(read), Object.entries(read)]).toEqual(
          expected === undefined ? undefined : [Object.getPrototypeOf(expected), Object.entries(expected)]
        )
      }),
      { numRuns: 3000 }
    )
  })

  it("lists distinct contacts in order", () => {
    expect(WhatsAppId.contacts(["551187654321", "5511987654321@s.whatsapp.net", "x@lid", "5521987654321"])).toEqual([
      new ChatId.Contact({ phone: "5511987654321" }),
      new ChatId.Contact({ phone: "5521987654321" })
    ])
  })
})
