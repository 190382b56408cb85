/**
 * The package convention (CONTRIBUTING.md, "Packages"), checked for every public package so a new
 * package or entry point cannot ship half-configured: the repository resolves `exports` to the
 * `.ts` sources, the tarball's `publishConfig.exports` to the same modules compiled in `dist/`.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { publicPackages, root, workspacePackages } from "../Packages.ts"

const sources = (dir: string): Array<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : [join(dir, entry.name)]
  )
const read = (path: string) => readFileSync(join(root, path), "utf8")
const rootManifest = JSON.parse(read("package.json"))
const packages = publicPackages()
const privateNames = workspacePackages()
  .filter((pkg) => pkg.manifest.private === true)
  .map((pkg) => pkg.manifest.name)

describe.each(packages.map((pkg) => [pkg.manifest.name, pkg] as const))("%s", (_, { dir, manifest }) => {
  it("maps every entry point to its source in the repository and its build in the tarball", () => {
    const exports = manifest.exports ?? {}
    const published = manifest.publishConfig?.exports ?? {}
    expect(Object.keys(published)).toEqual(Object.keys(exports))
    for (const [entry, source] of Object.entries(exports)) {
      const module = /^\.\/src\/(.+)\.ts$/.exec(source)?.[1]
      expect(module, `${entry} → ${source}`).toBeDefined()
      expect(existsSync(join(root, dir, source)), source).toBe(true)
      expect(published[entry]).toEqual({ types: `./dist/${module}.d.ts`, default: `./dist/${module}.js` })
    }
  })

  it("is built by `pnpm build` and ships its build, sources, README, LICENSE and CHANGELOG", () => {
    const references = JSON.parse(read("tsconfig.build.json")).references.map((ref: { path: string }) => ref.path)
    expect(references).toContain(`${dir}/tsconfig.build.json`)
    expect(manifest.files).toEqual(expect.arrayContaining(["dist", "src", "README.md", "LICENSE", "CHANGELOG.md"]))
    for (const file of ["README.md", "CHANGELOG.md", "tsconfig.build.json"]) {
      expect(existsSync(join(root, dir, file)), file).toBe(true)
    }
    expect(read(`${dir}/LICENSE`)).toBe(read("LICENSE"))
  })

  it("declares what npm, bundlers and provenance need", () => {
    expect(manifest).toMatchObject({
      version: packages[0]!.manifest.version,
      license: "MIT",
      type: "module",
      sideEffects: false,
      engines: { node: rootManifest.engines.node },
      repository: { type: "git", url: (packages[0]!.manifest.repository as { url: string }).url, directory: dir },
      publishConfig: { access: "public", provenance: true }
    })
    expect(manifest.keywords).toEqual(expect.arrayContaining([expect.any(String)]))
    expect(manifest.homepage).toMatch(/^https:\/\//)
  })

  it("shares effect with the application and depends on no private package", () => {
    const dependencies = { ...(manifest.dependencies as Record<string, string> | undefined) }
    expect(Object.keys(dependencies)).not.toContain("effect")
    for (const name of privateNames) expect(Object.keys(dependencies)).not.toContain(name)
    const usesEffect = sources(join(root, dir, "src")).some((file) =>
      /from "effect[/"]/.test(readFileSync(file, "utf8"))
    )
    // The exported conformance suite is written for Vitest, so @pombo/testing shares the user's.
    const runner = manifest.name === "@pombo/testing" ? { vitest: "^5.1.1" } : {}
    // The CLI's `pombo mock` runs @pombo/testing's mock servers, and `pombo outbox` opens a
    // Postgres store with @effect/sql-pg, when they are installed: optional peers.
    const mocks = manifest.name === "pombo" ? { "@pombo/testing": "workspace:^", "@effect/sql-pg": "4.0.5" } : {}
    expect(manifest.peerDependencies ?? {}).toEqual({
      ...(usesEffect ? { effect: "^4.1.0" } : {}),
      ...runner,
      ...mocks
    })
    expect(manifest.peerDependenciesMeta ?? {}).toEqual(
      Object.fromEntries(Object.keys(mocks).map((name) => [name, { optional: true }]))
    )
  })
})

it("every public package is in the build", () => {
  const references = JSON.parse(read("tsconfig.build.json")).references.map((ref: { path: string }) => ref.path)
  expect([...references].sort()).toEqual(packages.map((pkg) => `${pkg.dir}/tsconfig.build.json`).sort())
})
