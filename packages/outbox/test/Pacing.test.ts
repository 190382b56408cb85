import { Duration } from "effect"
import { describe, expect, it } from "vitest"
import * as Pacing from "../src/Pacing.ts"

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
// 2026-11-30 12:00 in São Paulo (UTC-3, no daylight saving since 2019).
const noon = Date.UTC(2026, 10, 30, 15, 0, 0)
const warmedUp = { warmupStartedAt: noon - 30 * DAY, lastToRecipient: undefined }
const noQuiet: Pacing.Config = { ...Pacing.defaults, quietHours: false }

describe("Pacing.nextSlot", () => {
  it("lets a number that never sent go at once", () => {
    expect(
      Pacing.nextSlot(noQuiet, { recent: [], lastToRecipient: undefined, warmupStartedAt: undefined }, noon, 0.5)
    ).toBe(noon)
  })

  it("keeps the minimum gap plus the jitter after the last send", () => {
    const history = { ...warmedUp, recent: [noon - 1_000] }
    expect(Pacing.nextSlot(noQuiet, history, noon, 0)).toBe(noon - 1_000 + 10_000)
    expect(Pacing.nextSlot(noQuiet, history, noon, 0.5)).toBe(noon - 1_000 + 12_500)
    expect(Pacing.nextSlot(noQuiet, history, noon, 0.999_999)).toBeLessThan(noon - 1_000 + 15_000)
  })

  it("does not wait when the gap has already passed", () => {
    expect(Pacing.nextSlot(noQuiet, { ...warmedUp, recent: [noon - MIN] }, noon, 0.9)).toBe(noon)
  })

  it("waits for the oldest send to leave a full minute, hour or day window", () => {
    const config = { ...noQuiet, minGap: 0, jitter: 0, perMinute: 3, perHour: 5, perDay: 6 }
    const minute = [noon - 50_000, noon - 40_000, noon - 30_000]
    expect(Pacing.nextSlot(config, { ...warmedUp, recent: minute }, noon, 0)).toBe(noon + 10_000)
    const hour = [noon - 50 * MIN, noon - 40 * MIN, noon - 30 * MIN, noon - 20 * MIN, noon - 10 * MIN]
    expect(Pacing.nextSlot(config, { ...warmedUp, recent: hour }, noon, 0)).toBe(noon + 10 * MIN)
    const day = [noon - 20 * HOUR, ...hour.map((t) => t - 2 * HOUR)]
    expect(Pacing.nextSlot(config, { ...warmedUp, recent: day }, noon, 0)).toBe(noon + 4 * HOUR)
  })

  it("counts the caps over shorter windows when configured, the warm-up's days included", () => {
    const windows: Pacing.Windows = { minute: "1 second", hour: "5 seconds", day: "20 seconds" }
    const config: Pacing.Config = {
      ...noQuiet,
      minGap: 0,
      jitter: 0,
      perMinute: 2,
      perHour: 3,
      perDay: 4,
      warmup: false,
      windows
    }
    expect(Pacing.nextSlot(config, { ...warmedUp, recent: [noon - 900, noon - 100] }, noon, 0)).toBe(noon + 100)
    expect(Pacing.nextSlot(config, { ...warmedUp, recent: [noon - 4_000, noon - 3_000, noon - 100] }, noon, 0)).toBe(
      noon + 1_000
    )
    const day = [noon - 19_000, noon - 10_000, noon - 8_000, noon - 6_000]
    expect(Pacing.nextSlot(config, { ...warmedUp, recent: day }, noon, 0)).toBe(noon + 1_000)
    const ramp = { ...Pacing.defaults, windows }
    expect(Pacing.caps(ramp, noon, noon + 5 * 20_000)).toEqual({ perMinute: 5, perHour: 40, perDay: 275 })
  })

  it("keeps the gap per recipient even when the number is free", () => {
    const history = { ...warmedUp, recent: [noon - MIN], lastToRecipient: noon - 10_000 }
    expect(Pacing.nextSlot(noQuiet, history, noon, 0)).toBe(noon + 20_000)
  })

  it("sends nothing during quiet hours, across midnight, in the number's time zone", () => {
    const history = { ...warmedUp, recent: [] }
    // 22:30 in São Paulo is 01:30 UTC the next day; the window ends at 08:00 local = 11:00 UTC.
    const lateEvening = Date.UTC(2026, 11, 1, 1, 30)
    expect(Pacing.nextSlot(Pacing.defaults, history, lateEvening, 0)).toBe(Date.UTC(2026, 11, 1, 11, 0))
    const earlyMorning = Date.UTC(2026, 11, 1, 10, 59)
    expect(Pacing.nextSlot(Pacing.defaults, history, earlyMorning, 0)).toBe(Date.UTC(2026, 11, 1, 11, 0))
    expect(Pacing.nextSlot(Pacing.defaults, history, noon, 0)).toBe(noon)
    // The same instant is 10:30 in Tokyo: a number configured there sends at once.
    const tokyo = { ...Pacing.defaults, quietHours: { start: "21:00", end: "08:00", timeZone: "Asia/Tokyo" } }
    expect(Pacing.nextSlot(tokyo, history, lateEvening, 0)).toBe(lateEvening)
  })

  it("pushes a slot that a cap moved into quiet hours to the next morning", () => {
    const config = { ...Pacing.defaults, minGap: 0, jitter: 0, perMinute: 100, perHour: 1 }
    // 20:50 local; the hourly cap frees at 21:40 local, inside the quiet hours.
    const at = Date.UTC(2026, 11, 1, 23, 50)
    const history = { ...warmedUp, recent: [at - 10 * MIN] }
    expect(Pacing.nextSlot(config, history, at, 0)).toBe(Date.UTC(2026, 11, 2, 11, 0))
  })

  it("rejects a malformed quiet-hours time", () => {
    const config = { ...Pacing.defaults, quietHours: { start: "9pm", end: "08:00", timeZone: "UTC" } }
    expect(() => Pacing.nextSlot(config, { ...warmedUp, recent: [] }, noon, 0)).toThrow(/"9pm" is not HH:MM/)
  })
})

