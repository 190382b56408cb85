/**
 * `pnpm test:browser`: opens the built site in headless Chromium with every request that leaves
 * 127.0.0.1 blocked, and checks that it works offline: each vendor reference renders, the index
 * shows the capability matrix, and every matrix link lands on its operation. Saves a screenshot
 * of each page to `site/screenshots/<page>.png`. Needs Chromium at `/usr/bin/chromium` (or
 * `CHROMIUM_PATH`); exits non-zero on any failure.
 */
import { existsSync } from "node:fs"
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { extname, join, normalize, sep } from "node:path"
import { loadSpec } from "@pombo/codegen/Spec"
import { operationsOf } from "@pombo/codegen/SpecCheck"
import { Capability } from "@pombo/core"
import { specPath, vendors } from "@pombo/openapi"
import { type BrowserContext, chromium, type Page } from "playwright-core"
import { build, defaultOutDir } from "./build.ts"
import * as Guides from "./Guides.ts"
import * as Reference from "./Reference.ts"

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"

/** Chromium flags for a quiet, sandbox-free, network-free headless run. */
const flags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync"
]

/** Resource types a page must never fetch from outside the site. */
const forbiddenExternal = new Set(["script", "stylesheet", "font"])

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".png": "image/png",
  ".css": "text/css",
  ".js": "text/javascript"
}

