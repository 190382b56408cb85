/**
 * The vendor stand-ins: one `documentedResponder` child per vendor, answering every request with
 * the documented response of the measured send operation. Started on first use, shared by the
 * send and cold-start suites, closed when the run ends.
 */

import { operationIds } from "./adapters/send.ts"
import { documentedResponse, type Vendor } from "./adapters/spec.ts"
import { type Child, startChild } from "./Child.ts"
import type { SeenRequest } from "./children/documentedResponder.ts"

/** A running stand-in. */
export interface Responder {
  readonly url: string
  /** The last request it answered: what the raw-fetch floor replays. */
  readonly lastRequest: () => Promise<SeenRequest>
}

/** Starts stand-ins on demand; `close` stops them all. */
export const makeResponders = () => {
  const started = new Map<Vendor, Promise<Child<{ url: string }>>>()
  const get = async (vendor: Vendor): Promise<Responder> => {
    let child = started.get(vendor)
    if (child === undefined) {
      child = documentedResponse(vendor, operationIds[vendor]).then((body) =>
        startChild<{ url: string }>(new URL("./children/documentedResponder.ts", import.meta.url), {
          env: { BENCH_RESPONSE: JSON.stringify(body) }
        })
      )
      started.set(vendor, child)
    }
    const { ready, ask } = await child
    return {
      url: ready.url,
      lastRequest: async () => {
        const seen = (await ask({ last: true })) as SeenRequest | null
        if (seen === null) throw new Error(`the ${vendor} stand-in has answered no request yet`)
        return seen
      }
    }
  }
  const close = async () => {
    await Promise.all([...started.values()].map((child) => child.then((c) => c.close())))
  }
  return { get, close }
}

// Headers the client itself adds (connection, its name, tracing): not part of "the same request".
const clientHeaders = new Set([
  "host",
  "connection",
  "content-length",
  "transfer-encoding",
  "user-agent",
  "accept-encoding",
  "accept-language",
  "sec-fetch-mode",
  "traceparent",
  "tracestate",
  "b3"
])

/** The request a stand-in saw, as `fetch` arguments: what the raw-fetch floors send. */
export const replayable = (baseUrl: string, seen: SeenRequest) => {
  const headers = Object.fromEntries(Object.entries(seen.headers).filter(([name]) => !clientHeaders.has(name)))
  return { url: new URL(seen.path, baseUrl).href, method: seen.method, headers, body: seen.body }
}
