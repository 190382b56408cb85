/**
 * Outbox: what storing a send first costs. The same Z-API text to the same local stand-in, sent
 * directly with `WhatsApp.sendText` and through the outbox (stored, claimed, dispatched, its receipt
 * stored; pacing off, four numbers in parallel, so the direct sends run four at a time too), in
 * interleaved rounds: CPU per message ÷ direct (this process only; the stand-in and Postgres run
 * in their own processes) and messages dispatched per second, on SQLite and on Postgres with one
 * runner (this process, `OutboxWorker`). Then the cluster: 1 and 3 runner processes
 * (`OutboxCluster` on `NodeClusterSocket`) sharing Postgres, messages/s from storing the first
 * send to the last one accepted.
 */

import { createServer } from "node:net"
import { Effect } from "effect"
import { makeClusterClient, makeOutbox, numbers } from "../adapters/outbox.ts"
import { startPostgres } from "../adapters/postgres.ts"
import { startChild } from "../Child.ts"

/** Cluster runner processes the dispatch rate is measured with. */
export const runnerCounts = [1, 3] as const

/** The numbers the cluster figures spread their sends over: one entity each. */
const clusterNumbers = ["zapi:c1", "zapi:c2", "zapi:c3", "zapi:c4", "zapi:c5", "zapi:c6"]

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0))
    })
  })

/**
 * Messages/s of `count` runner processes sharing Postgres: the sends are stored from this process
 * (as an application's API would) and counted as the runners get them accepted.
 */
const clusterRate = async (
  count: number,
  options: { readonly url: string; readonly standIn: string; readonly sends: number; readonly spreadMs: number }
) => {
  const client = await makeClusterClient(options.url)
  const runners: Array<{ close: () => Promise<void> }> = []
  try {
    for (let i = 0; i < count; i++) {
      const port = await freePort()
      runners.push(
        await startChild(new URL("../children/outboxRunner.ts", import.meta.url), {
          args: [options.url, String(port), options.standIn]
        })
      )
    }
    while ((await client.runners()) < count) await sleep(50)
    await sleep(options.spreadMs)
    const started = performance.now()
    await client.store(options.sends, clusterNumbers)
    while ((await client.accepted()) < options.sends) {
      if (performance.now() - started > 120_000) throw new Error(`${count} runner(s): sends not accepted within 2 min`)
      await sleep(10)
    }
    const ms = performance.now() - started
    return { sends: options.sends, ms, perSecond: (options.sends * 1000) / ms }
  } finally {
    for (const runner of runners) await runner.close()
    await client.close()
  }
}

import { type Figure, formatNumber } from "../Figure.ts"
import { type Contestant, costs, interleave, median, ratios, spread } from "../Harness.ts"
import type { Suite } from "../Suite.ts"

export const outbox: Suite = {
  area: "outbox",
  run: async ({ budget, progress, responder }) => {
    const figures: Array<Figure> = []
    const server = await responder("zapi")
    const postgres = await startPostgres()
    try {
      for (const store of ["sqlite", "postgres"] as const) {
        progress(`outbox: ${store}, 1 runner`)
        const senders = await makeOutbox(
          server.url,
          store === "postgres" ? await postgres.database("bench_outbox") : undefined
        )
        try {
          const ops = Math.max(numbers.length, budget.sendsAtC1)
          const direct = (n: number) =>
            Effect.runPromise(
              Effect.forEach(Array.from({ length: n }), () => senders.direct, {
                concurrency: numbers.length,
                discard: true
              })
            )
          const contestants: Array<Contestant> = [
            { name: "direct", ops, run: direct },
            { name: "outbox", ops, run: senders.batch }
          ]
          const samples = await interleave(contestants, budget.sendRounds, {
            ms: budget.warmupMs,
            rounds: budget.sendWarmupRounds
          })
          const cost = spread(ratios(samples, "outbox", "direct", "cpu"))
          const cpuUs = (name: string) => median(costs(samples, name, "cpu")) / 1000
          const rate = (name: string) => 1e9 / median(costs(samples, name, "wall"))
          figures.push(
            {
              id: `outbox.${store}.cost`,
              area: "outbox",
              label: `${store}, 1 runner: CPU/message, outbox send ÷ direct WhatsApp.sendText`,
              value: cost.median,
              range: [cost.min, cost.max],
              unit: "×",
              detail: `direct ${formatNumber(cpuUs("direct"))} µs · outbox ${formatNumber(cpuUs("outbox"))} µs`,
              values: { "cpuUs.direct": cpuUs("direct"), "cpuUs.outbox": cpuUs("outbox") }
            },
            {
              id: `outbox.${store}.rate`,
              area: "outbox",
              label: `${store}, 1 runner: messages dispatched/s, pacing off, ${numbers.length} numbers`,
              value: rate("outbox"),
              unit: "messages/s",
              detail: `direct sendText ${formatNumber(rate("direct"))}/s at concurrency ${numbers.length}`,
              values: { "perSecond.direct": rate("direct"), "perSecond.outbox": rate("outbox") }
            }
          )
        } finally {
          await senders.close()
        }
      }
      for (const count of runnerCounts) {
        progress(`outbox: postgres, ${count} cluster runner(s)`)
        const rate = await clusterRate(count, {
          url: await postgres.database(`bench_cluster_${count}`),
          standIn: server.url,
          sends: budget.clusterSends,
          spreadMs: budget.clusterSpreadMs
        })
        figures.push({
          id: `outbox.postgres.runners${count}.rate`,
          area: "outbox",
          label: `postgres, ${count} cluster runner process(es): messages dispatched/s, pacing off, ${clusterNumbers.length} numbers`,
          value: rate.perSecond,
          unit: "messages/s",
          detail: `${rate.sends} sends in ${formatNumber(rate.ms)} ms, from storing the first to the last accepted`,
          values: { sends: rate.sends, ms: rate.ms }
        })
      }
    } finally {
      await postgres.stop()
    }
    return figures
  }
}
