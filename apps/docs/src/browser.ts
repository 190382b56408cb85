/**
 * `pnpm test:browser`: builds the site and opens it in headless Chromium (Debian's, through
 * playwright-core) from a server on 127.0.0.1, recording every request the pages make. It fails
 * on any request that is not to that server, on any console error or page error, and when a page
 * does not work: both languages' index and guides render with the right `<html lang>`, every
 * language switch lands on the same page in the other language, each vendor reference renders
 * and every capability-matrix link lands on its operation, the vendor references show no
 * internal citation or `x-pombo-*` marker, and the Pombo API reference (TypeDoc) lists the
 * public entry points and links back to the docs. Saves a screenshot of each page to
 * `site/screenshots/<page>.png` (`site/` is git-ignored). Needs Chromium at `/usr/bin/chromium`
 * (or `CHROMIUM_PATH`); exits non-zero on any failure.
 */
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
import * as Api from "./Api.ts"
import { build, defaultOutDir, indexPage } from "./build.ts"
import { languages } from "./Language.ts"
import * as PublicSpec from "./PublicSpec.ts"
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

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".svg": "image/svg+xml",
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

/** Whether a request stays on the site's own server (or inside the page: `data:`, `blob:`). */
const isLocal = (url: string, origin: string): boolean => {
  const parsed = new URL(url)
  return parsed.protocol === "data:" || parsed.protocol === "blob:" || parsed.origin === origin
}

const main = async (): Promise<void> => {
  const outDir = defaultOutDir
  console.log("building the site")
  const site = await build(outDir)
  // Only this run's screenshots, so none is mistaken for a page as it is now.
  await rm(join(outDir, "screenshots"), { recursive: true, force: true })
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
    // Every request any page makes: one to anywhere but the site's server fails the check, and
    // is aborted so that nothing leaves the machine.
    const external: Array<string> = []
    context.on("request", (request) => {
      if (!isLocal(request.url(), origin)) external.push(`${request.resourceType()} ${request.url()}`)
    })
    await context.route("**/*", (route) =>
      isLocal(route.request().url(), origin) ? route.continue() : route.abort("blockedbyclient")
    )
    const page = context.pages()[0] ?? (await context.newPage())
    page.on("pageerror", (error) => failures.push(`${page.url()}: page error: ${error.message}`))
    page.on("console", (message) => {
      if (message.type() === "error") failures.push(`${page.url()}: console error: ${message.text()}`)
    })
    const lang = () => page.locator("html").getAttribute("lang")

    const matrixLinks: Array<{ href: string; operationId: string }> = []
    for (const language of languages) {
      await step(`${indexPage(language)} shows the capability matrix, in ${language}`, async () => {
        await page.goto(`${origin}/${indexPage(language)}`)
        check((await lang()) === language, `${indexPage(language)}: <html lang="${await lang()}">`)
        const table = page.locator("table.matrix")
        await table.waitFor({ state: "visible" })
        for (const capability of Capability.all) {
          check(
            await page.locator(`tr#op-${capability}`).isVisible(),
            `${indexPage(language)}: no visible row for ${capability}`
          )
        }
        const links = await page.locator("table.matrix a[data-operation-id]").all()
        check(links.length > 0, `${indexPage(language)}: the matrix has no links`)
        if (language === "en") {
          for (const link of links) {
            matrixLinks.push({
              href: (await link.getAttribute("href")) ?? "",
              operationId: (await link.getAttribute("data-operation-id")) ?? ""
            })
          }
        }
        await screenshot(page, outDir, `index-${language}`, true)
      })
    }

    // Every page the site writes, in each language: it renders, and its switch leads to the
    // same page in the other language.
    for (const { path, language, counterpart } of site.pages) {
      await step(`${path} renders and its language switch leads to ${counterpart}`, async () => {
        await page.goto(`${origin}/${path}`)
        await page.locator("main h1").waitFor({ state: "visible" })
        check((await lang()) === language, `${path}: <html lang="${await lang()}">, not ${language}`)
        if (path.includes("guides/"))
          await screenshot(page, outDir, path.replace(/\.html$/, "").replaceAll("/", "-"), true)
        const other = languages.find((l) => l !== language)!
        await page.locator(`header a.language[hreflang="${other}"]`).click()
        await page.waitForURL(`${origin}/${counterpart}`, { timeout: 5_000 })
        check((await lang()) === other, `${path}: the switch led to a page in "${await lang()}", not ${other}`)
      })
    }

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
        check(
          await page.locator('a[href="index.html"] img[alt="Pombo documentation"]').isVisible(),
          `${file}: no link back to the documentation atop the sidebar`
        )
        // What a reader sees, not the text of the page's inline scripts.
        // biome-ignore lint/performance/useDomNodeTextContent: rendered text is the point
        const shown = await page.locator("body").innerText()
        check(!PublicSpec.leak.test(shown), `${file}: shows "${shown.match(PublicSpec.leak)?.[0]}"`)
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

    await step(`${Api.directory}/index.html lists every public entry point`, async () => {
      await page.goto(`${origin}/${Api.directory}/index.html`)
      await page.locator("h1").first().waitFor({ state: "visible" })
      const listed = await page.locator(".col-content a").allInnerTexts()
      for (const { specifier } of site.api) {
        check(
          listed.some((text) => text.trim() === specifier),
          `${Api.directory}/index.html does not list ${specifier}`
        )
      }
      await screenshot(page, outDir, "api-index", false)
    })
    await step(
      `${Api.directory}: the pombo module shows the WhatsApp service and links back to both languages`,
      async () => {
        await page.locator('.col-content a[href="modules/pombo.html"]').click()
        await page.locator("h1", { hasText: "pombo" }).waitFor({ state: "visible" })
        check(
          ((await page.locator(".col-content").textContent()) ?? "").includes("WhatsApp"),
          `${page.url()}: the pombo module does not show WhatsApp`
        )
        await screenshot(page, outDir, "api-pombo", false)
        // TypeDoc's header links to both languages' index, from a page two levels down.
        for (const language of languages) {
          const back = page.locator(`a[href="../../${indexPage(language)}"]`)
          check((await back.count()) > 0, `${page.url()}: no link to ${indexPage(language)}`)
        }
        await page
          .locator(`a[href="../../${indexPage("pt-BR")}"]`)
          .first()
          .click()
        await page.waitForURL(`${origin}/${indexPage("pt-BR")}`, { timeout: 5_000 })
      }
    )

    check(external.length === 0, `requests that left the site:\n  ${external.join("\n  ")}`)
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
