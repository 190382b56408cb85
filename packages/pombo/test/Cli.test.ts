/**
 * The `pombo` command line, run as a user runs it (Node on `src/bin.ts`, a fresh working
 * directory) against the Prism mocks: exit codes, output, `--json` shapes, the `.env` file, the
 * webhook listener receiving a replayed payload, no token ever printed, and `connect`'s QR
 * refresh loop against a scripted vendor.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { specPath } from "@pombo/openapi"
import { MockWhatsApp } from "@pombo/testing"
import { encode } from "fast-png"
import { describe, expect, inject, it, vi } from "vitest"
import { parse } from "yaml"
import * as QrTerminal from "../src/internal/QrTerminal.ts"

// Each run starts Node on the TypeScript sources: seconds on a loaded two-core machine.
vi.setConfig({ testTimeout: 90_000 })

const bin = fileURLToPath(new URL("../src/bin.ts", import.meta.url))
const token = MockWhatsApp.credentials.zapi.token
const zapiEnv = () => ({
  WHATSAPP_PROVIDER: "zapi",
  ZAPI_BASE_URL: inject("mockUrls").zapi,
  ZAPI_INSTANCE_ID: MockWhatsApp.credentials.zapi.instanceId,
  ZAPI_TOKEN: token,
  ZAPI_CLIENT_TOKEN: MockWhatsApp.credentials.zapi.clientToken
})

interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs `pombo …` in `cwd` (default: an empty directory) with only `env` and PATH set. */
const pombo = (
  args: ReadonlyArray<string>,
  env: Record<string, string>,
  cwd = mkdtempSync(join(tmpdir(), "pombo-cli-"))
) =>
  new Promise<Run>((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd, env: { PATH: process.env.PATH, ...env } },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr })
    )
  })

const receivedText = JSON.stringify(
  parse(readFileSync(specPath("zapi").replace(/zapi\.yaml$/, "zapi/webhooks.yaml"), "utf8")).components.examples
    .ReceivedTextPayload.value
)

/** Meta's documented "text received" notification, from the spec the mock serves. */
const receivedMetaText = JSON.stringify(
  parse(readFileSync(specPath("meta").replace(/meta\.yaml$/, "meta/webhooks.yaml"), "utf8")).components.examples
    .textPlain.value
)

describe("pombo --help", () => {
  it("names every command with what it does, exit 0", async () => {
    const help = await pombo(["--help"], {})
    expect(help.code).toBe(0)
    const commands = help.stdout
      .slice(help.stdout.indexOf("SUBCOMMANDS"))
      .split("\n")
      .slice(1)
      .filter(Boolean)
      .map((line) => /^ {2}(\S+) +(\S.*)$/.exec(line)?.slice(1, 3))
    expect(commands.map((entry) => entry?.[0])).toEqual([
      "status",
      "connect",
      "send",
      "webhook",
      "doctor",
      "outbox",
      "mock"
    ])
    for (const entry of commands) expect(entry?.[1]).toMatch(/^[A-Z].{20,}/)
    expect(help.stdout).toContain("WHATSAPP_PROVIDER")
  })
})

