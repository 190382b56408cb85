/**
 * Adapter: a Pombo application's cold start as the cold-start figures measure it — the
 * environment of a production start, where generated client modules live, and `install`, which
 * lays Pombo out in a temporary directory as a user gets it from npm: the `dist/` of the packed
 * tarballs, plain JavaScript children, no hook in the timed processes.
 */
import { execFileSync } from "node:child_process"
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from "node:fs"
import { stripTypeScriptTypes } from "node:module"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { pack, publicPackages, root, type WorkspacePackage } from "../../../../scripts/Packages.ts"
import type { Vendor } from "./spec.ts"

/** The environment of a production start for `vendor`, pointed at `baseUrl`. */
export const environment = (vendor: Vendor, baseUrl: string): Record<string, string> => {
  switch (vendor) {
    case "megaapi":
      return {
        WHATSAPP_PROVIDER: "megaapi",
        MEGAAPI_BASE_URL: baseUrl,
        MEGAAPI_INSTANCE_KEY: "bench-instance",
        MEGAAPI_TOKEN: "bench-token"
      }
    case "zapi":
      return {
        WHATSAPP_PROVIDER: "zapi",
        ZAPI_BASE_URL: baseUrl,
        ZAPI_INSTANCE_ID: "BENCH-INSTANCE",
        ZAPI_TOKEN: "bench-token",
        ZAPI_CLIENT_TOKEN: "bench-token"
      }
    case "meta":
      return {
        WHATSAPP_PROVIDER: "meta",
        META_BASE_URL: baseUrl,
        META_ACCESS_TOKEN: "bench-token",
        META_PHONE_NUMBER_ID: "106540352242922"
      }
  }
}

/**
 * Which vendor's generated client a loaded module URL is, if it is one: `packages/<vendor>/src/…`
 * in the repository, `node_modules/@pombo/<vendor>/dist/…` where the tarballs are installed.
 */
export const generatedClientOf = (url: string): { vendor: string; module: string } | undefined => {
  const match = /\/(?:packages|node_modules\/@pombo)\/([^/]+)\/(src|dist)\/generated\/([^/?]+)/.exec(url)
  return match === null ? undefined : { vendor: match[1]!, module: `${match[1]}/${match[2]}/generated/${match[3]}` }
}

/** What the Pombo child prints: milliseconds since the process started, per phase, CPU time and peak RSS. */
export interface ColdStartReport {
  readonly bootMs: number
  readonly importMs: number
  readonly layerMs: number
  readonly sendMs: number
  /** CPU time of the whole process (user + system, all threads). */
  readonly cpuMs: number
  readonly maxRssKiB: number
}

/** The cold-start children, as plain JavaScript files next to the `node_modules` they resolve from. */
export interface Installation {
  /** `pombo` from the packed tarballs (`dist/`), what `npm install pombo` gives. */
  readonly dist: { readonly pombo: string; readonly fetch: string }
  /** `pombo` from the repository's TypeScript sources (type-stripped at load), what the tests run. */
  readonly src: { readonly pombo: string }
  /** An empty directory for `NODE_COMPILE_CACHE`. */
  readonly compileCache: string
  readonly remove: () => void
}

const children = new URL("../children/", import.meta.url)

/** Writes a child as JavaScript: the children are TypeScript, and a `.ts` entry costs a user nothing. */
const writeChild = (name: string, directory: string): string => {
  const source = readFileSync(new URL(`${name}.ts`, children), "utf8")
  // `stripTypeScriptTypes` is marked experimental (Node 24) and says so once on stderr; the bench's
  // output is not the place for that notice.
  const emitWarning = process.emitWarning
  process.emitWarning = () => {}
  try {
    const target = join(directory, `${name}.mjs`)
    writeFileSync(target, stripTypeScriptTypes(source, { mode: "strip" }))
    return target
  } finally {
    process.emitWarning = emitWarning
  }
}

