/**
 * When a WhatsApp number may send its next message: pure arithmetic over the number's recent
 * history, so every rule here is tested without a clock, a database or a vendor.
 *
 * With the unofficial vendors the number itself is at risk: traffic that does not look like a
 * person using WhatsApp Web gets it reported and banned. The rules, all configurable per number:
 *
 * - a **minimum gap** between two sends of the number, plus a **random jitter** on top;
 * - **caps** per sliding minute, hour and day (`windows` shortens them for tests);
 * - a **warm-up**: a new number starts at low hourly/daily caps that rise linearly to the full
 *   caps over `warmup.days`, counted from the number's first send;
 * - **quiet hours** in a time zone (default `America/Sao_Paulo`), when nothing is sent;
 * - a **minimum gap per recipient**, so one contact never receives a burst;
 * - a **typing** time proportional to the text, which the dispatcher turns into "composing"
 *   presence or the vendor's own typing delay.
 *
 * Times are epoch milliseconds; the caller passes the history it stored, so a restart or a
 * failover to another process computes the same slots.
 */
import { Duration } from "effect"

/** The warm-up of a new number: caps at first, rising linearly to the full caps by `days`. */
export interface Warmup {
  /** Days until the full caps apply. */
  readonly days: number
  /** Hourly cap on the first day. */
  readonly perHour: number
  /** Daily cap on the first day. */
  readonly perDay: number
}

/** A daily window (local wall-clock time in `timeZone`) when the number sends nothing. */
export interface QuietHours {
  /** Start, `"HH:MM"` local time. */
  readonly start: string
  /** End, `"HH:MM"` local time; before `start` when the window spans midnight. */
  readonly end: string
  /** IANA time zone, e.g. `America/Sao_Paulo`. */
  readonly timeZone: string
}

/** The typing simulation: `perCharacter` of the text, bounded by `min` and `max`. */
export interface Typing {
  readonly perCharacter: Duration.Input
  readonly min: Duration.Input
  readonly max: Duration.Input
}

/**
 * The lengths of the three cap windows. Real time by default (1 minute, 1 hour, 1 day); shorter
 * windows let a test or a demo watch the caps and the warm-up bind within seconds.
 */
export interface Windows {
  readonly minute: Duration.Input
  readonly hour: Duration.Input
  /** Also the unit of the warm-up's age. */
  readonly day: Duration.Input
}

/** The pacing of one number. `false` turns a rule off. */
export interface Config {
  readonly minGap: Duration.Input
  /** Upper bound of the uniformly random delay added to `minGap`. */
  readonly jitter: Duration.Input
  readonly perMinute: number
  readonly perHour: number
  readonly perDay: number
  readonly recipientGap: Duration.Input
  readonly warmup: Warmup | false
  readonly quietHours: QuietHours | false
  readonly typing: Typing | false
  /** The windows `perMinute`, `perHour` and `perDay` count over; default `realTime`. */
  readonly windows?: Windows | undefined
}

/** The cap windows as their names say: a minute, an hour, a day. */
export const realTime: Windows = { minute: "1 minute", hour: "1 hour", day: "1 day" }

/**
 * Conservative defaults (see the README's table for the sources): 10–15 s between sends
 * (under ~5 a minute, the community's risk threshold, and above Z-API's own 1–3 s queue delay),
 * at most 5 a minute, 60 an hour and 500 a day once warmed up; a new number starts at 20 an
 * hour and 50 a day for ten days; nothing between 21:00 and 08:00 in São Paulo; 30 s between
 * two messages to the same contact; typing 50 ms a character, 1–15 s (Z-API's `delayTyping`
 * range).
 */
export const defaults: Config = {
  minGap: "10 seconds",
  jitter: "5 seconds",
  perMinute: 5,
  perHour: 60,
  perDay: 500,
  recipientGap: "30 seconds",
  warmup: { days: 10, perHour: 20, perDay: 50 },
  quietHours: { start: "21:00", end: "08:00", timeZone: "America/Sao_Paulo" },
  typing: { perCharacter: "50 millis", min: "1 second", max: "15 seconds" }
}

/** No pacing at all: for tests, benchmarks and the official Cloud API's own limits. */
export const off: Config = {
  minGap: 0,
  jitter: 0,
  perMinute: Number.POSITIVE_INFINITY,
  perHour: Number.POSITIVE_INFINITY,
  perDay: Number.POSITIVE_INFINITY,
  recipientGap: 0,
  warmup: false,
  quietHours: false,
  typing: false
}

