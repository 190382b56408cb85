/**
 * The normalisation every provider shares: timestamps in seconds or milliseconds, ids read
 * leniently and the same way on every path, vCard phones, payload hashes, and the decoder wrapper
 * that keeps decoding from ever throwing.
 */
import { describe, expect, it } from "@effect/vitest"
import { ChatId, EpochDate, PayloadHash, VCard, WebhookDecoder, WhatsAppId } from "@pombo/core"

describe("EpochDate.fromEpoch", () => {
  it("reads seconds below 10^12 and milliseconds above, as numbers, strings or Baileys longs", () => {
    const at = "2024-01-09T15:47:44.000Z"
    expect(EpochDate.fromEpoch(1704815264)?.toISOString()).toBe(at)
    expect(EpochDate.fromEpoch(1704815264000)?.toISOString()).toBe(at)
    expect(EpochDate.fromEpoch("1704815264")?.toISOString()).toBe(at)
    expect(EpochDate.fromEpoch({ low: 1704815264, high: 0 })?.toISOString()).toBe(at)
    expect([EpochDate.fromEpoch(0), EpochDate.fromEpoch("yesterday"), EpochDate.fromEpoch(null)]).toEqual([
      undefined,
      undefined,
      undefined
    ])
  })
})

describe("WhatsAppId", () => {
  it("reads phones and contact JIDs with the ChatId rules (the ninth digit)", () => {
    expect(WhatsAppId.contact("556199999998@s.whatsapp.net")).toEqual(new ChatId.Contact({ phone: "5561999999998" }))
    expect(WhatsAppId.contact("5511987654321:12@c.us")).toEqual(new ChatId.Contact({ phone: "5511987654321" }))
  })

  it("keeps a number WhatsApp reported that the phone rules do not know, instead of losing it", () => {
    expect(WhatsAppId.contact("55119999999@s.whatsapp.net")).toEqual(new ChatId.Contact({ phone: "55119999999" }))
  })

  it("reads groups, and refuses LIDs and junk as chats", () => {
    expect(WhatsAppId.chat("120363019502650977@g.us")).toEqual(new ChatId.Group({ id: "120363019502650977" }))
    expect([WhatsAppId.contact("123@lid"), WhatsAppId.chat("hello"), WhatsAppId.chat(42)]).toEqual([
      undefined,
      undefined,
      undefined
    ])
  })

  it("writes LIDs as <digits>@lid, with or without suffix or device, and nothing else", () => {
    expect([WhatsAppId.lid("123456:3@lid"), WhatsAppId.lid("123456"), WhatsAppId.lid("5511@s.whatsapp.net")]).toEqual([
      "123456@lid",
      "123456@lid",
      undefined
    ])
  })
})

describe("VCard", () => {
  it("takes the waid of each TEL line, else its digits, without repeats", () => {
    const vcard = [
      "BEGIN:VCARD",
      "FN:Ana Souza",
      "item1.TEL;waid=5511987654321:+55 11 98765-4321",
      "TEL;type=CELL:+55 21 98888-7777",
      "TEL;waid=5511987654321:+55 11 98765-4321",
      "END:VCARD"
    ].join("\n")
    expect(VCard.phones(vcard)).toEqual(["5511987654321", "+5521988887777"])
    expect(VCard.fullName(vcard)).toBe("Ana Souza")
  })
})

describe("PayloadHash.of", () => {
  it("is the same for the same payload whatever its key order, and differs otherwise", () => {
    expect(PayloadHash.of({ a: 1, b: [1, 2] })).toBe(PayloadHash.of({ b: [1, 2], a: 1 }))
    expect(PayloadHash.of({ a: 1 })).not.toBe(PayloadHash.of({ a: 2 }))
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(PayloadHash.of(cyclic)).toMatch(/^[0-9a-f]{32}$/)
  })
})

describe("WebhookDecoder.make", () => {
  const receivedAt = new Date("2026-01-01T00:00:00Z")
  const broken = WebhookDecoder.make({
    provider: "broken",
    decode: () => {
      throw new Error("bug")
    }
  })

  it("turns a throw into one Unknown with the payload as raw and a stable id", () => {
    const [event, ...rest] = broken.decode({ any: "thing" }, { receivedAt })
    expect(rest).toEqual([])
    expect(event).toMatchObject({
      _tag: "Unknown",
      provider: "broken",
      raw: { any: "thing" },
      timestamp: receivedAt,
      reason: "the broken decoder failed (a bug in Pombo): bug"
    })
    expect(event?.id).toBe(broken.decode({ any: "thing" }, { receivedAt })[0]?.id)
  })

  it("turns an empty answer into an Unknown, and wrapping twice changes nothing", () => {
    const empty = WebhookDecoder.make({ provider: "quiet", decode: () => [] })
    expect(empty.decode(1, { receivedAt })).toMatchObject([{ _tag: "Unknown", reason: "the payload carries no event" }])
    expect(WebhookDecoder.make(empty)).toBe(empty)
  })
})
