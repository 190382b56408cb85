/**
 * A scripted fault server: a real HTTP server on a free local port that plays a vendor going
 * wrong, one scripted fault per request, and records every request it received. Point any
 * provider (or your own application's `WhatsApp` layer) at its `url` to see how each failure
 * surfaces: which error, how many requests reached the vendor, how long it took.
 *
 * ```ts
 * const server = await FaultServer.start([FaultServer.status(503, { retryAfter: "0" }), FaultServer.json({ ok: true })])
 * // … call the provider with baseUrl: server.url …
 * expect(server.requests.length).toBe(2)
 * await server.close()
 * ```
 *
 * Real sockets matter here: a stalled body, a dripped body or a reset connection reach each HTTP
 * client (fetch, undici, node:http) differently, which a fake client cannot show.
 */
import * as Http from "node:http"
import type { AddressInfo } from "node:net"

/** One request as the server received it. */
export interface Received {
  readonly method: string
  /** The request target as sent: path and query, percent-encoded. */
  readonly url: string
  readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
  readonly body: string
}

/**
 * What the server does with one request:
 * - `respond`: a status, headers and body (a `Retry-After`, a documented answer…);
 * - `echo`: a status whose body repeats the request (URL, headers, body), as some vendors' error
 *   pages do, in the given form;
 * - `stall`: send the status line and headers, then nothing (the body never comes);
 * - `drip`: send the body one chunk every `every` milliseconds;
 * - `hang`: read the request and never answer;
 * - `reset`: read the request, then destroy the connection (the client sees ECONNRESET);
 * - `huge`: a body of `bytes` bytes of `fill`.
 */
export type Fault =
  | {
      readonly _tag: "respond"
      readonly status: number
      readonly headers?: Readonly<Record<string, string>>
      readonly body?: string
    }
  | { readonly _tag: "echo"; readonly status: number; readonly form: "json" | "text" | "html" }
  | { readonly _tag: "stall"; readonly status: number }
  | { readonly _tag: "drip"; readonly status: number; readonly body: string; readonly every: number }
  | { readonly _tag: "hang" }
  | { readonly _tag: "reset" }
  | { readonly _tag: "huge"; readonly status: number; readonly bytes: number; readonly fill: string }

/** The faults: one for every request, the n-th for the n-th request (the last repeats), or computed. */
export type Script = Fault | ReadonlyArray<Fault> | ((request: Received, index: number) => Fault)

/** A running fault server. */
export interface FaultServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string
  /** Every request received so far, in order. */
  readonly requests: ReadonlyArray<Received>
  /** Stops the server, dropping any connection it still holds open. */
  readonly close: () => Promise<void>
}

/** A response with `status` and a JSON `body`; `retryAfter` sets the `Retry-After` header. */
export const json = (
  body: unknown,
  status = 200,
  options: { readonly retryAfter?: string; readonly headers?: Readonly<Record<string, string>> } = {}
): Fault => ({
  _tag: "respond",
  status,
  headers: {
    "content-type": "application/json",
    ...(options.retryAfter === undefined ? {} : { "retry-after": options.retryAfter }),
    ...options.headers
  },
  body: JSON.stringify(body)
})

/** A bare status (an empty JSON object body), with `Retry-After` when given. */
export const status = (code: number, options: { readonly retryAfter?: string } = {}): Fault => json({}, code, options)

/** A response whose body is `text`, as `text/plain` unless `contentType` says otherwise. */
export const text = (body: string, code: number, contentType = "text/plain; charset=utf-8"): Fault => ({
  _tag: "respond",
  status: code,
  headers: { "content-type": contentType },
  body
})

/** Headers, then silence. */
export const stall = (code = 200): Fault => ({ _tag: "stall", status: code })

/** The body `body`, one character every `every` milliseconds. */
export const drip = (body: string, every: number, code = 200): Fault => ({ _tag: "drip", status: code, body, every })

