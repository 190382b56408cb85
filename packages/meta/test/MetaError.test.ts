import { Operation } from "@pombo/core"
import { ClientStatusError } from "@pombo/core/HttpClientRuntime"
import { describe, expect, it } from "vitest"
import { MetaError } from "../src/index.ts"

const graph = (code: number, status = 400, message = `(#${code}) Meta error`) =>
  new ClientStatusError({
    operationId: "sendMessage",
    status,
    body: { error: { code, message, type: "OAuthException" } }
  })

const read = (error: ClientStatusError) => MetaError.fromStatus(error, Operation.context("meta", "sendText"))

describe("MetaError: Meta's error codes, not the HTTP status, decide", () => {
  it.each([
    [130429, "RateLimited"],
    [131056, "RateLimited"],
    [80007, "RateLimited"],
    [4, "RateLimited"],
    [190, "Unauthorized"],
    [131026, "RecipientNotFound"],
    [133010, "NotConnected"],
    [131000, "ProviderUnavailable"],
    [100, "InvalidRequest"]
  ])("code %i is %s, keeping the code", (code, tag) => {
    const error = read(graph(code))
    expect(error._tag).toBe(tag)
    expect(error.vendorCode).toBe(String(code))
  })

  it("a closed 24-hour window is an InvalidRequest the application can act on: send a template", () => {
    const error = read(graph(131047))
    expect(error).toMatchObject({ _tag: "InvalidRequest", reason: "windowClosed", vendorCode: "131047" })
    expect(error.message).toContain("sendTemplate")
  })

  it("template and opt-out codes carry their reasons", () => {
    expect(read(graph(132001))).toMatchObject({ _tag: "InvalidRequest", reason: "template" })
    expect(read(graph(131050))).toMatchObject({ _tag: "InvalidRequest", reason: "optedOut" })
  })

  it("the same HTTP status reads differently by code (a 400 may be a rate limit)", () => {
    expect(read(graph(131056, 400))._tag).toBe("RateLimited")
    expect(read(graph(131009, 400))._tag).toBe("InvalidRequest")
  })

  it("without a Graph body, the status decides", () => {
    const status = (s: number) => new ClientStatusError({ operationId: "sendMessage", status: s, body: "gateway" })
    expect(read(status(401))._tag).toBe("Unauthorized")
    expect(read(status(502))).toMatchObject({ _tag: "ProviderUnavailable", notSent: false })
  })
})
