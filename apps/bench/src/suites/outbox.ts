/**
 * Outbox: what storing a send first costs. The same Z-API text to the same local stand-in, sent
 * directly with `WhatsApp.sendText` and through the outbox (stored, claimed, dispatched, its receipt
 * stored; pacing off, four numbers in parallel, so the direct sends run four at a time too), in
 * interleaved rounds: CPU per message ÷ direct (this process only; the stand-in and Postgres run
 * in their own processes) and messages dispatched per second, on SQLite and on Postgres with one
 * runner (this process).
 */
import { Effect } from "effect"
import { makeOutbox, numbers } from "../adapters/outbox.ts"
import { startPostgres } from "../adapters/postgres.ts"
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
        const senders = await makeOutbox(server.url, store === "postgres" ? postgres.url : undefined)
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
    } finally {
      await postgres.stop()
    }
    return figures
  }
}
