/**
 * A small HTTP load generator: `connections` keep-alive connections, each posting the next body
 * as soon as the previous answer arrived, for a bounded time. Records every request's latency.
 * Any answer other than 200 fails the burst: a bench over failing requests would measure nothing.
 */
import { Agent, request } from "node:http"
import { hrtime } from "node:process"
import { quantile } from "./Harness.ts"

/** What one burst achieved. */
export interface Burst {
  readonly requests: number
  readonly perSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
}

/**
 * A target to load: the server's port, the path, the body of the n-th request, and any headers a
 * body needs besides its type and length (a signature over it).
 */
export interface Target {
  readonly port: number
  readonly path: string
  readonly body: (n: number) => string
  readonly headers?: ((body: string) => Readonly<Record<string, string>>) | undefined
}

/** A load generator bound to one target, reusing its connections from burst to burst. */
export const makeLoad = (target: Target, connections: number) => {
  const agent = new Agent({ keepAlive: true, maxSockets: connections })
  let sent = 0
  const post = () =>
    new Promise<void>((resolve, reject) => {
      const body = target.body(sent++)
      const call = request(
        {
          agent,
          host: "127.0.0.1",
          port: target.port,
          path: target.path,
          method: "POST",
          headers: {
            ...target.headers?.(body),
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body)
          }
        },
        (response) => {
          response.resume()
          response.on("end", () =>
            response.statusCode === 200
              ? resolve()
              : reject(new Error(`${target.path.replace(/\/[^/]*$/, "/…")} answered ${response.statusCode}`))
          )
        }
      )
      call.on("error", reject)
      call.end(body)
    })

  /** Loads the target for `durationMs` and reports requests/s and latency quantiles. */
  const burst = async (durationMs: number): Promise<Burst> => {
    const latencies: Array<number> = []
    const start = hrtime.bigint()
    const deadline = start + BigInt(Math.round(durationMs * 1e6))
    const connection = async () => {
      while (hrtime.bigint() < deadline) {
        const sentAt = hrtime.bigint()
        await post()
        latencies.push(Number(hrtime.bigint() - sentAt) / 1e6)
      }
    }
    await Promise.all(Array.from({ length: connections }, connection))
    const seconds = Number(hrtime.bigint() - start) / 1e9
    return {
      requests: latencies.length,
      perSecond: latencies.length / seconds,
      p50Ms: quantile(latencies, 0.5),
      p99Ms: quantile(latencies, 0.99)
    }
  }
  return { burst, close: () => agent.destroy() }
}
