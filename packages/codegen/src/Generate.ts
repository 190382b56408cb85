/**
 * The generator end to end: bundle a spec, read it into the model, compile its schemas with
 * Effect, emit the module and format it with the repository's Biome configuration.
 */
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { checkNames, emitModule, type Target } from "./Emit.ts"
import { readModel } from "./Model.ts"
import { compileSchemas } from "./Schemas.ts"
import { loadSpec, type OpenApiDocument } from "./Spec.ts"

/** The repository root, where `pnpm codegen` runs and Biome finds its configuration. */
export const repositoryRoot = fileURLToPath(new URL("../../../", import.meta.url))

/** A spec and the module generated from it; paths are relative to the repository root. */
export interface GenerationTarget extends Target {
  readonly output: string
}

/**
 * What `pnpm codegen` generates: the three vendors, the Baileys message shapes Mega-API relays (Pombo's
 * own document, kept apart from Mega-API's), and the fixture client the generator's tests use.
 */
export const targets: ReadonlyArray<GenerationTarget> = [
  { name: "MegaApi", spec: "openapi/megaapi.yaml", output: "packages/megaapi/src/generated/MegaApi.ts" },
  { name: "ZApi", spec: "openapi/zapi.yaml", output: "packages/zapi/src/generated/ZApi.ts" },
  { name: "Meta", spec: "openapi/meta.yaml", output: "packages/meta/src/generated/Meta.ts" },
  {
    name: "Baileys",
    spec: "openapi/megaapi/baileys.yaml",
    output: "packages/megaapi/src/generated/Baileys.ts"
  },
  {
    name: "Fixture",
    spec: "packages/codegen/test/fixtures/fixture.yaml",
    output: "packages/codegen/test/generated/Fixture.ts"
  }
]

/** The unformatted module for a bundled document. */
export const generateSource = (target: Target, document: OpenApiDocument): string => {
  const model = readModel(document)
  checkNames(model, target.name)
  return emitModule(target, model, compileSchemas(model.schemas))
}

/** Formats (and organises the imports of) a module as if it lived at `path`, with Biome. */
export const format = (source: string, path: string): string => {
  const biome = fileURLToPath(new URL("node_modules/.bin/biome", `file://${repositoryRoot}`))
  const result = spawnSync(biome, ["check", "--write", `--stdin-file-path=${path}`], {
    cwd: repositoryRoot,
    input: source,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024
  })
  if (result.status !== 0 || result.stdout.trim() === "") {
    throw new Error(`biome could not format ${path}:\n${result.stderr || result.stdout}`)
  }
  return result.stdout
}

/** The formatted module a target's spec generates. */
export const generate = async (target: GenerationTarget): Promise<string> => {
  const document = await loadSpec(fileURLToPath(new URL(target.spec, `file://${repositoryRoot}`)))
  return format(generateSource(target, document), target.output)
}
