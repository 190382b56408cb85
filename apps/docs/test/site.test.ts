import { existsSync } from "node:fs"
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { dirname, join, normalize } from "node:path"
import { loadSpec } from "@pombo/codegen/Spec"
import { operationsOf, type SpecOperation } from "@pombo/codegen/SpecCheck"
import { Capability } from "@pombo/core"
import { specPath, type Vendor, vendors } from "@pombo/openapi"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Api from "../src/Api.ts"
import { build, guidePage, indexPage, type Site } from "../src/build.ts"
import * as Guides from "../src/Guides.ts"
import { languages, messages } from "../src/Language.ts"
import * as Matrix from "../src/Matrix.ts"
import * as PublicSpec from "../src/PublicSpec.ts"
import * as Reference from "../src/Reference.ts"

let outDir = ""
let site: Site
const html = new Map<string, string>()
const operations = new Map<Vendor, ReadonlyArray<SpecOperation>>()

// Known before the build, so that each page gets its own test: the guides written in English.
const englishGuides = await Guides.names("en")
const guidePages = languages.flatMap((language) => englishGuides.map((name) => guidePage(language, name)))
const referencePages = vendors.map(Reference.fileName)
/** The pages we write ourselves (the references are Redoc's, the API reference TypeDoc's). */
const ownPages = [...languages.map(indexPage), ...guidePages]
const apiIndex = `${Api.directory}/index.html`
const allPages = [...ownPages, ...referencePages, apiIndex]

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
  site = await build(outDir)
  const apiPages = (await readdir(join(outDir, Api.directory), { recursive: true }))
    .filter((file) => file.endsWith(".html"))
    .map((file) => `${Api.directory}/${file}`)
  for (const page of [...allPages, ...apiPages]) {
    if (existsSync(join(outDir, page))) html.set(page, await readFile(join(outDir, page), "utf8"))
  }
  for (const vendor of vendors) operations.set(vendor, operationsOf(await loadSpec(specPath(vendor))))
  // The whole site: three Redoc pages and TypeDoc over every public entry point, on a loaded
  // 2-core machine.
}, 240_000)

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true })
})

