/**
 * `pnpm run docs`: builds the documentation site into `site/` from the specs, the TypeScript
 * sources and the guides, with no network, in English and Portuguese:
 *
 * - `index.html`, `guides/<name>.html`: English; `pt-BR/index.html`, `pt-BR/guides/<name>.html`:
 *   Portuguese, each page with a switch to its counterpart in the other language;
 * - `<vendor>.html`: each vendor's API reference (Redoc), shared by both languages;
 * - `api/`: the API reference of Pombo itself (TypeDoc), shared by both languages.
 */
import { mkdir, rm, writeFile } from "node:fs/promises"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { loadSpec } from "@pombo/codegen/Spec"
import { operationsOf } from "@pombo/codegen/SpecCheck"
import { Capability } from "@pombo/core"
import { specPath, vendors } from "@pombo/openapi"
import * as Api from "./Api.ts"
import * as Guides from "./Guides.ts"
import { folder, type Language, languages, messages } from "./Language.ts"
import { escapeHtml, type NavLink, page } from "./Layout.ts"
import * as Matrix from "./Matrix.ts"
import * as Reference from "./Reference.ts"

/** Where `pnpm run docs` writes the site: `site/` at the repository root. */
export const defaultOutDir = fileURLToPath(new URL("../../../site/", import.meta.url))

/** What a build wrote. */
export interface Site {
  readonly outDir: string
  /** Every page the site writes itself (index and guides, both languages). */
  readonly pages: ReadonlyArray<SitePage>
  /** The vendor reference pages, relative to `outDir`. */
  readonly references: ReadonlyArray<string>
  readonly matrix: Matrix.Matrix
  readonly guides: Readonly<Record<Language, ReadonlyArray<Guides.Guide>>>
  /** The public entry points the Pombo API reference (`api/`) documents. */
  readonly api: ReadonlyArray<Api.EntryPoint>
}

/** A page the site writes itself. */
export interface SitePage {
  /** Relative to the site root. */
  readonly path: string
  readonly language: Language
  /** The page its language switch leads to, relative to the site root. */
  readonly counterpart: string
}

/** The path of a guide's page, relative to the site root. */
export const guidePage = (language: Language, name: string): string => `${folder(language)}guides/${name}.html`

/** The path of a language's index page, relative to the site root. */
export const indexPage = (language: Language): string => `${folder(language)}index.html`

/** The way from a page (a path relative to the site root) back up to the root: `""`, `"../"`, … */
const up = (path: string): string => "../".repeat(path.split("/").length - 1)

const nav = (language: Language, from: string, specs: ReadonlyArray<Matrix.VendorSpec>): ReadonlyArray<NavLink> => {
  const text = messages[language]
  const root = up(from)
  const index = `${root}${indexPage(language)}`
  return [
    { href: index, label: "Pombo" },
    { href: `${index}#guides`, label: text.guides },
    { href: `${index}#capabilities`, label: text.capabilityMatrix },
    { href: `${root}${Api.directory}/index.html`, label: text.apiReference },
    ...specs.map(({ vendor, title }) => ({
      href: `${root}${Reference.fileName(vendor)}`,
      label: text.vendorReference(title)
    }))
  ]
}

const indexBody = (language: Language, matrix: Matrix.Matrix, guides: ReadonlyArray<Guides.Guide>): string => {
  const text = messages[language]
  const root = up(indexPage(language))
  const references = matrix.vendors
    .map(({ vendor, title, document }) => {
      const operations = operationsOf(document)
      const paths = operations.filter((op) => op.kind === "path").length
      return `<li><a href="${root}${Reference.fileName(vendor)}"><strong>${escapeHtml(text.vendorReference(title))}</strong></a>
<p class="muted">${escapeHtml(String(document.info?.summary ?? ""))}</p>
<p>${escapeHtml(
        text.vendorReferenceCounts(
          paths,
          operations.length - paths,
          Matrix.coverage(matrix, vendor),
          Capability.all.length
        )
      )}</p></li>`
    })
    .join("\n")
  const api = `<li><a href="${root}${Api.directory}/index.html"><strong>${escapeHtml(text.apiReference)}</strong></a>
<p>${text.apiReferenceSummary}</p></li>`
  const guideList = guides.map((guide) => `<li><a href="guides/${guide.name}.html">${escapeHtml(guide.title)}</a></li>`)
  return `<h1>${escapeHtml(text.documentation)}</h1>
<p>${text.introHtml(text.list(matrix.vendors.map(({ title }) => escapeHtml(title))))}</p>
<h2 id="guides">${escapeHtml(text.guides)}</h2>
<ol>
${guideList.join("\n")}
</ol>
<h2 id="references">${escapeHtml(text.references)}</h2>
<ul class="cards">
${api}
${references}
</ul>
<h2 id="capabilities">${escapeHtml(text.capabilityMatrix)}</h2>
<p>${text.matrixIntroHtml}</p>
${Matrix.render(matrix, text, root)}`
}