/** Serves `root` on a free port of 127.0.0.1. */
const serve = async (root: string): Promise<{ server: Server; origin: string }> => {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://127.0.0.1").pathname)
    const file = normalize(join(root, path.endsWith("/") ? `${path}index.html` : path))
    if (!file.startsWith(normalize(root + sep))) {
      response.writeHead(403).end()
      return
    }
    readFile(file).then(
      (body) =>
        response
          .writeHead(200, { "content-type": contentTypes[extname(file)] ?? "application/octet-stream" })
          .end(body),
      () => response.writeHead(404).end()
    )
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

const failures: Array<string> = []
const check = (condition: boolean, message: string): void => {
  if (!condition) failures.push(message)
}

/** Runs one page's checks, turning a thrown error (e.g. a timeout) into a failure. */
const step = async (name: string, run: () => Promise<void>): Promise<void> => {
  const before = failures.length
  try {
    await run()
  } catch (error) {
    failures.push(`${name}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`)
  }
  console.log(`${failures.length === before ? "ok  " : "FAIL"} ${name}`)
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/** Whether a heading with exactly `text` is in the top half of the viewport (where an anchor scrolls to). */
const headingInView = async (page: Page, text: string): Promise<boolean> => {
  const height = page.viewportSize()?.height ?? 0
  const headings = await page
    .locator("h1, h2")
    .filter({ hasText: new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`) })
    .all()
  for (const heading of headings) {
    const box = await heading.boundingBox()
    if (box && box.height > 0 && box.y > -5 && box.y < height / 2) return true
  }
  return false
}

const waitFor = async (condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await condition()) return true
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return false
}

const screenshot = (page: Page, outDir: string, name: string, fullPage: boolean) =>
  page.screenshot({ path: join(outDir, "screenshots", `${name}.png`), fullPage })

const main = async (): Promise<void> => {
  const outDir = defaultOutDir
  const pages = ["index.html", ...vendors.map(Reference.fileName), ...Guides.order.map((name) => `guides/${name}.html`)]
  if (!pages.every((file) => existsSync(join(outDir, file)))) {
    console.log("site/ is incomplete: building it")
    await build(outDir)
  }
  await mkdir(join(outDir, "screenshots"), { recursive: true })
  const documents = new Map(await Promise.all(vendors.map(async (v) => [v, await loadSpec(specPath(v))] as const)))

  const { server, origin } = await serve(outDir)
  const profile = await mkdtemp(join(tmpdir(), "pombo-chromium-"))
  let context: BrowserContext | undefined
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: flags,
      viewport: { width: 1280, height: 900 }
    })
    const blocked: Array<string> = []
    await context.route("**/*", (route) => {
      const request = route.request()
      if (new URL(request.url()).hostname === "127.0.0.1") return route.continue()
      blocked.push(`${request.resourceType()} ${request.url()}`)
      check(!forbiddenExternal.has(request.resourceType()), `external ${request.resourceType()}: ${request.url()}`)
      return route.abort()
    })
    const page = context.pages()[0] ?? (await context.newPage())
    page.on("pageerror", (error) => failures.push(`${page.url()}: page error: ${error.message}`))

    const matrixLinks: Array<{ href: string; operationId: string }> = []
    await step("index.html shows the capability matrix", async () => {
      await page.goto(`${origin}/index.html`)
      const table = page.locator("table.matrix")
      await table.waitFor({ state: "visible" })
      for (const capability of Capability.all) {
        check(await page.locator(`tr#op-${capability}`).isVisible(), `index: no visible row for ${capability}`)
      }
      for (const link of await page.locator("table.matrix a[data-operation-id]").all()) {
        matrixLinks.push({
          href: (await link.getAttribute("href")) ?? "",
          operationId: (await link.getAttribute("data-operation-id")) ?? ""
        })
      }
      check(matrixLinks.length > 0, "index: the matrix has no links")
      await screenshot(page, outDir, "index", true)
    })

    for (const vendor of vendors) {
      const file = Reference.fileName(vendor)
      const operations = operationsOf(documents.get(vendor)!)
      const summaryOf = (operationId: string) =>
        String(operations.find((op) => op.operationId === operationId)?.operation.summary ?? operationId).trim()
      // The vendor operation behind the abstract sendText (Meta's is `sendMessage`).
      const sendText = operations.find((op) => [op.operation["x-pombo-capability"] ?? []].flat().includes("sendText"))
      await step(`${file} renders offline and shows ${sendText?.operationId ?? "sendText"}`, async () => {
        if (!sendText) throw new Error(`${vendor} has no operation for sendText`)
        await page.goto(`${origin}/${file}${Reference.anchor(sendText)}`)
        check(
          await waitFor(() => headingInView(page, summaryOf(sendText.operationId))),
          `${file}: the ${sendText.operationId} operation ("${summaryOf(sendText.operationId)}") is not shown`
        )
        await screenshot(page, outDir, vendor, false)
      })
      const links = matrixLinks.filter((link) => link.href.startsWith(`${file}#`))
      await step(`${file}: all ${links.length} matrix links land on their operation`, async () => {
        check(links.length > 0, `${file}: no matrix links`)
        for (const link of links) {
          const hash = link.href.slice(file.length)
          await page.evaluate(`window.location.hash = ${JSON.stringify(hash)}`)
          const landed = await waitFor(() => headingInView(page, summaryOf(link.operationId)), 5_000)
          check(landed, `${link.href}: does not show ${link.operationId} ("${summaryOf(link.operationId)}")`)
        }
      })
    }

    for (const guide of Guides.order) {
      await step(`guides/${guide}.html renders`, async () => {
        await page.goto(`${origin}/guides/${guide}.html`)
        await page.locator("main h1").waitFor({ state: "visible" })
        await screenshot(page, outDir, `guide-${guide}`, true)
      })
    }

    if (blocked.length > 0) console.log(`blocked ${blocked.length} external request(s):\n  ${blocked.join("\n  ")}`)
  } finally {
    await context?.close()
    server.close()
    await rm(profile, { recursive: true, force: true })
  }
}

await main().catch((error) => failures.push(`unexpected: ${error instanceof Error ? error.stack : String(error)}`))
if (failures.length > 0) {
  console.error(`\n${failures.length} failure(s):\n- ${failures.join("\n- ")}`)
  process.exitCode = 1
} else {
  console.log(`\nAll browser checks passed; screenshots in ${join(defaultOutDir, "screenshots")}`)
}
