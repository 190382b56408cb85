/**
 * The receiver's floor, run as a child process like the receiver itself: a bare node:http
 * handler that reads the body, `JSON.parse`s it and answers 200 — what any webhook endpoint
 * must do at the least.
 */
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { serveParent } from "../Child.ts"

let parsed = 0
const server = createServer((request, reply) => {
  const chunks: Array<Buffer> = []
  request.on("data", (chunk: Buffer) => chunks.push(chunk))
  request.on("end", () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString("utf8"))
      parsed++
      reply.writeHead(200, { "content-length": 0 })
    } catch {
      reply.writeHead(400, { "content-length": 0 })
    }
    reply.end()
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo
  serveParent({ port }, () => parsed)
})