const guideBody = (language: Language, guide: Guides.Guide, next: Guides.Guide | undefined): string =>
  `${guide.html}${
    next
      ? `\n<p><a href="${next.name}.html">${escapeHtml(messages[language].next)}: ${escapeHtml(next.title)} →</a></p>`
      : ""
  }`

/** Builds the whole site into `outDir` (default `site/`). */
export const build = async (outDir: string = defaultOutDir): Promise<Site> => {
  const specs: Array<Matrix.VendorSpec> = await Promise.all(
    vendors.map(async (vendor) => {
      const document = await loadSpec(specPath(vendor))
      return { vendor, title: String(document.info?.title ?? vendor), document }
    })
  )
  const matrix = Matrix.make(specs)
  const guides = Object.fromEntries(
    await Promise.all(languages.map(async (language) => [language, await Guides.load(language)] as const))
  ) as Record<Language, ReadonlyArray<Guides.Guide>>

  // Every page this build writes itself, with its language, its content and its title.
  const pages = languages.flatMap((language) => [
    {
      language,
      path: indexPage(language),
      title: messages[language].documentation,
      body: indexBody(language, matrix, guides[language]),
      prose: false
    },
    ...guides[language].map((guide, i) => ({
      language,
      path: guidePage(language, guide.name),
      title: `${guide.title} · Pombo`,
      body: guideBody(language, guide, guides[language][i + 1]),
      prose: true
    }))
  ])
  const written = new Set(pages.map(({ path }) => path))
  /** The same page in the other language, or that language's index when the page is not written in it. */
  const counterpart = (language: Language, path: string) => {
    const other = languages.find((l) => l !== language)!
    const same = `${folder(other)}${path.slice(folder(language).length)}`
    return { language: other, path: written.has(same) ? same : indexPage(other) }
  }

  await Promise.all(
    languages.map((language) => rm(join(outDir, folder(language), "guides"), { recursive: true, force: true }))
  )
  const [, api] = await Promise.all([
    Promise.all(
      specs.map(({ vendor, title, document }) =>
        Reference.build(
          document,
          join(outDir, Reference.fileName(vendor)),
          `${title} API reference · Pombo`,
          indexPage("en")
        )
      )
    ),
    Api.build(outDir, {
      navigation: Object.fromEntries(
        languages.map((language) => [messages[language].documentation, indexPage(language)])
      )
    })
  ])
  await Promise.all(
    pages.map(async ({ language, path, title, body, prose }) => {
      const other = counterpart(language, path)
      await mkdir(dirname(join(outDir, path)), { recursive: true })
      await writeFile(
        join(outDir, path),
        page({
          language,
          title,
          nav: nav(language, path, specs),
          body,
          prose,
          counterpart: { language: other.language, href: `${up(path)}${other.path}` }
        })
      )
    })
  )
  return {
    outDir,
    pages: pages.map(({ path, language }) => ({ path, language, counterpart: counterpart(language, path).path })),
    references: specs.map(({ vendor }) => Reference.fileName(vendor)),
    matrix,
    guides,
    api
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now()
  const site = await build()
  console.log(
    `Built ${site.pages.length} pages (${languages.join(", ")}), ${site.references.length} vendor references and the API reference of ${site.api.length} entry points into ${site.outDir} in ${((Date.now() - started) / 1000).toFixed(1)} s`
  )
}
