/**
 * Cold start: a fresh process that imports Pombo, builds the layer its environment configures
 * and sends one text, against a fresh process that sends the same request with `fetch` — both
 * to the documented-response stand-in, started alternately, timed from spawn to exit. Peak RSS
 * comes from each child; one extra, untimed start records which generated clients were loaded.
 */
import { spawn } from "node:child_process"
import { readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { hrtime } from "node:process"
import { fileURLToPath } from "node:url"
import { type ColdStartReport, environment, generatedClientOf } from "../adapters/coldStart.ts"
import { message } from "../adapters/send.ts"
import { vendors } from "../adapters/spec.ts"
import { type Figure, formatNumber } from "../Figure.ts"
import * as Goals from "../Goals.ts"
import { median, spread } from "../Harness.ts"
import { replayable } from "../Responders.ts"
import type { Suite } from "../Suite.ts"

const scripts = {
  pombo: new URL("../adapters/coldStart.ts", import.meta.url),
  fetch: new URL("../children/coldStartFetch.ts", import.meta.url),
  recorder: new URL("../children/recordModules.ts", import.meta.url)
}

/** One start of `script`: wall time from spawn to exit, and what it printed. */
const start = <Report>(script: URL, env: Record<string, string>, nodeArgs: ReadonlyArray<string> = []) =>
  new Promise<{ ms: number; report: Report }>((resolve, reject) => {
    const began = hrtime.bigint()
    let ms = 0
    let out = ""
    const child = spawn(process.execPath, [...nodeArgs, fileURLToPath(script)], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"]
    })
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString()
    })
    child.on("exit", () => {
      ms = Number(hrtime.bigint() - began) / 1e6
    })
    child.on("error", reject)
    child.on("close", (code) =>
      code === 0
        ? resolve({ ms, report: JSON.parse(out) as Report })
        : reject(new Error(`${fileURLToPath(script)} exited with ${code}`))
    )
  })

/** What the raw-fetch script prints. */
type FetchReport = Pick<ColdStartReport, "cpuMs" | "maxRssKiB">

const mib = (kib: number) => `${formatNumber(kib / 1024)} MiB`

/** The cold-start figures, per vendor. */
export const coldStart: Suite = {
  area: "coldStart",
  run: async ({ budget, progress, responder }) => {
    const figures: Array<Figure> = []
    for (const vendor of vendors) {
      const server = await responder(vendor)
      const env = { ...environment(vendor, server.url), BENCH_MESSAGE: JSON.stringify(message) }

      progress(`cold start: ${vendor}, recording the modules loaded`)
      const modulesFile = join(tmpdir(), `pombo-bench-modules-${process.pid}-${vendor}.json`)
      await start(scripts.pombo, { ...env, BENCH_MODULES_OUT: modulesFile }, ["--import", scripts.recorder.href])
      const loaded = JSON.parse(await readFile(modulesFile, "utf8")) as Array<string>
      await rm(modulesFile, { force: true })
      const generated = loaded.flatMap((url) => generatedClientOf(url) ?? [])
      const others = generated.filter((client) => client.vendor !== vendor)

      const fetchEnv = { BENCH_REQUEST: JSON.stringify(replayable(server.url, await server.lastRequest())) }
      progress(`cold start: ${vendor}, ${budget.coldStartRounds} start(s) of each script`)
      const pombo: Array<{ ms: number; report: ColdStartReport }> = []
      const raw: Array<{ ms: number; report: FetchReport }> = []
      for (let round = 0; round < budget.coldStartRounds; round++) {
        const runs = [
          async () => pombo.push(await start<ColdStartReport>(scripts.pombo, env)),
          async () => raw.push(await start<FetchReport>(scripts.fetch, fetchEnv))
        ]
        for (let i = 0; i < runs.length; i++) await runs[(i + round) % runs.length]!()
      }
      const time = spread(pombo.map((run, r) => run.ms / raw[r]!.ms))
      const cpu = median(pombo.map((run, r) => run.report.cpuMs / raw[r]!.report.cpuMs))
      const rss = spread(pombo.map((run, r) => run.report.maxRssKiB / raw[r]!.report.maxRssKiB))
      const phase = (f: (report: ColdStartReport) => number) =>
        `${formatNumber(median(pombo.map((run) => f(run.report))))} ms`
      figures.push(
        {
          id: `coldStart.${vendor}.time`,
          area: "coldStart",
          label: `${vendor}: import + build the configured layer + first send ÷ raw-fetch script`,
          value: time.median,
          range: [time.min, time.max],
          unit: "×",
          goal: Goals.coldStart,
          detail:
            `Pombo ${formatNumber(median(pombo.map((run) => run.ms)))} ms (node boot ${phase((r) => r.bootMs)}, ` +
            `import ${phase((r) => r.importMs)}, layer ${phase((r) => r.layerMs)}, first send ${phase((r) => r.sendMs)}) · ` +
            `raw fetch ${formatNumber(median(raw.map((run) => run.ms)))} ms; CPU time ${formatNumber(cpu)}× ` +
            `(${formatNumber(median(pombo.map((run) => run.report.cpuMs)))} ms vs ${formatNumber(median(raw.map((run) => run.report.cpuMs)))} ms)`,
          values: {
            "ms.pombo": median(pombo.map((run) => run.ms)),
            "ms.fetch": median(raw.map((run) => run.ms)),
            "ms.import": median(pombo.map((run) => run.report.importMs)),
            "ms.layer": median(pombo.map((run) => run.report.layerMs)),
            "ms.firstSend": median(pombo.map((run) => run.report.sendMs)),
            "cpuMs.pombo": median(pombo.map((run) => run.report.cpuMs)),
            "cpuMs.fetch": median(raw.map((run) => run.report.cpuMs)),
            "ratio.cpu": cpu
          }
        },
        {
          id: `coldStart.${vendor}.rss`,
          area: "coldStart",
          label: `${vendor}: peak RSS ÷ raw-fetch script`,
          value: rss.median,
          range: [rss.min, rss.max],
          unit: "×",
          detail: `Pombo ${mib(median(pombo.map((run) => run.report.maxRssKiB)))} · raw fetch ${mib(median(raw.map((run) => run.report.maxRssKiB)))}`
        },
        {
          id: `coldStart.${vendor}.otherVendors`,
          area: "coldStart",
          label: `${vendor}: generated clients of other vendors loaded`,
          value: others.length,
          unit: "modules",
          goal: Goals.coldStartOtherVendors,
          detail: `loaded: ${generated.map((client) => client.module).join(", ") || "no generated client"}`
        }
      )
    }
    return figures
  }
}
