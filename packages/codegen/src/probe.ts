/**
 * `node packages/codegen/src/probe.ts <spec.yaml>`: a spec author's quick check. Bundles the
 * spec, validates every example against its schema, then starts Prism on it and sends every
 * operation's example request, printing each failure. Exits non-zero on any failure.
 */
import { createLogger } from "@stoplight/prism-core"
import { getHttpOperationsFromSpec } from "@stoplight/prism-http"
import { createServer } from "@stoplight/prism-http-server"
import { loadSpec } from "./Spec.ts"
import { checkExamples, exampleRequest, exampleSecurityHeaders, operationsOf } from "./SpecCheck.ts"

const path = process.argv[2]
if (!path) {
  console.error("usage: node packages/codegen/src/probe.ts <spec.yaml>")
  process.exit(2)
}
const document = await loadSpec(path)
const operations = operationsOf(document)
let failures = 0

const { checked, violations } = checkExamples(document)
for (const violation of violations) {
  failures++
  console.log(`EXAMPLE ${violation.where}: ${violation.errors}`)
}
console.log(`examples: ${checked} checked, ${violations.length} invalid`)

const prismOperations = await getHttpOperationsFromSpec(path)
const server = createServer(prismOperations, {
  cors: false,
  components: { logger: createLogger("prism", { level: "silent" }) },
  config: {
    mock: { dynamic: false },
    validateRequest: true,
    validateResponse: true,
    checkSecurity: true,
    errors: false,
    upstreamProxy: undefined,
    isProxy: false
  }
} as any)
const base = await server.listen(0, "127.0.0.1")
let answered = 0
const pathOperations = operations.filter((op) => op.kind === "path")
for (const op of pathOperations) {
  const request = exampleRequest(document, op)
  const url = new URL(base + request.path)
  for (const [k, v] of Object.entries(request.query)) url.searchParams.set(k, v)
  const headers: Record<string, string> = { ...exampleSecurityHeaders(document, op) }
  if (request.contentType) headers["content-type"] = request.contentType
  const response = await fetch(url, {
    method: request.method,
    headers,
    ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {})
  })
  const text = await response.text()
  if (response.status >= 200 && response.status < 300) {
    answered++
  } else {
    failures++
    const violationsHeader = response.headers.get("sl-violations")
    console.log(
      `PRISM ${op.operationId} ${request.method} ${request.path} → ${response.status} ${violationsHeader ?? text.slice(0, 600)}`
    )
  }
}
await server.close()
console.log(
  `operations: ${pathOperations.length} (${answered} answered 2xx by Prism); webhooks: ${operations.length - pathOperations.length}`
)
process.exit(failures === 0 ? 0 : 1)
