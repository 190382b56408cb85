/**
 * Loading the hand-written specs: one place that turns a multi-file OpenAPI document into the
 * single bundled object every tool here reads (generator, example checks, mock server, docs).
 */
import { bundle, createConfig } from "@redocly/openapi-core"

/** Where the specs are, and which vendors have one: `@pombo/openapi` owns both. */
export { specPath, type Vendor, vendors } from "@pombo/openapi"

/** A bundled OpenAPI 3.1 document as plain JSON values. */
export type OpenApiDocument = Record<string, any>

/**
 * Bundles a spec and all the files it references into one document, with every external `$ref`
 * moved under `components`. Fails when two files define components with the same name, so a
 * bundled name always equals the hand-written one.
 */
export const loadSpec = async (path: string): Promise<OpenApiDocument> => {
  const config = await createConfig({})
  const result = await bundle({
    ref: path,
    config,
    dereference: false,
    componentRenamingConflicts: "error"
  })
  const problems = result.problems.filter((problem) => problem.severity === "error")
  if (problems.length > 0) {
    const detail = problems.map((problem) => `- ${problem.message}`).join("\n")
    throw new Error(`Cannot bundle ${path}:\n${detail}`)
  }
  return result.bundle.parsed as OpenApiDocument
}
