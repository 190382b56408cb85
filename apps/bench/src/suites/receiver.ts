/**
 * Receiver over HTTP: Pombo's webhook receiver and a bare node:http handler that reads and
 * `JSON.parse`s, each in its own child process, loaded in turn by the same generator
 * (keep-alive, 32 connections, bounded bursts) with the same documented message, a fresh
 * message id per request (Meta's signed with the app secret, as Meta does). Figures are medians
 * of per-round ratios.
 */

import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PostgresServer } from "@pombo/testing"
import { decodeBytes, receiverBody, receiverChats, receiverLoad, recognised } from "../adapters/decode.ts"
import { type InboxStore, type ReceiverSetup, receiverEnv, requestOf } from "../adapters/receiver.ts"
import { vendors, webhookExamples } from "../adapters/spec.ts"
import { startChild } from "../Child.ts"
import { type Figure, formatNumber, type Goal } from "../Figure.ts"
import * as Goals from "../Goals.ts"
import { median, spread } from "../Harness.ts"
import { type Burst, makeLoad } from "../LoadGenerator.ts"
import type { Suite } from "../Suite.ts"

/** Keep-alive connections of the load generator. */
export const connections = 32

const pombo = new URL("../adapters/receiver.ts", import.meta.url)

/**
 * The servers loaded side by side: the floor first, then the store-less receiver (handler before
 * the 2xx) through its node:http listener — the figures with goals — and through an effect route;
 * both again with stand-in decoders, so the receiver's own plumbing shows apart from decoding;
 * and the durable inbox on each store (stored before the 2xx, a worker draining it). Each is a
 * child script that reports `{ ready: { port } }`, serves `requestOf`, and answers
 * `{ settle: true }` once it has no work left from its last burst.
 */
export const contestants: ReadonlyArray<Contestant> = [
  { id: "bare", name: "bare node:http", script: new URL("../children/bareReceiver.ts", import.meta.url) },
  { id: "", name: "Pombo", script: pombo, setup: { entry: "listener", decoders: "vendor" } },
  { id: "route", name: "Pombo (effect route)", script: pombo, setup: { entry: "route", decoders: "vendor" } },
  { id: "standIn", name: "Pombo, stand-in decoder", script: pombo, setup: { entry: "listener", decoders: "standIn" } },
  {
    id: "route.standIn",
    name: "Pombo (effect route), stand-in decoder",
    script: pombo,
    setup: { entry: "route", decoders: "standIn" }
  },
  { id: "inbox-sqlite", name: "Pombo + inbox on SQLite", script: pombo, store: "sqlite" },
  { id: "inbox-postgres", name: "Pombo + inbox on Postgres", script: pombo, store: "postgres" }
]

/**
 * A server in the comparison; `id` keys its figures (empty for the receiver the goals are
 * about). With a `store`, it runs the durable inbox there; the figures of every contestant but
 * the plain receiver through its listener are informative (an inbox pays a durable write per
 * batch of calls; the effect route and the stand-in rows say where the time goes).
 */
export interface Contestant {
  readonly id: string
  readonly name: string
  readonly script: URL
  readonly setup?: Omit<ReceiverSetup, "inbox"> | undefined
  readonly store?: "sqlite" | "postgres" | undefined
}

/** The child's setup: the inbox runs on an effect route, with the vendors' decoders. */
const setupOf = (contestant: Contestant, inbox: InboxStore | undefined): ReceiverSetup | undefined =>
  inbox !== undefined ? { entry: "route", decoders: "vendor", inbox } : contestant.setup

/** Starts what the contestants' stores need: a SQLite file, a throwaway PostgreSQL cluster. */
const startStores = async () => {
  const dir = mkdtempSync(join(tmpdir(), "pombo-bench-inbox-"))
  const postgres = contestants.some((c) => c.store === "postgres") ? await PostgresServer.start() : undefined
  const storeOf = (store: Contestant["store"]): InboxStore | undefined =>
    store === "sqlite"
      ? { sqlite: join(dir, "inbox.db") }
      : store === "postgres" && postgres !== undefined
        ? { postgres: postgres.url }
        : undefined
  const stop = async () => {
    await postgres?.stop()
    rmSync(dir, { recursive: true, force: true })
  }
  return { storeOf, stop }
}

/** A burst as the server lived it: the load generator's figures and the server's CPU time per request. */
interface ServerBurst extends Burst {
  readonly cpuMicrosPerRequest: number
}

