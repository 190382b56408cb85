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

const readmes = ["README.md", ...publicPackages().map((pkg) => `${pkg.dir}/README.md`)]

describe("README examples", () => {
  const blocks = codeBlocks(read("README.md"), "ts")

  it("are example files, verbatim, in every README", () => {
    for (const readme of readmes) {
      const unknown = codeBlocks(read(readme), "ts").filter((block) => ![...examples.values()].includes(block))
      expect(unknown, readme).toEqual([])
    }
  })

  it("include the Quick start and the contract test the consumer test runs", () => {
    expect(blocks).toContain(examples.get("quick-start.ts"))
    expect(blocks).toContain(examples.get("notifications.test.ts"))
  })

  it("import only from pombo, plus @pombo/testing in test code, effect and the test runner", () => {
    for (const [file, source] of examples) {
      const imported = [...source.matchAll(/from "([^"]+)"/g)].map((match) => match[1]!)
      const allowed = [
        "pombo",
        "pombo/node",
        "pombo/inbox",
        "pombo/megaapi",
        "pombo/zapi",
        "pombo/outbox",
        "effect",
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
  it("sends its message with the README's Quick start, verbatim", () => {
    expect(codeBlocks(read("apps/docs/guides/quick-start.md"), "ts")).toContain(examples.get("quick-start.ts"))
  })
})