describe("Pacing.caps", () => {
  it("starts a new number at the warm-up caps and reaches the full caps after the warm-up days", () => {
    expect(Pacing.caps(Pacing.defaults, undefined, noon)).toEqual({ perMinute: 5, perHour: 20, perDay: 50 })
    expect(Pacing.caps(Pacing.defaults, noon, noon + DAY / 2)).toEqual({ perMinute: 5, perHour: 20, perDay: 50 })
    expect(Pacing.caps(Pacing.defaults, noon, noon + 5 * DAY)).toEqual({ perMinute: 5, perHour: 40, perDay: 275 })
    expect(Pacing.caps(Pacing.defaults, noon, noon + 10 * DAY)).toEqual({ perMinute: 5, perHour: 60, perDay: 500 })
  })

  it("never rises during the warm-up", () => {
    let previous = Pacing.caps(Pacing.defaults, noon, noon)
    for (let day = 1; day <= 12; day++) {
      const next = Pacing.caps(Pacing.defaults, noon, noon + day * DAY)
      expect(next.perHour).toBeGreaterThanOrEqual(previous.perHour)
      expect(next.perDay).toBeGreaterThanOrEqual(previous.perDay)
      previous = next
    }
  })

  it("holds a new number to its warm-up daily cap", () => {
    const config = { ...noQuiet, minGap: 0, jitter: 0, perMinute: 1000, perHour: 1000 }
    const recent = Array.from({ length: 50 }, (_, i) => noon - HOUR + i * 1000)
    const history = { recent, lastToRecipient: undefined, warmupStartedAt: noon - HOUR }
    expect(Pacing.nextSlot(config, history, noon, 0)).toBe(recent[0]! + DAY)
  })

  it("applies the full caps when warm-up is off", () => {
    expect(Pacing.caps({ ...Pacing.defaults, warmup: false }, undefined, noon)).toEqual({
      perMinute: 5,
      perHour: 60,
      perDay: 500
    })
  })
})

describe("Pacing.typingDuration", () => {
  it("is proportional to the text, within its bounds", () => {
    expect(Duration.toMillis(Pacing.typingDuration(Pacing.defaults, 100))).toBe(5_000)
    expect(Duration.toMillis(Pacing.typingDuration(Pacing.defaults, 3))).toBe(1_000)
    expect(Duration.toMillis(Pacing.typingDuration(Pacing.defaults, 10_000))).toBe(15_000)
    expect(Duration.toMillis(Pacing.typingDuration(Pacing.off, 100))).toBe(0)
  })
})

describe("Pacing.off", () => {
  it("never delays", () => {
    const history = {
      recent: Array.from({ length: 10_000 }, (_, i) => noon - i),
      lastToRecipient: noon,
      warmupStartedAt: noon
    }
    expect(Pacing.nextSlot(Pacing.off, { ...history, recent: [...history.recent].reverse() }, noon, 0.7)).toBe(noon)
  })
})