/** No answer at all. */
export const hang: Fault = { _tag: "hang" }

/** The connection destroyed once the request is read. */
export const reset: Fault = { _tag: "reset" }

/** A status whose body repeats the request. */
export const echo = (code: number, form: "json" | "text" | "html" = "json"): Fault => ({
  _tag: "echo",
  status: code,
  form
})

/** A body of `bytes` bytes. */
export const huge = (code: number, bytes: number, fill = "a"): Fault => ({ _tag: "huge", status: code, bytes, fill })

const pick = (script: Script, request: Received, index: number): Fault =>
  typeof script === "function"
    ? script(request, index)
    : Array.isArray(script)
      ? (script[Math.min(index, script.length - 1)] as Fault)
      : (script as Fault)

/** The request, as an echoing vendor writes it back. */
const echoed = (request: Received): string =>
  `${request.method} ${request.url} ${JSON.stringify(request.headers)} ${request.body}`

const play = (fault: Fault, request: Received, res: Http.ServerResponse, timers: Set<NodeJS.Timeout>): void => {
  switch (fault._tag) {
    case "respond":
      res.writeHead(fault.status, fault.headers ?? {})
      res.end(fault.body ?? "")
      return
    case "echo": {
      const all = echoed(request)
      const [type, body] =
        fault.form === "json"
          ? ["application/json", JSON.stringify({ error: `Cannot ${all}`, message: `request ${all} failed`, all })]
          : fault.form === "html"
            ? ["text/html", `<html><body><pre>${all}</pre><script>var r=${JSON.stringify(all)}</script></body></html>`]
            : ["text/plain", `upstream failed for ${all} (${JSON.stringify(all)})`]
      res.writeHead(fault.status, { "content-type": type })
      res.end(body)
      return
    }
    case "stall":
      res.writeHead(fault.status, { "content-type": "application/json", "content-length": "1000" })
      res.flushHeaders()
      return
    case "drip": {
      res.writeHead(fault.status, {
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(fault.body))
      })
      res.flushHeaders()
      let at = 0
      const timer = setInterval(() => {
        if (at >= fault.body.length || res.destroyed) {
          clearInterval(timer)
          timers.delete(timer)
          res.end()
          return
        }
        res.write(fault.body[at])
        at++
      }, fault.every)
      timers.add(timer)
      return
    }
    case "hang":
      return
    case "reset":
      res.socket?.resetAndDestroy()
      return
    case "huge": {
      res.writeHead(fault.status, { "content-type": "text/plain", "content-length": String(fault.bytes) })
      const chunk = Buffer.alloc(64 * 1024, fault.fill)
      let left = fault.bytes
      const pump = (): void => {
        while (left > 0 && !res.destroyed) {
          const piece = left >= chunk.length ? chunk : chunk.subarray(0, left)
          left -= piece.length
          if (left === 0) {
            res.end(piece)
            return
          }
          if (!res.write(piece)) {
            res.once("drain", pump)
            return
          }
        }
      }
      pump()
      return
    }
  }
}

/** Starts a fault server on `127.0.0.1` answering each request as `script` says. */
export const start = async (script: Script): Promise<FaultServer> => {
  const requests: Array<Received> = []
  const timers = new Set<NodeJS.Timeout>()
  const server = Http.createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => {
      const request: Received = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: { ...req.headers },
        body: Buffer.concat(chunks).toString("utf8")
      }
      requests.push(request)
      play(pick(script, request, requests.length - 1), request, res, timers)
    })
  })
  // A client that gave up may leave a half-written response behind; that is the point, not a failure.
  server.on("clientError", (_, socket) => socket.destroy())
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearInterval(timer)
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/**
 * A URL where nothing listens (a port just bound, then released), so every connection is refused:
 * the one failure that proves the request never left.
 */
export const closedUrl = async (): Promise<string> => {
  const server = Http.createServer()
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}`
}