describe("pombo status / send", () => {
  it("status: a pass line, exit 0; --json: provider and connected", async () => {
    const human = await pombo(["status"], zapiEnv())
    expect(human).toMatchObject({ code: 0, stdout: "✓ zapi: connected\n" })
    const json = await pombo(["status", "--json"], zapiEnv())
    expect(json.code).toBe(0)
    expect(JSON.parse(json.stdout)).toEqual({ provider: "zapi", connected: true })
  })

  it("send text: the receipt, as a line or as JSON", async () => {
    const human = await pombo(["send", "text", "(11) 98765-4321", "Olá"], zapiEnv())
    expect(human.code).toBe(0)
    expect(human.stdout).toMatch(/^✓ sent to \+5511987654321 via zapi \(message \S+\)\n$/)
    const json = await pombo(["send", "text", "5511987654321", "Olá", "--json"], zapiEnv())
    expect(JSON.parse(json.stdout)).toEqual({
      provider: "zapi",
      operation: "sendText",
      to: "+5511987654321",
      messageId: expect.any(String),
      acceptedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/)
    })
  })

  it("a bad recipient: one error line naming it, exit 1, nothing sent; --json: the error's tag", async () => {
    const human = await pombo(["send", "text", "not-a-phone", "Olá"], zapiEnv())
    expect(human).toMatchObject({ code: 1, stdout: "" })
    expect(human.stderr).toMatch(/^✗ Invalid chat id "not-a-phone": .+\n$/)
    const json = await pombo(["send", "text", "not-a-phone", "Olá", "--json"], zapiEnv())
    expect(json.code).toBe(1)
    expect(JSON.parse(json.stdout)).toEqual({ error: { _tag: "InvalidChatId", message: expect.any(String) } })
  })

  it("a missing variable is named, exit 1", async () => {
    const { ZAPI_INSTANCE_ID: _, ...env } = zapiEnv()
    const run = await pombo(["status"], env)
    expect(run.code).toBe(1)
    expect(run.stderr).toContain("ZAPI_INSTANCE_ID")
  })

  it("reads a .env file in the working directory; the environment wins", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pombo-cli-"))
    const { WHATSAPP_PROVIDER: _, ...vendor } = zapiEnv()
    writeFileSync(
      join(dir, ".env"),
      `${Object.entries({ ...vendor, WHATSAPP_PROVIDER: "megaapi" })
        .map(([k, v]) => `${k}=${v}`)
        .join("\n")}\n`
    )
    expect((await pombo(["status"], { WHATSAPP_PROVIDER: "zapi" }, dir)).stdout).toBe("✓ zapi: connected\n")
    expect((await pombo(["status"], {}, dir)).stderr).toContain("MEGAAPI_INSTANCE_KEY")
  })
})

/** The `--json` a send prints: documented in the README, the same for every kind. */
const receiptJson = (provider: string, operation: string, to = "+5511987654321") => ({
  provider,
  operation,
  to,
  messageId: expect.any(String),
  acceptedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
})