/** What the number did recently, as stored. */
export interface History {
  /** Start times of the number's attempts within the day window (24 hours), ascending. */
  readonly recent: ReadonlyArray<number>
  /** The last attempt to this recipient, if any. */
  readonly lastToRecipient: number | undefined
  /** The number's first send ever; `undefined` for a number that never sent. */
  readonly warmupStartedAt: number | undefined
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const ms = (input: Duration.Input) => Duration.toMillis(Duration.fromInputUnsafe(input))

/** The cap windows of `config` in milliseconds. */
export const windowsOf = (config: Config): { readonly minute: number; readonly hour: number; readonly day: number } => {
  const windows = config.windows ?? realTime
  return { minute: ms(windows.minute), hour: ms(windows.hour), day: ms(windows.day) }
}

/** The caps in force at `now`: the full caps, or the warm-up's lower ones while it lasts. */
export const caps = (
  config: Config,
  warmupStartedAt: number | undefined,
  now: number
): { readonly perMinute: number; readonly perHour: number; readonly perDay: number } => {
  const full = { perMinute: config.perMinute, perHour: config.perHour, perDay: config.perDay }
  if (config.warmup === false) return full
  const { days, perHour, perDay } = config.warmup
  const length = windowsOf(config).day
  const day = warmupStartedAt === undefined ? 0 : Math.floor(Math.max(0, now - warmupStartedAt) / length)
  if (day >= days) return full
  const ramp = (start: number, end: number) => Math.min(end, Math.floor(start + ((end - start) * day) / days))
  return {
    perMinute: config.perMinute,
    perHour: ramp(Math.min(perHour, config.perHour), config.perHour),
    perDay: ramp(Math.min(perDay, config.perDay), config.perDay)
  }
}

/** The earliest time a sliding `window` holds fewer than `cap` of the ascending `recent` sends. */
const capSlot = (recent: ReadonlyArray<number>, cap: number, window: number, now: number): number => {
  if (!Number.isFinite(cap)) return now
  if (cap <= 0) return Number.POSITIVE_INFINITY
  const inWindow = recent.filter((t) => t > now - window)
  if (inWindow.length < cap) return now
  // The send that must leave the window before another fits.
  return (inWindow[inWindow.length - cap] as number) + window
}

const minutesOf = (hhmm: string): number => {
  const match = /^(\d{2}):(\d{2})$/.exec(hhmm)
  const hours = Number(match?.[1])
  const minutes = Number(match?.[2])
  if (match === null || hours > 23 || minutes > 59) throw new RangeError(`quiet hours: "${hhmm}" is not HH:MM`)
  return hours * 60 + minutes
}

const formatters = new Map<string, Intl.DateTimeFormat>()
const formatter = (timeZone: string) => {
  let f = formatters.get(timeZone)
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      hourCycle: "h23",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit"
    })
    formatters.set(timeZone, f)
  }
  return f
}

/** Milliseconds since local midnight in `timeZone` at `at`. */
const localTimeOfDay = (at: number, timeZone: string): number => {
  const parts = formatter(timeZone).formatToParts(new Date(at))
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0)
  return ((part("hour") * 60 + part("minute")) * 60 + part("second")) * 1000 + (at % 1000)
}

/** When the quiet hours around `at` end, or `at` itself when it is outside them. */
export const afterQuietHours = (quiet: QuietHours, at: number): number => {
  const start = minutesOf(quiet.start) * MINUTE
  const end = minutesOf(quiet.end) * MINUTE
  if (start === end) return at
  const local = localTimeOfDay(at, quiet.timeZone)
  const inside = start < end ? local >= start && local < end : local >= start || local < end
  if (!inside) return at
  const wait = (end - local + DAY) % DAY
  // A daylight-saving change inside the wait shifts the local end by an hour: check again.
  const candidate = at + wait
  return afterQuietHours(quiet, candidate) === candidate ? candidate : afterQuietHours(quiet, candidate)
}

/**
 * The earliest time the number may send to the recipient whose history is given. `random` is a
 * uniform draw in [0, 1) that places the jitter; pass the same draw to get the same slot.
 */
export const nextSlot = (config: Config, history: History, now: number, random: number): number => {
  const last = history.recent.at(-1)
  let slot = now
  if (last !== undefined) slot = Math.max(slot, last + ms(config.minGap) + Math.floor(random * ms(config.jitter)))
  if (history.lastToRecipient !== undefined) slot = Math.max(slot, history.lastToRecipient + ms(config.recipientGap))
  // Caps only loosen as time passes (the warm-up rises, windows slide), so taking them at
  // `slot` and then leaving the quiet hours converges in a few rounds.
  const windows = windowsOf(config)
  for (let round = 0; round < 8; round++) {
    const limit = caps(config, history.warmupStartedAt, slot)
    const capped = Math.max(
      slot,
      capSlot(history.recent, limit.perMinute, windows.minute, slot),
      capSlot(history.recent, limit.perHour, windows.hour, slot),
      capSlot(history.recent, limit.perDay, windows.day, slot)
    )
    const open = config.quietHours === false ? capped : afterQuietHours(config.quietHours, capped)
    if (open === slot) break
    slot = open
  }
  return slot
}

/** How long to show "typing…" before a text of `length` characters; zero when typing is off. */
export const typingDuration = (config: Config, length: number): Duration.Duration => {
  if (config.typing === false || length <= 0) return Duration.zero
  const { perCharacter, min, max } = config.typing
  return Duration.millis(Math.min(ms(max), Math.max(ms(min), Math.round(ms(perCharacter) * length))))
}
