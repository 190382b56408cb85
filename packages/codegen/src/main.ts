/**
 * `pnpm codegen`: regenerates every target's module from its spec. `pnpm codegen --check` writes
 * nothing and exits 1 listing every module that is out of date.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { generate, repositoryRoot, targets } from "./Generate.ts"

const check = process.argv.includes("--check")
const stale: Array<string> = []
for (const target of targets) {
  const path = join(repositoryRoot, target.output)
  const source = await generate(target)
  let current: string | undefined
  try {
    current = readFileSync(path, "utf8")
  } catch {
    current = undefined
  }
  if (current === source) continue
  if (check) {
    stale.push(target.output)
  } else {
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, source)
    console.log(`wrote ${target.output}`)
  }
}
if (check && stale.length > 0) {
  console.error(`Out of date (run \`pnpm codegen\`):\n${stale.map((output) => `  ${output}`).join("\n")}`)
  process.exit(1)
}
