/**
 * The public packages — every workspace package not marked `private` — and how one becomes a
 * tarball. Build configs, package checks, the consumer test and releases all read this list, so
 * a new public package needs no edit here.
 */
import { execFileSync } from "node:child_process"
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { parse } from "yaml"

/** The repository root. */
export const root = fileURLToPath(new URL("../", import.meta.url))

/** A package's manifest, as far as the scripts read it. */
export interface Manifest {
  readonly name: string
  readonly version: string
  readonly private?: boolean
  readonly exports?: Record<string, string>
  readonly publishConfig?: { readonly exports?: Record<string, { readonly types: string; readonly default: string }> }
  readonly [key: string]: unknown
}

/** A workspace package. */
export interface WorkspacePackage {
  /** Directory relative to the root, e.g. `packages/core`. */
  readonly dir: string
  readonly manifest: Manifest
}

const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8"))

/** Every workspace package, from `pnpm-workspace.yaml`'s patterns (`dir` or `dir/*`). */
export const workspacePackages = (): Array<WorkspacePackage> => {
  const { packages } = parse(readFileSync(join(root, "pnpm-workspace.yaml"), "utf8")) as { packages: Array<string> }
  return packages
    .flatMap((pattern) =>
      pattern.endsWith("/*")
        ? readdirSync(join(root, pattern.slice(0, -2)))
            .map((name) => `${pattern.slice(0, -2)}/${name}`)
            .filter((dir) => statSync(join(root, dir)).isDirectory())
        : [pattern]
    )
    .filter((dir) => {
      try {
        statSync(join(root, dir, "package.json"))
        return true
      } catch {
        return false
      }
    })
    .map((dir) => ({ dir, manifest: readManifest(dir) }))
}

/** The packages published to npm. */
export const publicPackages = (): Array<WorkspacePackage> =>
  workspacePackages().filter((pkg) => pkg.manifest.private !== true)

// The pnpm running this script (also when started through `npx pnpm@…`, which puts none on PATH).
const execPath = process.env.npm_execpath
const pnpm: ReadonlyArray<string> =
  execPath === undefined || !execPath.includes("pnpm")
    ? ["pnpm"]
    : /\.[cm]?js$/.test(execPath)
      ? [process.execPath, execPath]
      : [execPath]

/** A packed package. */
export interface Tarball {
  readonly name: string
  readonly path: string
  readonly files: number
  readonly bytes: number
}

/**
 * Packs a package with pnpm — which applies `publishConfig` and turns `workspace:*` into versions,
 * exactly as `pnpm publish` will — into `destination`. Run `pnpm build` first.
 */
export const pack = (pkg: WorkspacePackage, destination: string): Tarball => {
  const output = execFileSync(pnpm[0]!, [...pnpm.slice(1), "pack", "--json", "--pack-destination", destination], {
    cwd: join(root, pkg.dir),
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"]
  })
  const result = JSON.parse(output.slice(output.indexOf("{"))) as { filename: string; files: Array<unknown> }
  return {
    name: pkg.manifest.name,
    path: result.filename,
    files: result.files.length,
    bytes: statSync(result.filename).size
  }
}
