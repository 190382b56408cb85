/**
 * `pnpm check:packages`: packs every public package (after `pnpm build`) and runs publint and
 * @arethetypeswrong/cli on each tarball. Any error fails; warnings and suggestions are printed.
 * The consumer test runs the same checks on the tarballs it installs.
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { publint } from "publint"
import { formatMessage } from "publint/utils"
import { pack, publicPackages, root, type Tarball } from "./Packages.ts"

/** What the checks found in one tarball: `errors` fail the release, `notes` are printed. */
export interface Findings {
  readonly errors: Array<string>
  readonly notes: Array<string>
}

/**
 * publint (package.json against the files really packed) and attw (types resolve like the
 * JavaScript under Node's ESM resolution and bundlers). The packages are ESM-only, so attw's
 * `esm-only` profile leaves out `require` and the pre-exports `node10` resolution.
 */
export const checkTarball = async (tarball: Tarball): Promise<Findings> => {
  const errors: Array<string> = []
  const notes: Array<string> = []
  const bytes = readFileSync(tarball.path)
  const lint = await publint({
    pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
    level: "suggestion",
    strict: true
  })
  for (const message of lint.messages) {
    const text = `publint ${message.type}: ${formatMessage(message, lint.pkg, { color: false }) ?? message.code}`
    if (message.type === "error") errors.push(text)
    else notes.push(text)
  }
  const attw = spawnSync(
    join(root, "node_modules/.bin/attw"),
    ["--profile", "esm-only", "--no-definitely-typed", "--format", "ascii", "--no-color", "--no-emoji", tarball.path],
    { encoding: "utf8" }
  )
  if (attw.status !== 0) errors.push(`attw:\n${attw.stdout}${attw.stderr}`)
  return { errors, notes }
}

/** Checks every tarball in turn, printing findings; resolves to whether all passed. */
export const checkTarballs = async (tarballs: ReadonlyArray<Tarball>): Promise<boolean> => {
  let passed = true
  for (const tarball of tarballs) {
    const { errors, notes } = await checkTarball(tarball)
    for (const line of [...errors, ...notes]) console.log(`  ${tarball.name}: ${line}`)
    if (errors.length > 0) passed = false
    else console.log(`  ${tarball.name}: publint and attw clean${notes.length > 0 ? " (notes above)" : ""}`)
  }
  return passed
}

if (import.meta.main) {
  const build = spawnSync(process.execPath, [join(root, "scripts/build.ts")], { stdio: "inherit" })
  if (build.status !== 0) process.exit(build.status ?? 1)
  const destination = mkdtempSync(join(tmpdir(), "pombo-packs-"))
  try {
    const passed = await checkTarballs(publicPackages().map((pkg) => pack(pkg, destination)))
    process.exitCode = passed ? 0 : 1
  } finally {
    rmSync(destination, { recursive: true, force: true })
  }
}