/** A vendor that records every request and answers Z-API's send receipt: what reached the wire. */
const recordingZApi = async () => {
  const requests: Array<{ readonly path: string; readonly body: string }> = []
  const server = createServer((request, response) => {
    let body = ""
    request.on("data", (chunk) => {
      body += String(chunk)
    })
    request.on("end", () => {
      requests.push({ path: request.url ?? "", body })
      response.writeHead(200, { "content-type": "application/json" })
      response.end(JSON.stringify({ zaapId: "Z1", messageId: "3EB0C767D71D", id: "3EB0C767D71D" }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url, requests, [Symbol.asyncDispose]: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

describe("pombo send <kind>", () => {
  it("has one subcommand per sending operation of WhatsApp, each with its help", async () => {
    const help = await pombo(["send", "--help"], {})
    expect(help.code).toBe(0)
    const listed = help.stdout
      .slice(help.stdout.indexOf("SUBCOMMANDS"))
      .split("\n")
      .slice(1)
      .filter(Boolean)
      .map((line) => line.trim().split(/\s+/)[0])
    expect(listed).toEqual([
      "text",
      "media",
      "location",
      "contacts",
      "link-preview",
      "list",
      "buttons",
      "poll",
      "reaction",
      "reply",
      "template",
      "forward"
    ])
    const media = await pombo(["send", "media", "--help"], {})
    expect(media.stdout).toContain("pombo send media [flags] <to> <kind> <source>")
    expect(media.stdout).toMatch(/kind choice +What the media is: image, video, audio, voice, document, sticker/)
    expect(media.stdout).toMatch(/--caption string +Text shown under the media/)
  })

  it("every kind the Z-API mock carries: exit 0 and the receipt as JSON", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pombo-cli-"))
    writeFileSync(join(dir, "photo.png"), "not really a png")
    const runs = {
      sendMedia: ["media", "5511987654321", "image", "https://example.com/a.jpg", "--caption", "Olá"],
      sendLocation: ["location", "5511987654321", "-23.5505", "-46.6333", "--name", "Sé"],
      sendContacts: ["contacts", "5511987654321", "--contact", "name=Maria Silva,phone=(11) 91234-5678"],
      sendLinkPreview: [
        "link-preview",
        "5511987654321",
        "Veja",
        "https://example.com",
        "--image-url",
        "https://example.com/i.png"
      ],
      sendList: [
        "list",
        "5511987654321",
        "Cardápio",
        "Ver",
        "--sections",
        JSON.stringify([{ title: "Pratos", rows: [{ id: "1", title: "Feijoada" }] }])
      ],
      sendButtons: [
        "buttons",
        "5511987654321",
        "Confirma?",
        "--button",
        "id=yes,label=Sim",
        "--button",
        "id=no,label=Não"
      ],
      sendPoll: ["poll", "5511987654321", "Qual dia?", "Sábado", "Domingo", "--selectable-count", "2"],
      sendReaction: ["reaction", "5511987654321", "3EB0C767D71D", "👍"],
      reply: ["reply", "5511987654321", "3EB0C767D71D", "Combinado"],
      forwardMessage: ["forward", "5511987654321", "3EB0C767D71D", "--from", "5511912345678"]
    } as const
    const results = await Promise.all(
      Object.values(runs).map((args) => pombo(["send", ...args, "--json"], zapiEnv(), dir))
    )
    Object.keys(runs).forEach((operation, i) => {
      const run = results[i]!
      expect({ operation, code: run.code, stderr: run.stderr }).toEqual({ operation, code: 0, stderr: "" })
      expect(JSON.parse(run.stdout)).toEqual(receiptJson("zapi", operation))
    })
    for (const run of results) expect(`${run.stdout}${run.stderr}`).not.toContain(token)
  })

  it("sendTemplate on the Meta mock, with its components as JSON", async () => {
    const meta = MockWhatsApp.credentials.meta
    const env = {
      WHATSAPP_PROVIDER: "meta",
      META_BASE_URL: inject("mockUrls").meta,
      META_ACCESS_TOKEN: meta.accessToken,
      META_PHONE_NUMBER_ID: meta.phoneNumberId
    }
    const components = [{ type: "body", parameters: [{ _tag: "Text", text: "Maria" }] }]
    const run = await pombo(
      [
        "send",
        "template",
        "5511987654321",
        "order_update",
        "pt_BR",
        "--components",
        JSON.stringify(components),
        "--json"
      ],
      env
    )
    expect(run).toMatchObject({ code: 0, stderr: "" })
    expect(JSON.parse(run.stdout)).toEqual(receiptJson("meta", "sendTemplate"))
    expect(`${run.stdout}${run.stderr}`).not.toContain(meta.accessToken)
  })

  it("a local file is sent inline, its type from the extension; a document keeps its name", async () => {
    await using vendor = await recordingZApi()
    const dir = mkdtempSync(join(tmpdir(), "pombo-cli-"))
    writeFileSync(join(dir, "relatório.pdf"), "%PDF-1.4 pombo")
    const run = await pombo(
      ["send", "media", "5511987654321", "document", "relatório.pdf"],
      { ...zapiEnv(), ZAPI_BASE_URL: vendor.url },
      dir
    )
    expect(run).toMatchObject({ code: 0, stdout: "✓ sent to +5511987654321 via zapi (message 3EB0C767D71D)\n" })
    expect(vendor.requests).toHaveLength(1)
    expect(vendor.requests[0]!.path).toMatch(/\/send-document\/pdf$/)
    expect(JSON.parse(vendor.requests[0]!.body)).toMatchObject({
      phone: "5511987654321",
      document: `data:application/pdf;base64,${Buffer.from("%PDF-1.4 pombo").toString("base64")}`,
      fileName: "relatório.pdf"
    })
  })

  it("bad input: a clear error naming it, exit 1, and nothing reaches the vendor", async () => {
    await using vendor = await recordingZApi()
    const env = { ...zapiEnv(), ZAPI_BASE_URL: vendor.url }
    const dir = mkdtempSync(join(tmpdir(), "pombo-cli-"))
    writeFileSync(join(dir, "clip.xyz"), "?")
    const cases: ReadonlyArray<readonly [ReadonlyArray<string>, RegExp]> = [
      [["location", "5511987654321", "-95", "10"], /^✗ zapi: invalid sendLocation request \(latitude\): .+\n$/],
      [["reaction", "5511987654321", "3EB0C767D71D", "ok"], /^✗ zapi: invalid sendReaction request \(emoji\): .+\n$/],
      [["media", "5511987654321", "video", "clip.xyz"], /^✗ cannot tell the MIME type of "clip.xyz": pass --mime-type/],
      [
        ["media", "5511987654321", "image", "missing.png"],
        /^✗ "missing.png" is neither an http\(s\) URL nor a readable file\n$/
      ],
      [
        ["buttons", "5511987654321", "Sim?", "--button", "label=Sim"],
        /^✗ zapi: invalid sendButtons request \(buttons\.0\.id\): /
      ],
      [["buttons", "5511987654321", "Sim?", "--button", "yes=Sim"], /^✗ --button "yes=Sim": expected id=…,label=…\n$/],
      [["list", "5511987654321", "Menu", "Ver", "--sections", "[{"], /^✗ --sections is not JSON: /],
      [["contacts", "5511987654321", "--contact", "name=Ana,phone=123"], /^✗ Invalid chat id "123": /]
    ]
    const runs = await Promise.all(cases.map(([args]) => pombo(["send", ...args], env, dir)))
    cases.forEach(([args, message], i) => {
      expect({ args, code: runs[i]!.code, stdout: runs[i]!.stdout }).toEqual({ args, code: 1, stdout: "" })
      expect(runs[i]!.stderr).toMatch(message)
    })
    const missing = await pombo(["send", "buttons", "5511987654321", "Sim?"], env)
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain("Missing required flag: --button")
    const [json, unsupported] = await Promise.all([
      pombo(["send", "poll", "5511987654321", "Qual?", "Só uma", "--json"], env),
      pombo(["send", "template", "5511987654321", "hello", "pt_BR"], env)
    ])
    expect(json.code).toBe(1)
    expect(JSON.parse(json.stdout)).toEqual({
      error: { _tag: "InvalidRequest", message: expect.stringMatching(/^zapi: invalid sendPoll request \(options\): /) }
    })
    expect(unsupported).toMatchObject({ code: 1, stderr: "✗ zapi does not support sendTemplate\n" })
    expect(vendor.requests).toEqual([])
  })
})

describe("pombo doctor", () => {
  it("passes every check against the mock, exit 0; --json lists them", async () => {
    const human = await pombo(["doctor"], zapiEnv())
    expect(human.code).toBe(0)
    expect(
      human.stdout
        .split("\n")
        .filter(Boolean)
        .map((line) => line.slice(0, 2))
    ).toEqual(["✓ ", "✓ ", "✓ ", "✓ "])
    const json = await pombo(["doctor", "--json"], zapiEnv())
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      checks: [{ name: "configuration" }, { name: "reachability" }, { name: "credentials" }, { name: "webhook" }]
    })
  })

  it("an unreachable host fails with the fix, within the timeout, exit 1", async () => {
    const run = await pombo(["doctor", "--timeout", "2"], { ...zapiEnv(), ZAPI_BASE_URL: "http://127.0.0.1:9" })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain("✗ reachability: 127.0.0.1:9 did not answer within 2 s\n    fix: ")
  })

  it("no configuration: the failed check says what to set", async () => {
    const run = await pombo(["doctor"], {})
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/^✗ configuration: .*WHATSAPP_PROVIDER[\s\S]*fix: set WHATSAPP_PROVIDER/)
  })
})

/** Starts `pombo webhook listen`, resolving with the process and its URL line once it listens. */
const listen = (env: Record<string, string>) =>
  new Promise<{ readonly child: ChildProcess; readonly url: string; output: () => string }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "webhook", "listen", "--port", "0"], {
      cwd: mkdtempSync(join(tmpdir(), "pombo-cli-")),
      env: { PATH: process.env.PATH, ...env }
    })
    let output = ""
    child.stdout.on("data", (chunk) => {
      output += String(chunk)
      const url = /URL\s+(\S+)/.exec(output)?.[1]
      if (url !== undefined) resolve({ child, url, output: () => output })
    })
    child.once("exit", (code) => reject(new Error(`listen exited ${code}: ${output}`)))
  })

