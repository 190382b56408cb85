import { describe, expect, it } from "@effect/vitest"
import { Redacted } from "effect"
import * as HttpClientRuntime from "../src/HttpClientRuntime.ts"

const token = `p"q\\r/s+t%u&v<w'Zq8XkR2mVt`
const scrub = HttpClientRuntime.makeScrubber({ token: Redacted.make(token), instance: "not-a-secret" })

describe("HttpClientRuntime's scrubber of vendor error text", () => {
  it.each([
    ["as sent", token],
    ["URL-encoded", encodeURIComponent(token)],
    ["form-encoded", new URLSearchParams({ t: token }).toString().slice(2)],
    ["JSON-escaped", JSON.stringify(token).slice(1, -1)],
    ["JSON-escaped with \\/", JSON.stringify(token).slice(1, -1).replace(/\//g, "\\/")],
    ["JSON-escaped twice (JSON in a JSON string)", JSON.stringify(JSON.stringify(token).slice(1, -1)).slice(1, -1)],
    ["HTML-escaped", token.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;")]
  ])("removes a secret echoed %s", (_, form) => {
    const clean = scrub(`invalid token ${form} for POST /send`)
    expect(clean).not.toContain("Zq8XkR2mVt")
    expect(clean).toBe("invalid token <redacted> for POST /send")
  })

  it("leaves what is not a secret alone", () => {
    expect(scrub("instance not-a-secret is disconnected")).toBe("instance not-a-secret is disconnected")
  })

  it("removes URLs and /token/ path segments, the secret inside them too", () => {
    const clean = scrub(`GET https://api.example/instances/X/token/${encodeURIComponent(token)}/status failed`)
    expect(clean).not.toMatch(/Zq8XkR2mVt|api\.example|instances\/X/)
    expect(scrub("Cannot POST /instances/X/token/abc123/send-text")).toBe(
      "Cannot POST /instances/<redacted>/token/<redacted>/send-text"
    )
  })

  it("drops the start of a secret that a cut left at the end of a truncated text", () => {
    const cut = `upstream said: ${token.slice(0, 12)}`
    expect(scrub.cut(cut)).toBe("upstream said: ")
    expect(scrub.cut('upstream said: p"q')).toBe('upstream said: p"q')
  })

  it("bounds any text before scanning it", () => {
    expect(scrub("a1B2".repeat(65_536)).length).toBe(HttpClientRuntime.maxErrorText)
  })
})
