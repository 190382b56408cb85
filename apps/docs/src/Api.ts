/**
 * The API reference of Pombo itself: TypeDoc reads the TypeScript sources of every public
 * package's entry points (the `exports` of each non-private `packages/*` package, as an
 * application imports them) and writes its HTML into `api/` of the site. TypeDoc's theme keeps
 * its scripts and styles in `api/assets/`, so the pages load nothing from the network.
 *
 * TypeDoc drives the TypeScript compiler API, which TypeScript 7 (the repository's compiler) no
 * longer has; `apps/docs` pins the TypeScript 6 TypeDoc supports, for this only. Error checking
 * is left to `pnpm typecheck`, so this reads the sources without type-checking them again.
 */
import { readdir, readFile } from "node:fs/promises"
import { join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import { Application, Converter, type DeclarationReflection, LogLevel, PageEvent, ReflectionKind } from "typedoc"

const root = fileURLToPath(new URL("../../../", import.meta.url))

/** Where the reference lives in the site. */
export const directory = "api"

/** One public import path (`pombo/node`) and the source file behind it. */
export interface EntryPoint {
  readonly specifier: string
  readonly file: string
}

/**
 * Subpaths left out: a provider's `generated` client is the vendor's HTTP API, which the vendor
 * references on this site already describe operation by operation.
 */
const omitted = new Set(["./generated"])

/** Every public entry point, `pombo` first, then the scoped packages by name. */
export const entryPoints = async (): Promise<ReadonlyArray<EntryPoint>> => {
  const packages = await Promise.all(
    (await readdir(join(root, "packages"))).map(async (dir) => ({
      dir: join(root, "packages", dir),
      manifest: JSON.parse(await readFile(join(root, "packages", dir, "package.json"), "utf8")) as {
        name: string
        private?: boolean
        exports?: Record<string, string>
      }
    }))
  )
  return packages
    .filter(({ manifest }) => manifest.private !== true)
    .sort(
      (a, b) =>
        (a.manifest.name === "pombo" ? -1 : b.manifest.name === "pombo" ? 1 : 0) ||
        a.manifest.name.localeCompare(b.manifest.name)
    )
    .flatMap(({ dir, manifest }) =>
      Object.entries(manifest.exports ?? {})
        .filter(([subpath]) => !omitted.has(subpath))
        .map(([subpath, file]) => ({
          specifier: subpath === "." ? manifest.name : `${manifest.name}${subpath.slice(1)}`,
          file: join(dir, file)
        }))
    )
}

/** The name TypeDoc gives an entry point's module: its path from the repository root, without `.ts` or `/index`. */
const typedocName = (file: string): string =>
  relative(root, file)
    .replace(/\.ts$/, "")
    .replace(/\/index$/, "")

const isExternal = (fileName: string): boolean => fileName.includes("/node_modules/")

/** Options of the build. */
export interface Options {
  /** The links TypeDoc's header shows: label → page, relative to the site root. */
  readonly navigation: Readonly<Record<string, string>>
}

/**
 * TypeDoc writes navigation links as given on pages at every depth; they are given with this
 * prefix and made relative to each page when it is written.
 */
const siteRoot = "pombo-site-root:"

/** Builds the reference into `<outDir>/api/`; returns the public entry points it documents. */
export const build = async (outDir: string, options: Options): Promise<ReadonlyArray<EntryPoint>> => {
  const entries = await entryPoints()
  const names = new Map(entries.map((entry) => [typedocName(entry.file), entry.specifier]))
  const base = JSON.parse(await readFile(join(root, "tsconfig.base.json"), "utf8")) as {
    compilerOptions: Record<string, unknown>
  }
  // The Effect language-service plugin is for editors and `effect-tsgo`, not for TypeDoc.
  const { plugins: _plugins, ...compilerOptions } = base.compilerOptions
  const app = await Application.bootstrap(
    {
      name: "Pombo API",
      entryPoints: entries.map((entry) => entry.file),
      entryPointStrategy: "resolve",
      sortEntryPoints: false,
      basePath: root,
      compilerOptions,
      skipErrorChecking: true,
      disableSources: true,
      readme: "none",
      // A provider's generated client, re-exported as `Generated`, is the vendor's HTTP API: the
      // vendor references describe it operation by operation.
      excludeExternals: true,
      externalPattern: ["**/src/generated/**"],
      excludePrivate: true,
      excludeInternal: true,
      hideGenerator: true,
      githubPages: false,
      cleanOutputDir: true,
      navigationLinks: Object.fromEntries(
        Object.entries(options.navigation).map(([label, path]) => [label, `${siteRoot}${path}`])
      ),
      logLevel: LogLevel.Error
    },
    // Read no tsconfig.json or typedoc.json: the options above are the whole configuration.
    []
  )
  // Members a class inherits from Effect (a `Schema.Class` has hundreds of statics) would bury
  // Pombo's own; each is documented in Effect.
  const inherited: Array<DeclarationReflection> = []
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.parent?.kindOf(ReflectionKind.ClassOrInterface)) return
    const declarations = context.getSymbolFromReflection(reflection)?.declarations ?? []
    if (declarations.length > 0 && declarations.every((d) => isExternal(d.getSourceFile().fileName))) {
      inherited.push(reflection)
    }
  })
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const reflection of inherited) context.project.removeReflection(reflection)
    for (const module of context.project.children ?? []) {
      const name = names.get(module.name)
      if (name === undefined) throw new Error(`TypeDoc made a module "${module.name}" from no public entry point`)
      module.name = name
    }
  })
  app.renderer.on(PageEvent.END, (page) => {
    const up = "../".repeat(page.url.split("/").length)
    if (page.contents !== undefined) page.contents = page.contents.replaceAll(`href="${siteRoot}`, `href="${up}`)
  })
  const project = await app.convert()
  if (!project || app.logger.hasErrors()) throw new Error("TypeDoc could not read the public entry points")
  await app.generateDocs(project, join(outDir, directory))
  if (app.logger.hasErrors()) throw new Error("TypeDoc could not write the API reference")
  return entries
}
