/**
 * `@pombo/openapi`: the OpenAPI 3.1 documents Pombo's providers are generated from, as files you
 * can point a tool at (Prism, Redocly, your own generator) or load as one bundled document.
 */
import { readFile } from "node:fs/promises"
import { fileURLToPath } from "node:url"

/** The vendors with a document here; each name is its entry point's file name (`<vendor>.yaml`). */
export const vendors = ["megaapi", "zapi", "meta"] as const

/** A vendor with a document here. */
export type Vendor = (typeof vendors)[number]

/** A bundled OpenAPI 3.1 document, as plain JSON values. */
export interface OpenApiDocument {
  readonly openapi: string
  readonly info: { readonly title: string; readonly version: string; readonly [key: string]: unknown }
  readonly [key: string]: unknown
}

// The package root: one level above both `src/` (in the repository) and `dist/` (installed).
const root = new URL("../", import.meta.url)

/**
 * Absolute path of a vendor's hand-written entry point. It `$ref`s one file per section next to it,
 * so hand it to tools that follow relative references (Prism, Redocly).
 */
export const specPath = (vendor: Vendor): string => fileURLToPath(new URL(`${vendor}.yaml`, root))

/**
 * Absolute path of a vendor's document bundled into one JSON file (every external `$ref` moved
 * under `components`), for tools that want a single file. Written by `pnpm build`.
 */
export const bundledSpecPath = (vendor: Vendor): string => fileURLToPath(new URL(`dist/${vendor}.json`, root))

/** A vendor's bundled document, parsed. */
export const load = async (vendor: Vendor): Promise<OpenApiDocument> =>
  JSON.parse(await readFile(bundledSpecPath(vendor), "utf8")) as OpenApiDocument