const until = async (condition: () => boolean, tries = 200) => {
  for (let i = 0; i < tries && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 25))
}

describe("pombo webhook listen / replay", () => {
  it("prints a URL with a generated secret, and each replayed event; a wrong secret is refused", async () => {
    const listener = await listen({ WHATSAPP_PROVIDER: "zapi" })
    try {
      expect(listener.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhooks\/zapi\/[0-9a-f]{48}$/)
      const dir = mkdtempSync(join(tmpdir(), "pombo-cli-"))
      writeFileSync(join(dir, "received.json"), receivedText)
      const ok = await pombo(["webhook", "replay", "received.json", "--url", listener.url], {}, dir)
      expect(ok).toMatchObject({
        code: 0,
        stdout: expect.stringMatching(/^✓ POST http:.*\/webhooks\/zapi\/<secret> → 200\n$/)
      })
      await until(() => listener.output().includes("MessageReceived"))
      expect(listener.output()).toMatch(
        /\d\d:\d\d:\d\d {2}MessageReceived +\+5544999999999 {2}from \+5544999999999 \(name\) {2}Text: "test"\n/
      )
      const wrong = listener.url.replace(/[0-9a-f]{48}$/, "wrong")
      const refused = await pombo(["webhook", "replay", "received.json", "--url", wrong], {}, dir)
      expect(refused).toMatchObject({ code: 1, stdout: expect.stringContaining("→ 401") })
    } finally {
      listener.child.kill("SIGINT")
    }
    const code = await new Promise((resolve) => listener.child.once("exit", resolve))
    expect(code).not.toBeNull()
  })

  it("with POMBO_WEBHOOK_SECRET set, the secret is never printed", async () => {
    const listener = await listen({ WHATSAPP_PROVIDER: "zapi", POMBO_WEBHOOK_SECRET: "configured-secret-123" })
    listener.child.kill("SIGINT")
    await new Promise((resolve) => listener.child.once("exit", resolve))
    expect(listener.url).toMatch(/\/webhooks\/zapi\/\$POMBO_WEBHOOK_SECRET$/)
    expect(listener.output()).not.toContain("configured-secret-123")
  })

  it("Meta: listens on its signed route; replay signs with META_APP_SECRET (401 unsigned); the secret is never printed", async () => {
    const appSecret = "meta-app-secret-never-printed"
    const listener = await listen({ WHATSAPP_PROVIDER: "meta", META_APP_SECRET: appSecret })
    try {
      expect(listener.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhooks\/meta$/)
      const dir = mkdtempSync(join(tmpdir(), "pombo-cli-"))
      writeFileSync(join(dir, "meta.json"), receivedMetaText)
      const [signed, unsigned] = await Promise.all([
        pombo(["webhook", "replay", "meta.json", "--url", listener.url], { META_APP_SECRET: appSecret }, dir),
        pombo(["webhook", "replay", "meta.json", "--url", listener.url], {}, dir)
      ])
      expect(signed).toMatchObject({ code: 0, stdout: `✓ POST ${listener.url} → 200\n` })
      expect(unsigned).toMatchObject({ code: 1, stdout: `✗ POST ${listener.url} → 401\n` })
      await until(() => listener.output().includes("MessageReceived"))
      expect(listener.output()).toMatch(/MessageReceived +\+16505551234 {2}from \+16505551234/)
      expect(`${listener.output()}${signed.stdout}${signed.stderr}`).not.toContain(appSecret)
    } finally {
      listener.child.kill("SIGINT")
    }
    await new Promise((resolve) => listener.child.once("exit", resolve))
  })

  it("no command prints the vendor's token", async () => {
    const runs = await Promise.all([
      pombo(["status", "--json"], zapiEnv()),
      pombo(["doctor", "--json"], zapiEnv()),
      pombo(["webhook", "set", `https://app.example/webhooks/zapi/s3cret-path`], zapiEnv())
    ])
    for (const run of runs) expect(`${run.stdout}${run.stderr}`).not.toContain(token)
    expect(runs[2]!.stdout).toBe("✓ zapi now posts its webhooks to https://app.example/webhooks/zapi/<secret>\n")
  })
})

