import { existsSync } from "node:fs"
import { mkdtemp, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { dirname, join, normalize } from "node:path"
import { loadSpec } from "@pombo/codegen/Spec"
import { operationsOf, type SpecOperation } from "@pombo/codegen/SpecCheck"
import { Capability } from "@pombo/core"
import { specPath, type Vendor, vendors } from "@pombo/openapi"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { build } from "../src/build.ts"
import * as Guides from "../src/Guides.ts"
import * as Matrix from "../src/Matrix.ts"
import * as Reference from "../src/Reference.ts"

let outDir = ""
const html = new Map<string, string>()
const operations = new Map<Vendor, ReadonlyArray<SpecOperation>>()

const guidePages = Guides.order.map((name) => `guides/${name}.html`)
const referencePages = vendors.map(Reference.fileName)
/** The pages we write ourselves (the references are Redoc's). */
const ownPages = ["index.html", ...guidePages]
const allPages = [...ownPages, ...referencePages]

const read = (page: string): string => {
  const text = html.get(page)
  if (text === undefined) throw new Error(`${page} was not built`)
  return text
}

const hrefsOf = (text: string): Array<string> => Array.from(text.matchAll(/\shref="([^"]*)"/g), (m) => m[1]!)

const idsOf = (text: string): Set<string> => new Set(Array.from(text.matchAll(/\sid="([^"]*)"/g), (m) => m[1]!))

const isExternal = (href: string): boolean => /^([a-z][a-z0-9+.-]*:|\/\/)/i.test(href)

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), "pombo-site-"))
  await build(outDir)
  for (const page of allPages) {
    if (existsSync(join(outDir, page))) html.set(page, await readFile(join(outDir, page), "utf8"))
  }
  for (const vendor of vendors) operations.set(vendor, operationsOf(await loadSpec(specPath(vendor))))
})

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true })
})

