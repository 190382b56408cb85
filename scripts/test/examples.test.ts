/**
 * The READMEs' code is the code the consumer test runs: every TypeScript block in a README is an
 * example file, verbatim, and the examples the consumer test runs all appear in the root README.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { publicPackages, root } from "../Packages.ts"

const codeBlocks = (markdown: string, language: string): Array<string> =>
  [...markdown.matchAll(new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, "gm"))].map((match) => match[1]!)

const read = (path: string) => readFileSync(join(root, path), "utf8")
const examples = new Map(
  readdirSync(join(root, "examples"))
    .filter((file) => file.endsWith(".ts"))
    .map((file) => [file, read(`examples/${file}`)])
)

/** The one framework each framework example may import: what it shows the receiver mounted in. */
const frameworks: Readonly<Record<string, string>> = {
  "express.ts": "express",
  "fastify.ts": "fastify",
  "hono.ts": "hono"
}

/** The root README in each language it is written in: the same code and commands in every one. */
const translations = ["README.pt-BR.md"]

const readmes = ["README.md", ...translations, ...publicPackages().map((pkg) => `${pkg.dir}/README.md`)]

describe("README examples", () => {
  const blocks = codeBlocks(read("README.md"), "ts")

  it("are example files, verbatim, in every README", () => {
    for (const readme of readmes) {
      const unknown = codeBlocks(read(readme), "ts").filter((block) => ![...examples.values()].includes(block))
      expect(unknown, readme).toEqual([])
    }
  })

  it("are the same, with the same set-up and run commands, in every translation of the root README", () => {
    for (const translation of translations) {
      expect(codeBlocks(read(translation), "ts"), translation).toEqual(blocks)
      expect(codeBlocks(read(translation), "sh"), translation).toEqual(codeBlocks(read("README.md"), "sh"))
    }
  })

  it("link the root README and its translations to each other", () => {
    for (const translation of translations) {
      expect(read("README.md")).toContain(`](${translation})`)
      expect(read(translation)).toContain("](README.md)")
    }
  })

  it("include the Quick start and the contract test the consumer test runs", () => {
    expect(blocks).toContain(examples.get("quick-start.ts"))
    expect(blocks).toContain(examples.get("notifications.test.ts"))
  })

  it("import only from pombo, effect, the framework each mounts the receiver in, and @pombo/testing in test code", () => {
    for (const [file, source] of examples) {
      const imported = [...source.matchAll(/from "([^"]+)"/g)].map((match) => match[1]!)
      const allowed = [
        "pombo",
        "pombo/node",
        "pombo/inbox",
        "pombo/promise",
        "pombo/megaapi",
        "pombo/zapi",
        "pombo/outbox",
        "effect",
        ...(frameworks[file] === undefined ? [] : [frameworks[file]]),
        ...(file.endsWith(".test.ts") ? ["@pombo/testing", "@effect/vitest"] : [])
      ]
      expect(
        imported.filter((specifier) => !allowed.includes(specifier)),
        file
      ).toEqual([])
    }
  })
})

describe("the Quick start guide", () => {
  it("sends its message with the README's Quick start, verbatim, in every language", () => {
    for (const guide of ["apps/docs/guides/quick-start.md", "apps/docs/guides/pt-BR/quick-start.md"]) {
      expect(codeBlocks(read(guide), "ts"), guide).toContain(examples.get("quick-start.ts"))
    }
  })
})
