/**
 * Preloaded (`--import`) into one extra cold start per vendor: records the URL of every module
 * the process loads and writes the list to `BENCH_MODULES_OUT` on exit. Kept out of the timed
 * runs, since the hook itself costs time.
 */
import { writeFileSync } from "node:fs"
import { registerHooks } from "node:module"

const loaded: Array<string> = []
registerHooks({
  load: (url, context, nextLoad) => {
    loaded.push(url)
    return nextLoad(url, context)
  }
})
process.on("exit", () => {
  if (process.env.BENCH_MODULES_OUT !== undefined) writeFileSync(process.env.BENCH_MODULES_OUT, JSON.stringify(loaded))
})
