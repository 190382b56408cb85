/**
 * The receiver as a plain Node request listener: the routes of `planRoutes` matched by hand and
 * the body read from the request's own events — no HTTP framework between Node and the
 * receiver's steps. Typed structurally, so that these declarations need no Node types.
 */
import { type Context, Effect } from "effect"
import {
  type Answer,
  accessLine,
  decodedSegment,
  type Headers,
  handshakeAnswer,
  type ReadBody,
  type Receiver,
  type Route,
  type RoutePlan,
  redactedPath
} from "./receiverSteps.ts"
import { withoutStackTrace } from "./spans.ts"

/** What the listener reads of a Node `IncomingMessage` (Express's and Fastify's `.raw` included). */
export interface NodeRequest {
  readonly method?: string | undefined
  readonly url?: string | undefined
  /** Express: the URL before a router stripped its mount path. */
  readonly originalUrl?: string | undefined
  readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
  on(event: string, listener: (...args: Array<never>) => void): unknown
}

/** What the listener writes of a Node `ServerResponse`. */
export interface NodeResponse {
  writeHead(status: number, headers: Readonly<Record<string, string>>): unknown
  end(body?: Uint8Array): unknown
}

/** A Node request listener: `createServer(listener)`, `app.post("/webhooks/*path", listener)`. */
export type NodeListener = (request: NodeRequest, response: NodeResponse) => void

const write = (response: NodeResponse, answer: Answer) => {
  response.writeHead(answer.status, answer.headers)
  // No body, no chunk: Node then sends the head alone in one write, not a `writev` of two buffers.
  if (answer.body.byteLength === 0) response.end()
  else response.end(answer.body)
}

/**
 * Reads the whole body, at most `maxBytes` of it: past the limit it stops keeping bytes and
 * reports `"tooLarge"` at once (Node drains the rest once the answer is written, so the
 * connection survives); a client that goes away mid-body gives `"unreadable"`.
 */
const readBody = (request: NodeRequest, maxBytes: number, done: (body: ReadBody) => void) => {
  let chunks: Array<Uint8Array> | undefined = []
  let size = 0
  const settle = (body: ReadBody) => {
    if (chunks === undefined) return
    chunks = undefined
    done(body)
  }
  request.on("data", (chunk: Uint8Array) => {
    if (chunks === undefined) return
    size += chunk.byteLength
    if (size > maxBytes) return settle("tooLarge")
    chunks.push(chunk)
  })
  request.on("end", () => {
    if (chunks === undefined) return
    if (chunks.length === 1) return settle(chunks[0]!)
    const body = new Uint8Array(size)
    let offset = 0
    for (const chunk of chunks) {
      body.set(chunk, offset)
      offset += chunk.byteLength
    }
    settle(body)
  })
  request.on("error", () => settle("unreadable"))
  request.on("close", () => settle("unreadable"))
}

/** A path as vendors post it: no query, no fragment, no doubled or trailing slash. */
const plainPath = /^(?:\/[^/?#]+)+$/

/** The listener over `receiver`'s routes; calls run with `context` (logger, tracer, clock). */
export const nodeListener = (receiver: Receiver, plan: RoutePlan, context: Context.Context<never>): NodeListener => {
  const { answers, accessLog } = receiver
  const { basePath, pathMode, providers, detect } = plan
  const prefix = `${basePath}/`
  // Each provider route's segment under `basePath`, as the request path spells it.
  const named = providers.map((provider) => ({
    ...provider,
    name: provider.path.slice(prefix.length).replace(/\/\*$/, "")
  }))
  const detectLogged = pathMode ? `${basePath}/<redacted>` : basePath === "" ? "/" : basePath
  const log = (method: string, where: Parameters<typeof accessLine>[1], status: number) => {
    if (accessLog) Effect.runForkWith(context)(accessLine(method, where, status))
  }

  // Each admitted call runs in a server span naming the route (never the URL, which may hold the
  // secret), made without a stack trace (an `Error` per call otherwise).
  const spans = new Map<Route, <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>>()
  const spanOf = (route: Route, logged: string) => {
    let span = spans.get(route)
    if (span === undefined) {
      span = Effect.withSpan(
        "http.server POST",
        { kind: "server", attributes: { "http.request.method": "POST", "http.route": logged, "url.path": logged } },
        withoutStackTrace
      )
      spans.set(route, span)
    }
    return span
  }
  const statusOf = (answer: Answer) => Effect.annotateCurrentSpan("http.response.status_code", answer.status)

  // An authenticated call: a slot, the body, then the route's steps in a fiber of the receiver.
  const serve = (
    request: NodeRequest,
    response: NodeResponse,
    route: Route,
    logged: string,
    secret: string | undefined
  ) => {
    const headers = request.headers as Headers
    const respond = (answer: Answer) => {
      write(response, answer)
      if (accessLog) log("POST", { "http.route": logged }, answer.status)
    }
    const gzipped = route.check(headers, secret)
    if (typeof gzipped !== "boolean") return respond(gzipped)
    const refused = receiver.enter()
    if (refused !== undefined) return respond(refused)
    const span = spanOf(route, logged)
    readBody(request, receiver.maxBytes, (body) =>
      receiver.run(span(Effect.tap(route.receive(body, gzipped, headers), statusOf)), context, respond)
    )
  }

  return (request, response) => {
    const method = request.method ?? "GET"
    const url = request.originalUrl ?? request.url ?? "/"
    // As effect's router matches: duplicate and trailing slashes ignored.
    const path = plainPath.test(url)
      ? url
      : url
          .replace(/[?#].*$/s, "")
          .replace(/\/{2,}/g, "/")
          .replace(/(.)\/$/, "$1") || "/"
    const notFound = (where: Parameters<typeof accessLine>[1]) => {
      write(response, answers.notFound)
      log(method, where, 404)
    }
    const inside = basePath === "" || path === basePath || path.startsWith(prefix)
    if (!inside) return notFound({ "http.url": redactedPath(receiver, path) ?? path })
    const rest = basePath === "" ? path.slice(1) : path.slice(prefix.length)
    for (const { name, logged, route, signature } of named) {
      if (signature !== undefined || !pathMode) {
        if (rest !== name) continue
        if (method === "POST") return serve(request, response, route, logged, undefined)
        if (method === "GET" && signature?.handshake !== undefined) {
          const answer = handshakeAnswer(signature.handshake, url)
          write(response, answer)
          return log(method, { "http.route": logged }, answer.status)
        }
        break
      }
      if (!rest.startsWith(`${name}/`)) continue
      if (method !== "POST") break
      return serve(request, response, route, logged, decodedSegment(rest.slice(name.length + 1)))
    }
    if (detect !== undefined && method === "POST") {
      if (pathMode && rest !== "" && !rest.includes("/")) {
        return serve(request, response, detect, detectLogged, decodedSegment(rest))
      }
      if (!pathMode && rest === "") return serve(request, response, detect, detectLogged, undefined)
    }
    notFound(pathMode ? { "http.route": `${basePath}/<redacted>` } : { "http.url": path })
  }
}