describe("the built site", () => {
  it.each(allPages)("has %s", (page) => {
    expect(existsSync(join(outDir, page))).toBe(true)
    expect(read(page)).toMatch(/^<!doctype html>/i)
  })

  it.each(ownPages)("%s: every internal link reaches an existing file and anchor", (page) => {
    expect(site.pages.map((p) => p.path)).toContain(page)
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

  it("every page, the API reference's included, loads no external script, stylesheet, font or image", () => {
    const remote = String.raw`["']?\s*(?:https?:)?\/\/`
    const loads = [
      String.raw`<script\b[^>]*\ssrc\s*=\s*${remote}`,
      String.raw`<link\b[^>]*\srel\s*=\s*["']?(?:stylesheet|icon|preload|modulepreload)[^>]*\shref\s*=\s*${remote}`,
      String.raw`<link\b[^>]*\shref\s*=\s*${remote}[^>]*\srel\s*=\s*["']?(?:stylesheet|icon|preload|modulepreload)`,
      String.raw`<img\b[^>]*\ssrc\s*=\s*${remote}`,
      String.raw`@import\s+(?:url\()?${remote}`,
      String.raw`@font-face\s*\{[^}]*url\(\s*${remote}`
    ].map((pattern) => new RegExp(pattern, "i"))
    const offending = [...html].flatMap(([page, text]) =>
      loads.filter((pattern) => pattern.test(text)).map((pattern) => `${page}: ${text.match(pattern)?.[0]}`)
    )
    expect(html.size).toBeGreaterThan(allPages.length)
    expect(offending).toEqual([])
  })

  it("the reference pages render offline: Redoc is inlined, and its logo is not fetched from Redocly's CDN", () => {
    for (const page of referencePages) {
      expect(read(page)).not.toMatch(/cdn\.redoc\.ly/)
      expect(read(page)).toContain("Redoc")
    }
  })

  it.each(referencePages)("%s shows no internal citation and no x-pombo-* marker", (page) => {
    expect(read(page).match(new RegExp(PublicSpec.leak, "g")) ?? []).toEqual([])
  })
})

describe("vendor specs as rendered", () => {
  it("lose their citations, keeping what the note says", () => {
    expect(PublicSpec.text("Pin or unpin (003_590f0b4db31fd463.txt:4691).")).toBe("Pin or unpin.")
    expect(
      PublicSpec.text(
        "Only on personal accounts (personal accounts only, text only; 003_590f0b4db31fd463.txt:9260-9273)."
      )
    ).toBe("Only on personal accounts (personal accounts only, text only).")
    expect(PublicSpec.text('A list (see "Button Operation", 003_590f0b4db31fd463.txt:264-300).')).toBe(
      'A list (see "Button Operation").'
    )
    expect(PublicSpec.text("Every call is versioned (rules.md:28-34), webhooks.md §1.")).toBe(
      "Every call is versioned."
    )
    expect(PublicSpec.text("Turns a setting on or off, e.g.\n003_590f0b4db31fd463.txt:516-518.\nNext")).toBe(
      "Turns a setting on or off.\nNext"
    )
    expect(PublicSpec.text("- ChatController: deleteMessageFromMe — 001:63\n- next")).toBe(
      "- ChatController: deleteMessageFromMe\n- next"
    )
    expect(PublicSpec.text("description: From 003_590f0b4db31fd463.txt:516-518, repaired: the body")).toBe(
      "description: Repaired: the body"
    )
  })

  it("name Pombo's extensions in plain words", () => {
    expect(PublicSpec.text("path parameters bound from configuration (`x-pombo-bind`); neither is a secret")).toBe(
      "path parameters bound from configuration; neither is a secret"
    )
  })

  it("drop every x-pombo-* extension and keep the rest", () => {
    const document = PublicSpec.make({
      paths: { "/x": { post: { operationId: "sendText", "x-pombo-capability": "sendText", summary: "Send (001:2)" } } }
    })
    expect(document).toEqual({ paths: { "/x": { post: { operationId: "sendText", summary: "Send" } } } })
  })
})

describe("both languages", () => {
  it("every guide is written in English and in Portuguese, with the same file name", async () => {
    expect(await Guides.names("pt-BR")).toEqual(await Guides.names("en"))
  })

  it.each(ownPages)("%s says its language and switches to the same page in the other one", (page) => {
    const own = site.pages.find((p) => p.path === page)!
    const other = languages.find((l) => l !== own.language)!
    const text = read(page)
    expect(text).toContain(`<html lang="${own.language}">`)
    const expected = page.replace(/^(pt-BR\/)?/, other === "en" ? "" : `${other}/`)
    expect(own.counterpart).toBe(expected)
    const href = text.match(/<a class="language" rel="alternate" href="([^"]*)" hreflang="([^"]*)"/)
    expect(href?.[2]).toBe(other)
    expect(normalize(join(dirname(page), href?.[1] ?? ""))).toBe(expected)
  })

  it("the chrome is translated: headings and navigation of the Portuguese index", () => {
    const pt = read(indexPage("pt-BR"))
    const text = messages["pt-BR"]
    for (const heading of [text.guides, text.references, text.capabilityMatrix])
      expect(pt).toContain(`>${heading}</h2>`)
    expect(pt).toContain(`>${text.notOffered}</td>`)
    expect(pt).not.toMatch(/>(?:Guides|API references|Capability matrix)</)
    expect(pt).not.toContain(messages.en.notOffered)
  })

  it("the Portuguese matrix links to the same operations as the English one", () => {
    const links = (page: string) =>
      Array.from(read(page).matchAll(/<a href="([^"]*)" data-operation-id/g), (m) => m[1]!.replace(/^\.\.\//, ""))
    expect(links(indexPage("pt-BR"))).toEqual(links(indexPage("en")))
  })
})

describe("the Pombo API reference", () => {
  it("lists the public entry points: pombo and its subpaths, @pombo/core, inbox, outbox, testing and the providers", () => {
    const specifiers = site.api.map((entry) => entry.specifier)
    for (const specifier of [
      "pombo",
      "pombo/node",
      "pombo/promise",
      "@pombo/core",
      "@pombo/inbox",
      "@pombo/outbox",
      "@pombo/testing",
      "@pombo/megaapi",
      "@pombo/zapi",
      "@pombo/meta"
    ]) {
      expect(specifiers).toContain(specifier)
    }
    for (const specifier of specifiers) expect(read(apiIndex)).toContain(`>${specifier}</`)
  })

  it("documents the WhatsApp service with its doc comments", () => {
    const page = [...html.keys()].find((p) => /^api\/modules\/pombo\.html$/.test(p))
    expect(page).toBeDefined()
    expect(read(page!)).toMatch(/href="[^"]*WhatsApp[^"]*"/)
  })

  it("links, from every page, only to files that exist: its own pages, assets and both languages' index", () => {
    const broken = new Set<string>()
    let links = 0
    for (const [page, text] of html) {
      if (!page.startsWith(`${Api.directory}/`)) continue
      for (const href of hrefsOf(text)) {
        const path = href.split("#")[0] ?? ""
        if (isExternal(href) || path === "") continue
        links++
        const target = normalize(join(dirname(page), decodeURIComponent(path)))
        if (!existsSync(join(outDir, target))) broken.add(`${page}: ${href}`)
      }
    }
    expect(links).toBeGreaterThan(1000)
    expect([...broken].slice(0, 20)).toEqual([])
    for (const language of languages) {
      expect(read("api/modules/pombo.html")).toContain(`href="../../${indexPage(language)}"`)
    }
  })

  it("is linked from both languages' navigation", () => {
    for (const language of languages)
      expect(read(indexPage(language))).toMatch(/<nav[^>]*>.*href="(?:\.\.\/)?api\/index\.html"/s)
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
        empty: (m[2]!.match(new RegExp(messages.en.notOffered, "g")) ?? []).length
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

  it.each(guidePages)("%s starts with a title that becomes the page's", (page) => {
    expect(read(page)).toMatch(/<main id="content" class="prose">\s*<h1 id="[^"]+">/)
  })

  it("keep a reading order that places every guide written", async () => {
    for (const language of languages) {
      const names = await Guides.names(language)
      expect(names.length).toBeGreaterThan(0)
      expect([...names]).toEqual(Guides.order.filter((name) => names.includes(name)))
    }
  })
})
