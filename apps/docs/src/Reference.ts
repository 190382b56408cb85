/**
 * The per-vendor API reference: Redocly's `build-docs` renders a spec (as `PublicSpec` shows it:
 * no citations, no `x-pombo-*` extensions) into one HTML page with the Redoc bundle from
 * `node_modules` inlined (`--inlineBundle`). The one thing that bundle loads from the network,
 * the Redocly logo in the sidebar, is replaced by a local image, so the page loads nothing
 * from anywhere.
 *
 * Redoc 3 routes inside the page with the URL fragment: an operation lives at
 * `#/<tag slug>/<operationId in lower case>` (e.g. `#/sendmessage/sendtext`), under the first
 * tag it carries; an unknown route shows "No page at this address". `anchor` builds that route,
 * and `pnpm test:browser` opens every link the capability matrix makes with it.
 */
import { execFile } from "node:child_process"
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { delimiter, dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import type { OpenApiDocument } from "@pombo/codegen/Spec"
import type { SpecOperation } from "@pombo/codegen/SpecCheck"
import type { Vendor } from "@pombo/openapi"
import * as PublicSpec from "./PublicSpec.ts"

const run = promisify(execFile)

const root = fileURLToPath(new URL("../../../", import.meta.url))

const redocly = fileURLToPath(new URL("../../../node_modules/.bin/redocly", import.meta.url))

/**
 * The slug Redoc gives a tag: lower case, runs of white space as one `-`, `&` as `-and-`. Tags
 * made of letters, digits and spaces, as the specs' are, need nothing more.
 */
export const tagSlug = (tag: string): string =>
  tag
    .toLowerCase()
    .replace(/\s+/g, "-")
    .replace(/&/g, "-and-")
    .replace(/--+/g, "-")
    .replace(/^-+|-+$/g, "")

/** The fragment (with `#`) of an operation in its vendor's reference page. */
export const anchor = (op: SpecOperation): string => {
  const tag: unknown = op.operation.tags?.[0]
  if (typeof tag !== "string" || tag === "") {
    throw new Error(`${op.operationId} has no tag, so it has no stable place in the reference page`)
  }
  return `#/${tagSlug(tag)}/${op.operationId.toLowerCase()}`
}

/** The reference page's file name for a vendor, relative to the site root. */
export const fileName = (vendor: Vendor): string => `${vendor}.html`

/** A line of text as an inline SVG image: Redoc shows its logos as images. */
const svg = (width: number, text: string, color: string): string =>
  `data:image/svg+xml,${encodeURIComponent(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20"><text x="0" y="15" font-family="sans-serif" font-size="14" fill="${color}">${text}</text></svg>`
  )}`

/** The Redocly logo Redoc's sidebar shows, which it loads from Redocly's CDN. */
const remoteLogo = /https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(?:-full)?\.svg/g

/** What the sidebar shows instead: the word, in the sidebar's grey, as an inline image. */
const localLogo = svg(64, "Redocly", "#6b6b6b")

/** Redoc's `x-logo`, atop the sidebar: the way back to the site's index. */
const homeLink = (home: string) => ({
  url: svg(200, "← Pombo documentation", "#0a6b3d"),
  href: home,
  altText: "Pombo documentation"
})

/** Renders a vendor's bundled spec to a self-contained HTML page at `outFile`, linking back to `home`. */
export const build = async (document: OpenApiDocument, outFile: string, title: string, home: string): Promise<void> => {
  const dir = await mkdtemp(join(tmpdir(), "pombo-reference-"))
  try {
    const specFile = join(dir, "openapi.json")
    const shown = PublicSpec.make(document)
    await writeFile(specFile, JSON.stringify({ ...shown, info: { ...shown.info, "x-logo": homeLink(home) } }))
    await render(specFile, outFile, title)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
  const html = await readFile(outFile, "utf8")
  await writeFile(outFile, html.replace(remoteLogo, localLogo))
}

const render = async (specFile: string, outFile: string, title: string): Promise<void> => {
  await run(redocly, ["build-docs", specFile, "--inlineBundle", "--title", title, "-o", outFile], {
    cwd: root,
    env: {
      ...process.env,
      // The Node running this build also runs the CLI (the repository pins Node 24).
      PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ""}`,
      REDOCLY_TELEMETRY: "off",
      REDOCLY_SUPPRESS_UPDATE_NOTICE: "true"
    },
    maxBuffer: 16 * 1024 * 1024
  })
}