/** A contestant's figures: medians of its per-round ratios against the floor's bursts. */
const figuresOf = (
  vendor: string,
  exampleName: string,
  contestant: Contestant,
  runs: ReadonlyArray<ServerBurst>,
  floor: ReadonlyArray<ServerBurst>
): Array<Figure> => {
  const perRound = (f: (b: ServerBurst) => number) => spread(runs.map((burst, r) => f(burst) / f(floor[r]!)))
  const of = (bursts: ReadonlyArray<ServerBurst>, f: (b: ServerBurst) => number) => median(bursts.map(f))
  const id = `receiver.${vendor}${contestant.id === "" ? "" : `.${contestant.id}`}`
  const at = `${vendor} (${exampleName}, c=${connections})`
  const both = (f: (b: ServerBurst) => number, unit: string) =>
    `${contestant.name} ${formatNumber(of(runs, f))} ${unit} · bare ${formatNumber(of(floor, f))} ${unit}`
  const figure = (what: string, f: (b: ServerBurst) => number, label: string, unit: string, goal?: Goal): Figure => {
    const ratio = perRound(f)
    return {
      id: `${id}.${what}`,
      area: "receiver",
      label: `${at}: ${label}, ${contestant.name} ÷ bare node:http`,
      value: ratio.median,
      range: [ratio.min, ratio.max],
      unit: "×",
      goal: contestant.id === "" ? goal : undefined,
      detail: both(f, unit),
      values: { [contestant.name]: of(runs, f), bare: of(floor, f) }
    }
  }
  return [
    figure("throughput", (b) => b.perSecond, "requests/s", "req/s", Goals.receiverThroughput),
    figure("p50", (b) => b.p50Ms, "p50 latency", "ms"),
    figure("p99", (b) => b.p99Ms, "p99 latency", "ms", Goals.receiverP99),
    // Load-independent where req/s is not: what each request costs the server, on any core.
    figure("cpu", (b) => b.cpuMicrosPerRequest, "server CPU per request", "µs")
  ]
}

/** The receiver figures, per vendor. */
export const receiver: Suite = {
  area: "receiver",
  run: async ({ budget, progress }) => {
    const figures: Array<Figure> = []
    const stores = await startStores()
    const servers = await Promise.all(
      contestants.map((contestant) => {
        const setup = setupOf(contestant, stores.storeOf(contestant.store))
        return startChild<{ port: number }>(contestant.script, {
          env: setup === undefined ? undefined : receiverEnv(setup)
        })
      })
    ).catch(async (error) => {
      await stores.stop()
      throw error
    })
    try {
      for (const vendor of vendors) {
        const example = (await webhookExamples(vendor)).find((e) => e.name === receiverLoad[vendor].name)
        if (example === undefined) throw new Error(`${vendor} no longer documents ${receiverLoad[vendor].name}`)
        const body = receiverBody(example)
        for (let chat = 0; chat < receiverChats; chat++) {
          if (!recognised(decodeBytes(vendor)(Buffer.from(body(chat, `check-${chat}`))))) {
            throw new Error(`the ${vendor} load payload does not decode to a recognised event (chat ${chat})`)
          }
        }
        const { path, headers } = requestOf(vendor)
        const loads = servers.map((server, i) =>
          makeLoad({ port: server.ready.port, path, headers, body: (n) => body(n, `bench-${i}-${n}`) }, connections)
        )
        // A burst, then until the server is idle again: an inbox's worker delivers what the burst
        // stored, which must not compete with the next server's burst for the same cores. The
        // server's CPU time over both is its cost of the burst's requests, delivery included.
        const burst = async (at: number, ms: number): Promise<ServerBurst> => {
          const server = servers[at]!
          const before = (await server.ask({ cpu: true })) as number
          const result = await loads[at]!.burst(ms)
          await server.ask({ settle: true })
          const after = (await server.ask({ cpu: true })) as number
          return { ...result, cpuMicrosPerRequest: (after - before) / result.requests }
        }
        try {
          progress(`receiver: ${vendor}, ${budget.receiverRounds} round(s) of ${budget.burstMs} ms per server`)
          // Unrecorded: the JIT settles on the receiver's code (and the decoder's) first.
          if (budget.warmupMs > 0) for (let at = 0; at < loads.length; at++) await burst(at, budget.warmupMs)
          const bursts: Array<Array<ServerBurst>> = loads.map(() => [])
          for (let round = 0; round < budget.receiverRounds; round++) {
            for (let i = 0; i < loads.length; i++) {
              const at = (i + round) % loads.length
              bursts[at]!.push(await burst(at, budget.burstMs))
            }
          }
          const [bare, ...others] = bursts as [Array<ServerBurst>, ...Array<Array<ServerBurst>>]
          figures.push(...others.flatMap((runs, i) => figuresOf(vendor, example.name, contestants[i + 1]!, runs, bare)))
        } finally {
          for (const load of loads) load.close()
        }
      }
    } finally {
      await Promise.all(servers.map((server) => server.close()))
      await stores.stop()
    }
    return figures
  }
}
