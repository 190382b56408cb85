/**
 * The per-vendor API reference: Redocly's `build-docs` renders a spec into one HTML page with
 * Redoc's script and styles inlined (`--inlineBundle`), so it renders without network.
 *
 * Redoc 3 routes inside the page with the URL fragment: an operation lives at
 * `#/<tag slug>/<operationId in lower case>` (e.g. `#/sendmessage/sendtext`), under the first
 * tag it carries; an unknown route shows "No page at this address". `anchor` builds that route,
 * and `pnpm test:browser` opens every link the capability matrix makes with it.
 */
import { execFile } from "node:child_process"
import { delimiter, dirname } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import type { SpecOperation } from "@pombo/codegen/SpecCheck"
import type { Vendor } from "@pombo/openapi"

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

/** Renders a vendor's spec to a self-contained HTML page at `outFile`. */
export const build = async (specFile: string, outFile: string, title: string): Promise<void> => {
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