describe("pombo mock", () => {
  it("starts every vendor's mock and prints variables that work; Ctrl-C stops them", async () => {
    const child = spawn(
      process.execPath,
      [bin, "mock", "--megaapi-port", "0", "--zapi-port", "0", "--meta-port", "0"],
      {
        cwd: mkdtempSync(join(tmpdir(), "pombo-cli-")),
        env: { PATH: process.env.PATH }
      }
    )
    let output = ""
    child.stdout.on("data", (chunk) => {
      output += String(chunk)
    })
    try {
      await until(() => output.includes("Ctrl-C to stop."), 2_400)
      expect(output).toMatch(
        /Mega-API +http:\/\/127\.0\.0\.1:\d+\n +Z-API +http:\/\/127\.0\.0\.1:\d+\n +Meta +http:\/\/127\.0\.0\.1:\d+\n/
      )
      const lines = output.split("\n").filter((line) => line.trim().startsWith("WHATSAPP_PROVIDER="))
      expect(lines.map((line) => /WHATSAPP_PROVIDER=(\w+)/.exec(line)?.[1])).toEqual(["megaapi", "zapi", "meta"])
      const runs = await Promise.all(
        lines.map((line) =>
          pombo(
            ["status", "--json"],
            Object.fromEntries(
              line
                .trim()
                .split(" ")
                .map((pair) => pair.split("=") as [string, string])
            )
          )
        )
      )
      expect(runs.map((run) => ({ code: run.code, provider: JSON.parse(run.stdout).provider }))).toEqual([
        { code: 0, provider: "megaapi" },
        { code: 0, provider: "zapi" },
        { code: 0, provider: "meta" }
      ])
    } finally {
      child.kill("SIGINT")
    }
    const code = await new Promise((resolve) => child.once("exit", resolve))
    expect(code).toBe(130)
    expect(output).toMatch(/mock servers stopped\n$/)
  })

  it("without @pombo/testing installed: says what to install, exit 1", async () => {
    // A resolver hook that finds no @pombo/testing, as in an application that did not install it.
    const hook = `export async function resolve(specifier, context, next) {
      if (specifier.startsWith("@pombo/testing")) {
        throw Object.assign(new Error("Cannot find package '@pombo/testing'"), { code: "ERR_MODULE_NOT_FOUND" })
      }
      return next(specifier, context)
    }`
    const register = `import { register } from "node:module"; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)})`
    const run = await new Promise<Run>((resolve) => {
      execFile(
        process.execPath,
        ["--import", `data:text/javascript,${encodeURIComponent(register)}`, bin, "mock"],
        { cwd: mkdtempSync(join(tmpdir(), "pombo-cli-")), env: { PATH: process.env.PATH } },
        (error, stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr })
      )
    })
    expect(run).toMatchObject({
      code: 1,
      stdout: "",
      stderr:
        "✗ pombo mock runs the mock servers of @pombo/testing, which is not installed: npm install --save-dev @pombo/testing\n"
    })
  })
})