/** `node_modules/<name>` in `directory`, a symlink to `target`. */
const link = (directory: string, name: string, target: string) => {
  const path = join(directory, "node_modules", name)
  mkdirSync(dirname(path), { recursive: true })
  symlinkSync(target, path, "dir")
}

/** The packages `pombo` needs at run time, itself included: the closure of its `@pombo/*` dependencies. */
const closure = (all: ReadonlyArray<WorkspacePackage>): Array<WorkspacePackage> => {
  const byName = new Map(all.map((pkg) => [pkg.manifest.name, pkg]))
  const found = new Map<string, WorkspacePackage>()
  const visit = (name: string) => {
    const pkg = byName.get(name)
    if (pkg === undefined || found.has(name)) return
    found.set(name, pkg)
    for (const dependency of Object.keys((pkg.manifest.dependencies ?? {}) as Record<string, string>)) visit(dependency)
  }
  visit("pombo")
  return [...found.values()]
}

/**
 * Builds the public packages' JavaScript (`tsc -b tsconfig.build.json`, the part of `pnpm build`
 * that writes what Node loads; the rest of `pnpm build` rewrites declarations and bundles specs),
 * packs `pombo` and the `@pombo/*` packages it depends on with pnpm (`publishConfig.exports`
 * applied: every entry is `dist/`), unpacks them into `<tmp>/dist/node_modules` and links their
 * other dependencies to the versions the repository installed — the tree `npm install pombo`
 * makes, without a registry round trip per run. Beside it, `<tmp>/src/node_modules/pombo` links
 * the workspace package (its `exports` are the `.ts` sources).
 */
export const install = (): Installation => {
  execFileSync(join(root, "node_modules/.bin/tsc"), ["-b", "tsconfig.build.json"], { cwd: root, stdio: "inherit" })
  const base = mkdtempSync(join(tmpdir(), "pombo-bench-cold-"))
  try {
    const dist = join(base, "dist")
    const src = join(base, "src")
    const tarballs = join(base, "tarballs")
    mkdirSync(tarballs, { recursive: true })
    const packages = closure(publicPackages())
    const ours = new Set(packages.map((pkg) => pkg.manifest.name))
    const linked = new Map<string, string>()
    for (const pkg of packages) {
      const target = join(dist, "node_modules", pkg.manifest.name)
      mkdirSync(target, { recursive: true })
      execFileSync("tar", ["-xzf", pack(pkg, tarballs).path, "-C", target, "--strip-components=1"])
      const manifest = JSON.parse(readFileSync(join(target, "package.json"), "utf8")) as {
        dependencies?: Record<string, string>
        peerDependencies?: Record<string, string>
      }
      for (const name of Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })) {
        if (ours.has(name)) continue
        const installed = [join(root, pkg.dir, "node_modules", name), join(root, "node_modules", name)].find(existsSync)
        if (installed === undefined) continue // an optional peer the repository does not install
        const real = realpathSync(installed)
        const already = linked.get(name)
        if (already === undefined) {
          linked.set(name, real)
          link(dist, name, real)
        } else if (already !== real) {
          throw new Error(`${name}: two installed versions (${already}, ${real}); the flat tree needs one`)
        }
      }
    }
    link(src, "pombo", join(root, "packages/pombo"))
    link(src, "effect", linked.get("effect") ?? realpathSync(join(root, "node_modules/effect")))
    const compileCache = join(base, "compile-cache")
    mkdirSync(compileCache)
    return {
      dist: { pombo: writeChild("coldStartPombo", dist), fetch: writeChild("coldStartFetch", dist) },
      src: { pombo: writeChild("coldStartPombo", src) },
      compileCache,
      remove: () => rmSync(base, { recursive: true, force: true })
    }
  } catch (error) {
    rmSync(base, { recursive: true, force: true })
    throw error
  }
}

/** Where the module recorder is, for `--import`. */
export const recorder = fileURLToPath(new URL("recordModules.ts", children))