describe("the built site", () => {
  it.each(allPages)("has %s", (page) => {
    expect(existsSync(join(outDir, page))).toBe(true)
    expect(read(page)).toMatch(/^<!doctype html>/i)
  })

  it.each(ownPages)("%s: every internal link reaches an existing file and anchor", (page) => {
    const broken: Array<string> = []
    for (const href of hrefsOf(read(page))) {
      if (isExternal(href)) continue
      const [path = "", fragment] = href.split("#")
      const target = path === "" ? page : normalize(join(dirname(page), decodeURIComponent(path)))
      if (!existsSync(join(outDir, target))) {
        broken.push(`${href}: no file ${target}`)
        continue
      }
      // Fragments into our own pages are element ids; into a reference they are Redoc routes (checked below).
      if (fragment && ownPages.includes(target) && !idsOf(read(target)).has(decodeURIComponent(fragment))) {
        broken.push(`${href}: no id "${fragment}" in ${target}`)
      }
    }
    expect(broken).toEqual([])
  })

  it.each(allPages)("%s loads no external script, stylesheet or font", (page) => {
    const text = read(page)
    const remote = String.raw`["']?\s*(?:https?:)?\/\/`
    expect(text).not.toMatch(new RegExp(String.raw`<script\b[^>]*\ssrc\s*=\s*${remote}`, "i"))
    expect(text).not.toMatch(new RegExp(String.raw`<link\b[^>]*\shref\s*=\s*${remote}`, "i"))
    expect(text).not.toMatch(new RegExp(String.raw`@import\s+(?:url\()?${remote}`, "i"))
    expect(text).not.toMatch(new RegExp(String.raw`@font-face\s*\{[^}]*url\(\s*${remote}`, "i"))
  })

  it("the reference pages render offline: Redoc is inlined, not loaded from a CDN", () => {
    for (const page of referencePages) {
      expect(read(page)).not.toMatch(/cdn\.redoc\.ly\/redoc\/[^"'`]*\.js/)
      expect(read(page)).toContain("Redoc")
    }
  })
})

/** The matrix rows of the index: capability → the `href` and `operationId` of each link, and the empty cells. */
const matrixRows = (index: string) =>
  new Map(
    Array.from(index.matchAll(/<tr id="op-(\w+)">(.*?)<\/tr>/gs), (m) => [
      m[1]!,
      {
        links: Array.from(m[2]!.matchAll(/<a href="([^"]*)" data-operation-id="([^"]*)">/g), (l) => ({
          href: l[1]!,
          operationId: l[2]!
        })),
        empty: (m[2]!.match(/not offered by the vendor/g) ?? []).length
      }
    ])
  )

describe("the capability matrix", () => {
  it("lists every abstract operation, in service order", () => {
    expect([...matrixRows(read("index.html")).keys()]).toEqual([...Capability.all])
  })

  it("groups rows as Capability.groups", () => {
    const index = read("index.html")
    for (const [group, capabilities] of Object.entries(Capability.groups)) {
      const body = index.match(new RegExp(`<tbody id="group-${group}">(.*?)</tbody>`, "s"))?.[1] ?? ""
      expect(Array.from(body.matchAll(/<tr id="op-(\w+)">/g), (m) => m[1])).toEqual([...capabilities])
    }
  })

  it("links every cell to an operation of that vendor's spec that carries the row's capability", () => {
    const problems: Array<string> = []
    for (const [capability, row] of matrixRows(read("index.html"))) {
      for (const { href, operationId } of row.links) {
        const vendor = vendors.find((v) => href.startsWith(`${Reference.fileName(v)}#`))
        const op = vendor && operations.get(vendor)?.find((o) => o.kind === "path" && o.operationId === operationId)
        if (!vendor || !op) {
          problems.push(`${capability}: ${href} names no operation ${operationId}`)
          continue
        }
        if (!Matrix.capabilitiesOf(op).includes(capability as Capability.Capability))
          problems.push(`${capability}: ${operationId} does not declare it`)
        if (href !== `${Reference.fileName(vendor)}${Reference.anchor(op)}`)
          problems.push(`${capability}: ${href} is not ${operationId}'s anchor`)
        if (!read(Reference.fileName(vendor)).includes(`"operationId":"${operationId}"`))
          problems.push(`${capability}: ${Reference.fileName(vendor)} does not contain ${operationId}`)
      }
    }
    expect(problems).toEqual([])
  })

  it("shows every operation a spec marks with x-pombo-capability, and says when a vendor offers none", () => {
    const rows = matrixRows(read("index.html"))
    for (const capability of Capability.all) {
      const row = rows.get(capability)!
      const offering = vendors.filter((vendor) =>
        operations.get(vendor)!.some((op) => Matrix.capabilitiesOf(op).includes(capability))
      )
      for (const vendor of vendors) {
        const expected = operations
          .get(vendor)!
          .filter((op) => Matrix.capabilitiesOf(op).includes(capability))
          .map((op) => op.operationId)
        const shown = row.links
          .filter((link) => link.href.startsWith(`${Reference.fileName(vendor)}#`))
          .map((link) => link.operationId)
        expect(shown, `${capability} × ${vendor}`).toEqual(expected)
      }
      expect(row.empty, capability).toBe(vendors.length - offering.length)
    }
  })

  it("rejects a capability name outside the closed set", () => {
    const op = operationsOf({ paths: { "/x": { post: { operationId: "x", "x-pombo-capability": "sendFax" } } } })[0]!
    expect(() => Matrix.capabilitiesOf(op)).toThrow(/sendFax/)
  })
})

describe("reference anchors", () => {
  const op = (tags: ReadonlyArray<string> | undefined, operationId = "sendText") =>
    operationsOf({ paths: { "/x": { post: { operationId, ...(tags ? { tags } : {}) } } } })[0]!

  it("are Redoc 3 routes: #/<tag slug>/<operationId in lower case>, under the first tag", () => {
    expect(Reference.anchor(op(["SendMessage"]))).toBe("#/sendmessage/sendtext")
    expect(Reference.anchor(op(["Meta AI", "Messages"], "askMetaAi"))).toBe("#/meta-ai/askmetaai")
  })

  it("refuse an untagged operation, which has no stable place in the page", () => {
    expect(() => Reference.anchor(op(undefined))).toThrow(/no tag/)
  })
})

describe("guides", () => {
  it("are rendered with GitHub-style heading ids, and links between guides point at the pages", () => {
    const guide = Guides.render(
      "example",
      "# The `WhatsApp` title\n\n## Run it, twice!\n\n## Run it, twice!\n\nSee [the start](quick-start.md#install) and [Effect](https://effect.website)."
    )
    expect(guide.title).toBe("The WhatsApp title")
    expect(guide.html).toContain('<h1 id="the-whatsapp-title">')
    expect(guide.html).toContain('<h2 id="run-it-twice">')
    expect(guide.html).toContain('<h2 id="run-it-twice-1">')
    expect(guide.html).toContain('href="quick-start.html#install"')
    expect(guide.html).toContain('href="https://effect.website"')
  })

  it("each start with a title that becomes the page's", () => {
    for (const name of Guides.order) {
      expect(read(`guides/${name}.html`)).toMatch(/<main id="content" class="prose">\s*<h1 id="[^"]+">/)
    }
  })
})
