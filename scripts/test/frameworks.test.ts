/**
 * The framework examples, run: each mounts the webhook receiver, gets Z-API's documented "text
 * received" webhook and replies through the Z-API mock before answering 200 (a failed reply
 * would be a 500), and answers 401 to a wrong secret. The Promise API notifications script runs
 * as a user would run it, with Node, against the same mock.
 */
import { execFile } from "node:child_process"
import { readFileSync } from "node:fs"
import type { AddressInfo } from "node:net"
import { specPath } from "@pombo/openapi"
import { MockWhatsApp } from "@pombo/testing"
import { beforeAll, describe, expect, inject, it, vi } from "vitest"
import { parse } from "yaml"

const secret = "examples-webhook-secret-42"

const receivedText = JSON.stringify(
  parse(readFileSync(specPath("zapi").replace(/zapi\.yaml$/, "zapi/webhooks.yaml"), "utf8")).components.examples
    .ReceivedTextPayload.value
)

beforeAll(() => {
  const { instanceId, token, clientToken } = MockWhatsApp.credentials.zapi
  vi.stubEnv("WHATSAPP_PROVIDER", "zapi")
  vi.stubEnv("ZAPI_BASE_URL", inject("mockUrls").zapi)
  vi.stubEnv("ZAPI_INSTANCE_ID", instanceId)
  vi.stubEnv("ZAPI_TOKEN", token)
  vi.stubEnv("ZAPI_CLIENT_TOKEN", clientToken)
  vi.stubEnv("POMBO_WEBHOOK_SECRET", secret)
  return () => {
    vi.unstubAllEnvs()
  }
})

const post = (base: string, path: string) =>
  new Request(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: receivedText })

/** A web handler's answers to the documented webhook with the right and a wrong secret. */
const answers = async (handle: (request: Request) => Promise<Response>, base = "http://app.test") => [
  (await handle(post(base, `/webhooks/zapi/${secret}`))).status,
  (await handle(post(base, "/webhooks/zapi/not-the-secret"))).status
]

describe("framework examples, against the Z-API mock", () => {
  it("Hono", async () => {
    const { app } = await import("../../examples/hono.ts")
    expect(await answers((request) => Promise.resolve(app.fetch(request)))).toEqual([200, 401])
  })

  it("a Next.js route handler", async () => {
    const { POST } = await import("../../examples/nextjs-route.ts")
    expect(await answers(POST)).toEqual([200, 401])
  })

  it("Express, on a real socket", async () => {
    const { app } = await import("../../examples/express.ts")
    const server = app.listen(0, "127.0.0.1")
    await new Promise((resolve) => server.once("listening", resolve))
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      expect(await answers(fetch, base)).toEqual([200, 401])
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it("Fastify, on a real socket", async () => {
    const { app } = await import("../../examples/fastify.ts")
    const base = await app.listen({ port: 0, host: "127.0.0.1" })
    try {
      expect(await answers(fetch, base)).toEqual([200, 401])
    } finally {
      await app.close()
    }
  })
})

describe("the Promise API notifications script", () => {
  it("sends one message per order and closes, exiting 0", async () => {
    const { instanceId, token, clientToken } = MockWhatsApp.credentials.zapi
    const env = {
      PATH: process.env.PATH,
      WHATSAPP_PROVIDER: "zapi",
      ZAPI_BASE_URL: inject("mockUrls").zapi,
      ZAPI_INSTANCE_ID: instanceId,
      ZAPI_TOKEN: token,
      ZAPI_CLIENT_TOKEN: clientToken
    }
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ["examples/notifications-promise.ts"], { env }, (error, out, err) =>
        error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)
      )
    )
    expect(stdout).toMatch(/^A-1001: accepted as \S+\nA-1002: accepted as \S+\n$/)
  })
})