/**
 * A scripted Z-API for `pombo connect` (the Prism mock answers one fixed status): not connected
 * for the first `connectedAfter` status checks, then connected; its QR endpoint serves `qr`.
 */
const fakeZApi = async (qr: string, connectedAfter: number) => {
  const seen = { status: 0, qr: 0, pairing: [] as Array<string> }
  const server = createServer((request, response) => {
    const path = request.url ?? ""
    const answer = (body: unknown) => {
      response.writeHead(200, { "content-type": "application/json" })
      response.end(JSON.stringify(body))
    }
    if (path.endsWith("/status")) {
      seen.status++
      return answer({ connected: seen.status > connectedAfter })
    }
    if (path.endsWith("/qr-code/image")) {
      seen.qr++
      return answer({ value: qr })
    }
    const pairing = /\/phone-code\/(\d+)$/.exec(path)
    if (pairing) {
      seen.pairing.push(pairing[1]!)
      return answer({ code: "ABCD-1234" })
    }
    response.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url, seen, [Symbol.asyncDispose]: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

/** A version-1 QR grid (21×21): the three finder patterns and a pattern of data modules. */
const grid: QrTerminal.Grid = Array.from({ length: 21 }, (_, row) =>
  Array.from({ length: 21 }, (_, column) => {
    const finder = (r: number, c: number) =>
      r >= 0 &&
      r < 7 &&
      c >= 0 &&
      c < 7 &&
      (r === 0 || r === 6 || c === 0 || c === 6 || (r >= 2 && r <= 4 && c >= 2 && c <= 4))
    if (finder(row, column) || finder(row, column - 14) || finder(row - 14, column)) return true
    if ((row < 8 && column < 8) || (row < 8 && column > 12) || (row > 12 && column < 8)) return false
    return (row * 7 + column * 3) % 5 < 2
  })
)

/** The grid as the vendors send it: a PNG data URL, 4 pixels a module, with a quiet zone. */
const qrImage = (() => {
  const scale = 4
  const margin = 4 * scale
  const side = 21 * scale + margin * 2
  const data = new Uint8Array(side * side).fill(255)
  for (let y = 0; y < 21 * scale; y++) {
    for (let x = 0; x < 21 * scale; x++) {
      if (grid[Math.floor(y / scale)]![Math.floor(x / scale)]) data[(y + margin) * side + x + margin] = 0
    }
  }
  return `data:image/png;base64,${Buffer.from(encode({ width: side, height: side, data, channels: 1, depth: 8 })).toString("base64")}`
})()

describe("pombo connect", () => {
  const env = (url: string) => ({ ...zapiEnv(), ZAPI_BASE_URL: url })

  it("draws the QR code, a new one before each expires, until the phone connected; exit 0", async () => {
    await using vendor = await fakeZApi(qrImage, 8)
    const run = await pombo(["connect", "--interval", "0.1", "--refresh", "0.3"], env(vendor.url))
    expect(run.code).toBe(0)
    const drawings = run.stdout.split("Scan it: WhatsApp").length - 1
    expect(drawings).toBeGreaterThanOrEqual(2)
    expect(drawings).toBe(vendor.seen.qr)
    expect(run.stdout).toContain(QrTerminal.draw(grid))
    expect(run.stdout).toMatch(/✓ zapi: connected\n$/)
  })

  it("--phone: the pairing code for that number, then connected", async () => {
    await using vendor = await fakeZApi(qrImage, 3)
    const run = await pombo(["connect", "--phone", "(11) 98765-4321", "--interval", "0.1"], env(vendor.url))
    expect(run.code).toBe(0)
    expect(vendor.seen.pairing).toEqual(["5511987654321"])
    expect(vendor.seen.qr).toBe(0)
    expect(run.stdout).toMatch(/^Pairing code for \+5511987654321: ABCD-1234\n[\s\S]*✓ zapi: connected\n$/)
  })

  it("gives up after --timeout with the fix, exit 1", async () => {
    await using vendor = await fakeZApi(qrImage, 1_000)
    const run = await pombo(["connect", "--interval", "0.1", "--timeout", "0.5"], env(vendor.url))
    expect(run.code).toBe(1)
    expect(run.stderr).toBe("✗ the instance did not connect within 0.5 s: run `pombo connect` again\n")
  })

  it("an already connected instance: says so, exit 0 (the Prism mock reports connected)", async () => {
    const run = await pombo(["connect"], zapiEnv())
    expect(run).toMatchObject({ code: 0, stdout: "✓ zapi: already connected\n" })
  })
})

describe("QrTerminal", () => {
  it("reads a vendor's QR image back into its grid; anything else is not a QR code", () => {
    expect(QrTerminal.read(qrImage)).toEqual(grid)
    expect(
      QrTerminal.read(
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
      )
    ).toBeUndefined()
    expect(QrTerminal.read("not a data url")).toBeUndefined()
  })
})
