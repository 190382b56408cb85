/**
 * `pnpm bench [--quick] [--only decode,send,…] [--compare previous.json] [--out file.json]`:
 * runs the suites, prints every figure of the goals table against its floor with the goal and
 * the verdict, and writes the results as JSON (default `apps/bench/results/latest.json`; the
 * run before it is kept as `previous.json`, so `--compare apps/bench/results/previous.json`
 * shows what a change did).
 */
import { existsSync } from "node:fs"
import { mkdir, readFile, rename, writeFile } from "node:fs/promises"
import { dirname } from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import type { Figure } from "./Figure.ts"
import { machineAtStart, type Results, results, table } from "./Report.ts"
import { makeResponders } from "./Responders.ts"
import { budgets, type Mode } from "./Suite.ts"
import { suites } from "./suites/index.ts"

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    compare: { type: "string" },
    out: { type: "string" }
  }
})

const mode: Mode = values.quick ? "quick" : "full"
const only = values.only?.split(",").map((area) => area.trim())
const unknown = only?.filter((area) => !suites.some((suite) => suite.area === area)) ?? []
if (unknown.length > 0) {
  console.error(`unknown area(s): ${unknown.join(", ")}; the areas are ${suites.map((s) => s.area).join(", ")}`)
  process.exit(2)
}
const out = values.out ?? fileURLToPath(new URL("../results/latest.json", import.meta.url))
const previous =
  values.compare === undefined ? undefined : (JSON.parse(await readFile(values.compare, "utf8")) as Results)

if (globalThis.gc === undefined) {
  console.error("note: run with `node --expose-gc` (as `pnpm bench` does) so no batch pays for another's garbage")
}

const startedAt = new Date()
const machine = machineAtStart()
const responders = makeResponders()
const figures: Array<Figure> = []
try {
  for (const suite of suites) {
    if (only !== undefined && !only.includes(suite.area)) continue
    const started = performance.now()
    figures.push(
      ...(await suite.run({
        mode,
        budget: budgets[mode],
        progress: (line) => console.error(`[${Math.round(performance.now() - started)} ms] ${line}`),
        responder: responders.get
      }))
    )
    console.error(`${suite.area}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  }
} finally {
  await responders.close()
}

const run = results(mode, startedAt, machine, figures)
await mkdir(dirname(out), { recursive: true })
if (values.out === undefined && existsSync(out)) await rename(out, out.replace(/latest\.json$/, "previous.json"))
await writeFile(out, `${JSON.stringify(run, null, 2)}\n`)
console.log(table(run, previous))
console.error(`\nresults written to ${out}`)
