/**
 * The goals of issue 15's table, in one place: every suite takes its bound from here, so a
 * changed goal is changed once. Ratios are against the floor named beside each.
 */
import type { Goal } from "./Figure.ts"

/** Decode vs `JSON.parse` of the same bytes: the median over a vendor's documented examples. */
export const decodeMedian: Goal = { at: "most", limit: 3 }

/** Decode vs `JSON.parse`: a vendor's worst documented example. */
export const decodeWorst: Goal = { at: "most", limit: 10 }

/** Decode throughput (bytes → events) of the common message kinds, on one core. */
export const decodeThroughput: Goal = { at: "least", limit: 100_000 }

/** A group notification with 1,000 participants vs `JSON.parse` of it: linear. */
export const groupOf1000: Goal = { at: "most", limit: 10 }

/** Receiver requests/s vs a bare node:http handler that reads and parses, same load. */
export const receiverThroughput: Goal = { at: "least", limit: 0.5 }

/** Receiver p99 latency vs the bare handler, same load. */
export const receiverP99: Goal = { at: "most", limit: 2 }

/** CPU per `WhatsApp` send vs raw `fetch` of the same request, at c=1 and c=64. */
export const sendCpu: Goal = { at: "most", limit: 1.5 }

/** CPU per `WhatsApp` send vs the same request through the HTTP client Pombo uses: its own code ≤ 10%. */
export const sendOverHttpClient: Goal = { at: "most", limit: 1.1 }

/** Cold start (import, build the configured layer, first send) vs a raw-fetch script. */
export const coldStart: Goal = { at: "most", limit: 2 }

/** Generated clients of other vendors loaded by a cold start: none. */
export const coldStartOtherVendors: Goal = { at: "most", limit: 0 }
