/**
 * Three runner processes (`runner.ts`) share a real Postgres; one is killed with SIGKILL while
 * it is sending. Checked from the fake vendor's request log, which every runner appends to before
 * it answers: no send reaches the vendor twice, none is lost (each ends accepted, or uncertain
 * when the kill fell between its attempt and its receipt), each number's minimum gap holds
 * across the failover, and the numbers the surviving runners drove were not held up.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PgClient } from "@effect/sql-pg"
import { describe, expect, it } from "@effect/vitest"
import { ChatId } from "@pombo/core"
import { Effect, Layer, Redacted, Schedule } from "effect"
import { SqlMessageStorage, SqlRunnerStorage } from "effect/cluster"
import { SqlClient } from "effect/sql"
import { postgresDatabaseUrl, postgresUnavailable } from "../../testing/test/stores.ts"
import { Outbox } from "../src/index.ts"
import { start } from "./support.ts"

const numbers = ["zapi:n1", "zapi:n2", "zapi:n3", "megaapi:n4", "megaapi:n5", "megaapi:n6"]
const perNumber = 12
const minGap = 250

interface Logged {
  readonly key: string
  readonly number: string
  readonly at: number
  readonly pid: number
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0))
    })
  })

const readLog = (file: string): Array<Logged> =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Logged)

describe.skipIf(postgresUnavailable !== undefined)(
  `OutboxCluster failover on Postgres${postgresUnavailable ? ` — skipped: ${postgresUnavailable}` : ""}`,
  () => {
    it.live(
      "a runner killed mid-send: nothing sent twice, nothing lost, gaps kept across the failover",
      () =>
        Effect.gen(function* () {
          const url = yield* postgresDatabaseUrl
          const database = PgClient.layer({ url: Redacted.make(url) }).pipe(Layer.orDie)
          const dir = yield* Effect.acquireRelease(
            Effect.sync(() => mkdtempSync(join(tmpdir(), "pombo-failover-"))),
            (d) => Effect.sync(() => rmSync(d, { recursive: true, force: true }))
          )
          const log = join(dir, "vendor.log")
          writeFileSync(log, "")
          // The schema first, so three runners starting together do not race to create it.
          const api = yield* start(
            Layer.mergeAll(
              Outbox.layer().pipe(Layer.orDie),
              SqlMessageStorage.layerMigrations({}),
              SqlRunnerStorage.layerMigrations({})
            ).pipe(Layer.provideMerge(database))
          )
          const outbox = yield* Outbox.Outbox.pipe(Effect.provide(api.context))
          const runners: Array<ChildProcess> = []
          yield* Effect.addFinalizer(() =>
            Effect.sync(() => {
              for (const runner of runners) runner.kill("SIGKILL")
            })
          )
          const script = join(import.meta.dirname, "runner.ts")
          for (let i = 0; i < 3; i++) {
            const port = yield* Effect.promise(freePort)
            runners.push(
              spawn(process.execPath, [script, url, String(port), log], { stdio: ["ignore", "ignore", "inherit"] })
            )
          }
          // Wait for the three runners to register and the shards to be spread over them
          // (assignments are refreshed every 3 s).
          const sql = yield* SqlClient.SqlClient.pipe(Effect.provide(api.context))
          yield* sql<{ n: unknown }>`SELECT COUNT(*) AS n FROM cluster_runners`.pipe(
            Effect.repeat({ until: (rows) => Number(rows[0]?.n) === 3, schedule: Schedule.spaced("200 millis") }),
            Effect.timeout("60 seconds")
          )
          yield* Effect.sleep("8 seconds")
          const keys = numbers.flatMap((number) => Array.from({ length: perNumber }, (_, i) => `${number}#${i}`))
          for (const key of keys) {
            const number = key.slice(0, key.indexOf("#"))
            const to = new ChatId.Contact({ phone: `r-${key}` })
            yield* outbox.send({ key, number, operation: "sendText", input: { to, text: "oi" } })
          }
          // Kill the runner that is sending, once a quarter of the sends went out.
          const busy = yield* Effect.sync(() => readLog(log)).pipe(
            Effect.repeat({
              until: (logged) => logged.length >= keys.length / 4,
              schedule: Schedule.spaced("50 millis")
            }),
            Effect.timeout("60 seconds"),
            Effect.map((logged) => logged.at(-1)!.pid)
          )
          const killed = runners.find((r) => r.pid === busy)
          expect(killed).toBeDefined()
          killed!.kill("SIGKILL")
          const killedAt = Date.now()
          const beforeKill = readLog(log)

          const settled = Effect.forEach(keys, (key) => outbox.status(key)).pipe(
            Effect.map((all) =>
              all.every((s) => s !== undefined && (s.state === "accepted" || s.state === "uncertain"))
            )
          )
          yield* settled.pipe(
            Effect.repeat({ until: (done) => done, schedule: Schedule.spaced("250 millis") }),
            Effect.timeout("100 seconds")
          )
          const logged = readLog(log)
          const statuses = yield* Effect.forEach(keys, (key) => outbox.status(key))

          // Nothing twice.
          expect(new Set(logged.map((l) => l.key)).size).toBe(logged.length)
          // Nothing lost: every send reached the vendor, except those whose attempt the kill
          // interrupted (at most one per number the dead runner drove) — uncertain and not
          // resent, the default policy.
          const uncertain = statuses.filter((s) => s?.state === "uncertain").map((s) => s!.number)
          const drivenByKilled = new Set(logged.filter((l) => l.pid === busy).map((l) => l.number))
          expect(uncertain.every((number) => drivenByKilled.has(number))).toBe(true)
          expect(new Set(uncertain).size).toBe(uncertain.length)
          const uncertainKeys = statuses.filter((s) => s?.state === "uncertain").map((s) => s!.key)
          for (const key of keys) expect(logged.some((l) => l.key === key) || uncertainKeys.includes(key)).toBe(true)
          // The dead runner's numbers were finished by the others, after the kill.
          const after = logged.filter((l) => l.at > killedAt)
          expect(after.length).toBeGreaterThan(0)
          expect(after.every((l) => l.pid !== busy)).toBe(true)
          // The numbers were spread over the runners, and those the survivors drove kept their
          // pace through the failover: no pause longer than a few gaps.
          expect(new Set(beforeKill.map((l) => l.pid)).size).toBeGreaterThan(1)
          const survivors = numbers.filter((number) => !drivenByKilled.has(number))
          expect(survivors.length).toBeGreaterThan(0)
          for (const number of survivors) {
            const times = logged.filter((l) => l.number === number).map((l) => l.at)
            for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeLessThan(5_000)
          }
          // Each number's gap held, across the failover too.
          for (const number of numbers) {
            const times = logged.filter((l) => l.number === number).map((l) => l.at)
            for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(minGap)
          }
          yield* api.stop
        }),
      150_000
    )
  }
)
