/**
 * Cold start: a fresh process that imports Pombo, builds the layer its environment configures
 * and sends one text, against a fresh process that sends the same request with `fetch` — both
 * to the documented-response stand-in, started in turn, timed from spawn to exit. Pombo is the
 * installed tarballs' `dist/` (what a user runs); beside it, the same start with Node's compile
 * cache warm (`NODE_COMPILE_CACHE`, the fetch script under the same setting), and from the
 * repository's TypeScript sources. The floors any Effect program pays — `import "effect"`, and
 * `effect/http` with it, before the same fetch — are measured once, interleaved with the script.
 * Peak RSS comes from each child; one extra, untimed start per vendor records which generated
 * clients were loaded.
 */
import { spawn } from "node:child_process"
import { readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { hrtime } from "node:process"
import { pathToFileURL } from "node:url"
import { type ColdStartReport, environment, generatedClientOf, install, recorder } from "../adapters/coldStart.ts"
import { message } from "../adapters/send.ts"
import { type Vendor, vendors } from "../adapters/spec.ts"
import { type Figure, formatNumber } from "../Figure.ts"
import * as Goals from "../Goals.ts"
import { median, spread } from "../Harness.ts"
import { replayable } from "../Responders.ts"
import type { Suite } from "../Suite.ts"

/** One start of `script`: wall time from spawn to exit, and what it printed. */
const start = <Report>(script: string, env: Record<string, string>, nodeArgs: ReadonlyArray<string> = []) =>
  new Promise<{ ms: number; report: Report }>((resolve, reject) => {
    const began = hrtime.bigint()
    let ms = 0
    let out = ""
    const child = spawn(process.execPath, [...nodeArgs, script], {
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
        : reject(new Error(`${script} exited with ${code}`))
    )
  })

/** What the raw-fetch script prints. */
type FetchReport = Pick<ColdStartReport, "cpuMs" | "maxRssKiB">

type Run<Report> = { ms: number; report: Report }

/**
 * `rounds` rounds of every contestant, each round starting one contestant later than the one
 * before, so no contestant always runs first (or right after another's page-cache work).
 */
const interleaved = async <Name extends string>(
  rounds: number,
  contestants: Record<Name, () => Promise<Run<FetchReport>>>
): Promise<Record<Name, Array<Run<FetchReport>>>> => {
  const names = Object.keys(contestants) as Array<Name>
  const runs = Object.fromEntries(names.map((name) => [name, []])) as unknown as Record<Name, Array<Run<FetchReport>>>
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round) % names.length]!
      runs[name].push(await contestants[name]())
    }
  }
  return runs
}

/** Per-round ratios of wall time and CPU time. */
const ratios = (runs: ReadonlyArray<Run<FetchReport>>, floor: ReadonlyArray<Run<FetchReport>>) => ({
  time: spread(runs.map((run, r) => run.ms / floor[r]!.ms)),
  cpu: median(runs.map((run, r) => run.report.cpuMs / floor[r]!.report.cpuMs))
})

const ms = (runs: ReadonlyArray<Run<FetchReport>>) => median(runs.map((run) => run.ms))
const cpuMs = (runs: ReadonlyArray<Run<FetchReport>>) => median(runs.map((run) => run.report.cpuMs))
const mib = (kib: number) => `${formatNumber(kib / 1024)} MiB`
const times = (value: number) => `${formatNumber(value)}×`

