/**
 * The vendor stand-in of the send and cold-start figures, run as a child process so its CPU is
 * not the bench's: a bare node:http server that reads each request and answers 200 with the
 * documented response body (`BENCH_RESPONSE`). Asked `{ last: true }`, it tells the parent the
 * last request it got, so the raw-fetch floor can send exactly what Pombo sent.
 */
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { serveParent } from "../Child.ts"

/** A request as the server saw it. */
export interface SeenRequest {
  readonly method: string
  readonly path: string
  readonly headers: Record<string, string>
  readonly body: string
}

const response = Buffer.from(process.env.BENCH_RESPONSE ?? "{}")
let last: SeenRequest | undefined

const server = createServer((request, reply) => {
  const chunks: Array<Buffer> = []
  request.on("data", (chunk: Buffer) => chunks.push(chunk))
  request.on("end", () => {
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === "string") headers[name] = value
    }
    last = {
      method: request.method ?? "GET",
      path: request.url ?? "/",
      headers,
      body: Buffer.concat(chunks).toString()
    }
    reply.writeHead(200, { "content-type": "application/json", "content-length": response.byteLength })
    reply.end(response)
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo
  serveParent({ url: `http://127.0.0.1:${port}` }, () => last ?? null)
})
