/**
 * `pnpm build`: compiles every public package to `dist/` (ESM, `.d.ts`, declaration and source
 * maps) through the project references in `tsconfig.build.json`, then writes `@pombo/openapi`'s
 * bundled documents. The repository itself never needs this: tests, demo and scripts run the
 * `.ts` sources; only packing and the consumer test read `dist/`.
 */
import { spawnSync } from "node:child_process"
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { loadSpec } from "@pombo/codegen/Spec"
import { bundledSpecPath, specPath, vendors } from "@pombo/openapi"

const root = fileURLToPath(new URL("../", import.meta.url))

const tsc = spawnSync(join(root, "node_modules/.bin/tsc"), ["-b", "tsconfig.build.json"], {
  cwd: root,
  stdio: "inherit"
})
if (tsc.status !== 0) process.exit(tsc.status ?? 1)

// `rewriteRelativeImportExtensions` rewrites `./X.ts` to `./X.js` in the JavaScript only; a
// declaration file keeping `./X.ts` makes consumers' compilers refuse it (TS5097). `.ts` and `.js`
// have the same length, so the declaration maps stay exact.
const relativeTs = /((?:from|import)\s*\(?\s*["']\.{1,2}\/[^"']*?)\.ts(["'])/g
const declarations = (dir: string): Array<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? declarations(join(dir, entry.name))
      : entry.name.endsWith(".d.ts")
        ? [join(dir, entry.name)]
        : []
  )
const references = JSON.parse(readFileSync(join(root, "tsconfig.build.json"), "utf8")) as {
  references: Array<{ path: string }>
}
for (const { path } of references.references) {
  for (const file of declarations(join(root, dirname(path), "dist"))) {
    const text = readFileSync(file, "utf8")
    const rewritten = text.replace(relativeTs, "$1.js$2")
    if (rewritten !== text) writeFileSync(file, rewritten)
  }
}

// One self-contained document per vendor, bundled exactly as codegen reads it.
for (const vendor of vendors) {
  const target = bundledSpecPath(vendor)
  mkdirSync(dirname(target), { recursive: true })
  writeFileSync(target, `${JSON.stringify(await loadSpec(specPath(vendor)))}\n`)
}
