/**
 * `pnpm bench --quick` as a user would run it: it must finish and produce every figure of issue
 * 15's goals table, each a number with its goal and a verdict, in the printed table and in the
 * JSON results; `--compare` must print the change against a previous results file. It asserts
 * that the bench runs, never how fast anything is.
 */
import { execFile } from "node:child_process"
import { mkdtemp, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Results } from "../src/Report.ts"

const main = fileURLToPath(new URL("../src/main.ts", import.meta.url))
const run = (args: ReadonlyArray<string>) =>
  promisify(execFile)(process.execPath, ["--expose-gc", main, ...args], {
    maxBuffer: 16 * 1024 * 1024,
    timeout: 240_000
  })

const vendors = ["megaapi", "zapi"]

/** The goals table, figure by figure, as the issue states it. */
const withGoals = [
  ...vendors.flatMap((v) => [`decode.${v}.median`, `decode.${v}.worst`]),
  ...vendors.flatMap((v) => ["Text", "Image", "Audio", "Video", "Document"].map((kind) => `decode.${v}.rate.${kind}`)),
  "decode.zapi.rate.Status",
  "group.zapi.1000",
  ...vendors.flatMap((v) => [`receiver.${v}.throughput`, `receiver.${v}.p99`]),
  ...vendors.flatMap((v) =>
    ["c1", "c64"].flatMap((c) =>
      ["", "undici."].flatMap((on) => [`send.${v}.${c}.${on}cpu`, `send.${v}.${c}.${on}own`])
    )
  ),
  ...vendors.flatMap((v) => [`coldStart.${v}.time`, `coldStart.${v}.otherVendors`])
]

/** The figures the issue asks for beside the goals: the curve, latencies, throughput, memory. */
const informative = [
  ...["1", "10", "100"].map((n) => `group.zapi.${n}`),
  ...vendors.map((v) => `decode.${v}.auto`),
  ...vendors.flatMap((v) => [`receiver.${v}.p50`, `receiver.${v}.cpu`]),
  // The receiver through its effect route, and both entry points with stand-in decoders.
  ...vendors.flatMap((v) =>
    ["route", "standIn", "route.standIn"].flatMap((row) =>
      ["throughput", "p50", "p99", "cpu"].map((what) => `receiver.${v}.${row}.${what}`)
    )
  ),
  // The durable inbox beside the store-less receiver (issue 16): ingest and ack latency per store.
  ...vendors.flatMap((v) =>
    ["inbox-sqlite", "inbox-postgres"].flatMap((store) =>
      ["throughput", "p50", "p99", "cpu"].map((what) => `receiver.${v}.${store}.${what}`)
    )
  ),
  ...vendors.flatMap((v) => ["c1", "c64"].flatMap((c) => [`send.${v}.${c}.throughput`, `send.${v}.${c}.floors`])),
  ...vendors.flatMap((v) => [`coldStart.${v}.rss`, `coldStart.${v}.cached`, `coldStart.${v}.src`]),
  "coldStart.floor.effect",
  "coldStart.floor.effectHttp",
  "coldStart.floor.effectHttpCached",
  ...["sqlite", "postgres"].flatMap((store) => [`outbox.${store}.cost`, `outbox.${store}.rate`]),
  ...["1", "3"].map((runners) => `outbox.postgres.runners${runners}.rate`)
]

let dir = ""
let stdout = ""
let results: Results

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pombo-bench-"))
  stdout = (await run(["--quick", "--out", join(dir, "quick.json")])).stdout
  results = JSON.parse(await readFile(join(dir, "quick.json"), "utf8")) as Results
}, 300_000)

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe("pnpm bench --quick", () => {
  it("measures every figure of the goals table, with its goal and a verdict", () => {
    const byId = new Map(results.figures.map((figure) => [figure.id, figure]))
    for (const id of withGoals) {
      const figure = byId.get(id)
      expect(figure, id).toBeDefined()
      expect(Number.isFinite(figure?.value), id).toBe(true)
      expect(figure?.goal, id).toBeDefined()
      expect(["pass", "miss"], id).toContain(figure?.verdict)
    }
    for (const id of informative) {
      expect(Number.isFinite(byId.get(id)?.value), id).toBe(true)
      expect(byId.get(id)?.verdict, id).toBe("info")
    }
  })

  it("starts Pombo as a user installs it: the packed tarballs' dist/", () => {
    for (const vendor of vendors) {
      expect(results.figures.find((figure) => figure.id === `coldStart.${vendor}.otherVendors`)?.detail).toContain(
        `${vendor}/dist/generated/`
      )
    }
  })

  it("prints each figure in the table with its value and verdict", () => {
    for (const figure of results.figures) {
      const line = stdout.split("\n").find((text) => text.startsWith(figure.label))
      expect(line, figure.id).toBeDefined()
      expect(line, figure.id).toContain(figure.verdict)
    }
    expect(stdout).toContain(`${results.figures.length} figures:`)
  })

  it("records the run's conditions in the results", () => {
    expect(results.mode).toBe("quick")
    expect(results.machine.cpus).toBeGreaterThan(0)
    expect(results.machine.loadAverageAtEnd).toHaveLength(3)
  })

  it("compares a run with a previous results file", async () => {
    const previous = join(dir, "quick.json")
    const { stdout: compared } = await run([
      "--quick",
      "--only",
      "group",
      "--out",
      join(dir, "group.json"),
      "--compare",
      previous
    ])
    const before = results.figures.find((figure) => figure.id === "group.zapi.1000")!
    const line = compared.split("\n").find((text) => text.startsWith(before.label))
    expect(line).toMatch(/was [\d.,]+× \([+−][\d.,]+%\)/)
    expect(compared).toContain(`compared with the quick run of ${results.startedAt}`)
  }, 120_000)

  it("refuses an area it does not know, naming the areas", async () => {
    await expect(run(["--quick", "--only", "inbox"])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("the areas are decode, group, send, outbox, receiver, coldStart")
    })
  })
})