/** The cold-start figures, per vendor, and the floors effect sets. */
export const coldStart: Suite = {
  area: "coldStart",
  run: async ({ budget, progress, responder }) => {
    progress("cold start: building the packages' JavaScript, installing the packed tarballs")
    const installation = install()
    try {
      const cached = { NODE_COMPILE_CACHE: installation.compileCache }
      const measured: Array<{
        vendor: Vendor
        runs: Record<"dist" | "cached" | "src" | "fetch" | "fetchCached", Array<Run<FetchReport>>>
        generated: Array<{ vendor: string; module: string }>
      }> = []
      let fetchEnv: Record<string, string> = {}
      for (const vendor of vendors) {
        const server = await responder(vendor)
        const env = { ...environment(vendor, server.url), BENCH_MESSAGE: JSON.stringify(message) }

        progress(`cold start: ${vendor}, recording the modules loaded`)
        const modulesFile = join(tmpdir(), `pombo-bench-modules-${process.pid}-${vendor}.json`)
        await start(installation.dist.pombo, { ...env, BENCH_MODULES_OUT: modulesFile }, [
          "--import",
          pathToFileURL(recorder).href
        ])
        const loaded = JSON.parse(await readFile(modulesFile, "utf8")) as Array<string>
        await rm(modulesFile, { force: true })

        fetchEnv = { BENCH_REQUEST: JSON.stringify(replayable(server.url, await server.lastRequest())) }
        // Fills the compile cache, as the first start of a deployment does.
        await start(installation.dist.pombo, { ...env, ...cached })
        await start(installation.dist.fetch, { ...fetchEnv, ...cached })
        progress(`cold start: ${vendor}, ${budget.coldStartRounds} start(s) of each script`)
        const pombo =
          (script: string, extra: Record<string, string> = {}) =>
          () =>
            start<ColdStartReport>(script, { ...env, ...extra })
        measured.push({
          vendor,
          runs: await interleaved(budget.coldStartRounds, {
            dist: pombo(installation.dist.pombo),
            cached: pombo(installation.dist.pombo, cached),
            src: pombo(installation.src.pombo),
            fetch: () => start<FetchReport>(installation.dist.fetch, fetchEnv),
            fetchCached: () => start<FetchReport>(installation.dist.fetch, { ...fetchEnv, ...cached })
          }),
          generated: loaded.flatMap((url) => generatedClientOf(url) ?? [])
        })
      }

      progress(`cold start: the floors, ${budget.coldStartRounds} start(s) of each`)
      const floors = await interleaved(budget.coldStartRounds, {
        fetch: () => start<FetchReport>(installation.dist.fetch, fetchEnv),
        effect: () => start<FetchReport>(installation.dist.fetch, { ...fetchEnv, BENCH_PRELOAD: "effect" }),
        http: () => start<FetchReport>(installation.dist.fetch, { ...fetchEnv, BENCH_PRELOAD: "effect,effect/http" }),
        fetchCached: () => start<FetchReport>(installation.dist.fetch, { ...fetchEnv, ...cached }),
        httpCached: () =>
          start<FetchReport>(installation.dist.fetch, { ...fetchEnv, ...cached, BENCH_PRELOAD: "effect,effect/http" })
      })
      const effectFloor = ratios(floors.effect, floors.fetch)
      const httpFloor = ratios(floors.http, floors.fetch)
      const httpCachedFloor = ratios(floors.httpCached, floors.fetchCached)

      const figures: Array<Figure> = [
        {
          id: "coldStart.floor.effect",
          area: "coldStart",
          label: 'floor: import "effect", then the same fetch ÷ raw-fetch script',
          value: effectFloor.time.median,
          range: [effectFloor.time.min, effectFloor.time.max],
          unit: "×",
          detail: `${formatNumber(ms(floors.effect))} ms vs ${formatNumber(ms(floors.fetch))} ms; CPU time ${times(effectFloor.cpu)} (${formatNumber(cpuMs(floors.effect))} ms vs ${formatNumber(cpuMs(floors.fetch))} ms)`,
          values: { "ms.effect": ms(floors.effect), "ms.fetch": ms(floors.fetch), "ratio.cpu": effectFloor.cpu }
        },
        {
          id: "coldStart.floor.effectHttp",
          area: "coldStart",
          label: 'floor: import "effect" and "effect/http", then the same fetch ÷ raw-fetch script',
          value: httpFloor.time.median,
          range: [httpFloor.time.min, httpFloor.time.max],
          unit: "×",
          detail: `${formatNumber(ms(floors.http))} ms; CPU time ${times(httpFloor.cpu)} (${formatNumber(cpuMs(floors.http))} ms); what Pombo sends with, before any Pombo code`,
          values: { "ms.effectHttp": ms(floors.http), "ms.fetch": ms(floors.fetch), "ratio.cpu": httpFloor.cpu }
        },
        {
          id: "coldStart.floor.effectHttpCached",
          area: "coldStart",
          label: "floor: the same with NODE_COMPILE_CACHE warm ÷ raw-fetch script with it",
          value: httpCachedFloor.time.median,
          range: [httpCachedFloor.time.min, httpCachedFloor.time.max],
          unit: "×",
          detail: `${formatNumber(ms(floors.httpCached))} ms vs ${formatNumber(ms(floors.fetchCached))} ms; CPU time ${times(httpCachedFloor.cpu)} (${formatNumber(cpuMs(floors.httpCached))} ms vs ${formatNumber(cpuMs(floors.fetchCached))} ms)`,
          values: {
            "ms.effectHttp": ms(floors.httpCached),
            "ms.fetch": ms(floors.fetchCached),
            "ratio.cpu": httpCachedFloor.cpu
          }
        }
      ]
      for (const { vendor, runs, generated } of measured) {
        const pombo = runs.dist as Array<Run<ColdStartReport>>
        const dist = ratios(pombo, runs.fetch)
        const withCache = ratios(runs.cached, runs.fetchCached)
        const src = ratios(runs.src, runs.fetch)
        const phase = (f: (report: ColdStartReport) => number) =>
          `${formatNumber(median(pombo.map((run) => f(run.report))))} ms`
        const others = generated.filter((client) => client.vendor !== vendor)
        const rss = spread(pombo.map((run, r) => run.report.maxRssKiB / runs.fetch[r]!.report.maxRssKiB))
        figures.push(
          {
            id: `coldStart.${vendor}.time`,
            area: "coldStart",
            label: `${vendor}: import + build the configured layer + first send ÷ raw-fetch script (installed dist/)`,
            value: dist.time.median,
            range: [dist.time.min, dist.time.max],
            unit: "×",
            goal: Goals.coldStart,
            detail:
              `Pombo ${formatNumber(ms(pombo))} ms (node boot ${phase((r) => r.bootMs)}, ` +
              `import ${phase((r) => r.importMs)}, layer ${phase((r) => r.layerMs)}, first send ${phase((r) => r.sendMs)}) · ` +
              `raw fetch ${formatNumber(ms(runs.fetch))} ms; CPU time ${times(dist.cpu)} ` +
              `(${formatNumber(cpuMs(pombo))} ms vs ${formatNumber(cpuMs(runs.fetch))} ms); ` +
              `effect + effect/http alone are ${times(httpFloor.time.median)} (CPU ${times(httpFloor.cpu)}), so Pombo's own part is ≈ ${times(dist.time.median / httpFloor.time.median)} (CPU ${times(dist.cpu / httpFloor.cpu)})`,
            values: {
              "ms.pombo": ms(pombo),
              "ms.fetch": ms(runs.fetch),
              "ms.import": median(pombo.map((run) => run.report.importMs)),
              "ms.layer": median(pombo.map((run) => run.report.layerMs)),
              "ms.firstSend": median(pombo.map((run) => run.report.sendMs)),
              "cpuMs.pombo": cpuMs(pombo),
              "cpuMs.fetch": cpuMs(runs.fetch),
              "ratio.cpu": dist.cpu,
              "ratio.overEffectHttp": dist.time.median / httpFloor.time.median,
              "ratio.cpuOverEffectHttp": dist.cpu / httpFloor.cpu
            }
          },
          {
            id: `coldStart.${vendor}.cached`,
            area: "coldStart",
            label: `${vendor}: the same with NODE_COMPILE_CACHE warm ÷ raw-fetch script with it`,
            value: withCache.time.median,
            range: [withCache.time.min, withCache.time.max],
            unit: "×",
            detail:
              `Pombo ${formatNumber(ms(runs.cached))} ms · raw fetch ${formatNumber(ms(runs.fetchCached))} ms; CPU time ${times(withCache.cpu)} ` +
              `(${formatNumber(cpuMs(runs.cached))} ms vs ${formatNumber(cpuMs(runs.fetchCached))} ms); effect + effect/http alone, ` +
              `cached, are ${times(httpCachedFloor.time.median)} (CPU ${times(httpCachedFloor.cpu)}), so Pombo's own part is ≈ ${times(withCache.time.median / httpCachedFloor.time.median)} (CPU ${times(withCache.cpu / httpCachedFloor.cpu)})`,
            values: {
              "ms.pombo": ms(runs.cached),
              "ms.fetch": ms(runs.fetchCached),
              "ratio.cpu": withCache.cpu,
              "ratio.overEffectHttp": withCache.time.median / httpCachedFloor.time.median
            }
          },
          {
            id: `coldStart.${vendor}.src`,
            area: "coldStart",
            label: `${vendor}: the same from the repository's TypeScript sources ÷ raw-fetch script`,
            value: src.time.median,
            range: [src.time.min, src.time.max],
            unit: "×",
            detail: `Pombo ${formatNumber(ms(runs.src))} ms, type-stripped at load; CPU time ${times(src.cpu)} (${formatNumber(cpuMs(runs.src))} ms)`,
            values: { "ms.pombo": ms(runs.src), "ms.fetch": ms(runs.fetch), "ratio.cpu": src.cpu }
          },
          {
            id: `coldStart.${vendor}.rss`,
            area: "coldStart",
            label: `${vendor}: peak RSS ÷ raw-fetch script`,
            value: rss.median,
            range: [rss.min, rss.max],
            unit: "×",
            detail: `Pombo ${mib(median(pombo.map((run) => run.report.maxRssKiB)))} · raw fetch ${mib(median(runs.fetch.map((run) => run.report.maxRssKiB)))}`
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
    } finally {
      installation.remove()
    }
  }
}
