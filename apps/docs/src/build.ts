/**
 * `pnpm docs`: builds the documentation site into `site/` from the specs and the guides, with
 * no network: one API reference page per vendor, the capability matrix (`index.html`) and the
 * guides (`guides/*.html`).
 */
import { mkdir, rm, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { loadSpec } from "@pombo/codegen/Spec"
import { operationsOf } from "@pombo/codegen/SpecCheck"
import { Capability } from "@pombo/core"
import { specPath, vendors } from "@pombo/openapi"
import * as Guides from "./Guides.ts"
import { escapeHtml, type NavLink, page } from "./Layout.ts"
import * as Matrix from "./Matrix.ts"
import * as Reference from "./Reference.ts"

/** `a`, `a and b`, `a, b and c`. */
const listed = (items: ReadonlyArray<string>): string =>
  items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`

/** Where `pnpm docs` writes the site: `site/` at the repository root. */
export const defaultOutDir = fileURLToPath(new URL("../../../site/", import.meta.url))

/** What a build wrote. */
export interface Site {
  readonly outDir: string
  /** Every page, relative to `outDir`. */
  readonly pages: ReadonlyArray<string>
  readonly matrix: Matrix.Matrix
  readonly guides: ReadonlyArray<Guides.Guide>
}

const nav = (root: string, specs: ReadonlyArray<Matrix.VendorSpec>, guides: ReadonlyArray<Guides.Guide>) =>
  [
    { href: `${root}index.html`, label: "Pombo" },
    { href: `${root}index.html#capabilities`, label: "Capability matrix" },
    ...specs.map(({ vendor, title }) => ({
      href: `${root}${Reference.fileName(vendor)}`,
      label: `${title} reference`
    })),
    ...guides.map((guide) => ({ href: `${root}guides/${guide.name}.html`, label: guide.title }))
  ] satisfies ReadonlyArray<NavLink>

const indexBody = (matrix: Matrix.Matrix, guides: ReadonlyArray<Guides.Guide>): string => {
  const references = matrix.vendors
    .map(({ vendor, title, document }) => {
      const operations = operationsOf(document)
      const paths = operations.filter((op) => op.kind === "path").length
      const webhooks = operations.length - paths
      return `<li><a href="${Reference.fileName(vendor)}"><strong>${escapeHtml(title)} API reference</strong></a>
<p class="muted">${escapeHtml(String(document.info?.summary ?? ""))}</p>
<p>${paths} operations, ${webhooks} webhook payloads; backs ${Matrix.coverage(matrix, vendor)} of ${
        Capability.all.length
      } abstract operations.</p></li>`
    })
    .join("\n")
  const guideList = guides.map((guide) => `<li><a href="guides/${guide.name}.html">${escapeHtml(guide.title)}</a></li>`)
  return `<h1>Pombo documentation</h1>
<p>Pombo gives a TypeScript application one <a href="https://effect.website">Effect</a> service, <code>WhatsApp</code>,
over the WhatsApp vendors ${listed(matrix.vendors.map(({ title }) => escapeHtml(title)))}, and
picks the vendor behind it by configuration. Everything on this site is generated from the hand-written OpenAPI
documents in <code>openapi/</code> and the guides in <code>apps/docs/guides/</code>.</p>
<h2 id="references">API references</h2>
<ul class="cards">
${references}
</ul>
<h2 id="guides">Guides</h2>
<ol>
${guideList.join("\n")}
</ol>
<h2 id="capabilities">Capability matrix</h2>
<p>An operation a vendor does not offer fails with the typed <code>Unsupported</code> error; it never silently does
nothing. Each provider's <code>capabilities</code> set is generated from the same <code>x-pombo-capability</code>
extensions this table is.</p>
${Matrix.render(matrix)}`
}

const guideBody = (guide: Guides.Guide, next: Guides.Guide | undefined): string =>
  `${guide.html}${next ? `\n<p><a href="${next.name}.html">Next: ${escapeHtml(next.title)} →</a></p>` : ""}`

/** Builds the whole site into `outDir` (default `site/`). */
export const build = async (outDir: string = defaultOutDir): Promise<Site> => {
  const specs: Array<Matrix.VendorSpec> = await Promise.all(
    vendors.map(async (vendor) => {
      const document = await loadSpec(specPath(vendor))
      return { vendor, title: String(document.info?.title ?? vendor), document }
    })
  )
  const matrix = Matrix.make(specs)
  const guides = await Guides.load()

  await rm(join(outDir, "guides"), { recursive: true, force: true })
  await mkdir(join(outDir, "guides"), { recursive: true })
  await Promise.all(
    specs.map(({ vendor, title }) =>
      Reference.build(specPath(vendor), join(outDir, Reference.fileName(vendor)), `${title} API reference · Pombo`)
    )
  )
  await writeFile(
    join(outDir, "index.html"),
    page({ title: "Pombo documentation", nav: nav("", specs, guides), body: indexBody(matrix, guides) })
  )
  await Promise.all(
    guides.map((guide, i) =>
      writeFile(
        join(outDir, "guides", `${guide.name}.html`),
        page({
          title: `${guide.title} · Pombo`,
          nav: nav("../", specs, guides),
          body: guideBody(guide, guides[i + 1]),
          prose: true
        })
      )
    )
  )
  return {
    outDir,
    pages: [
      "index.html",
      ...specs.map(({ vendor }) => Reference.fileName(vendor)),
      ...guides.map((guide) => `guides/${guide.name}.html`)
    ],
    matrix,
    guides
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const site = await build()
  console.log(`Built ${site.pages.length} pages into ${site.outDir}`)
}
