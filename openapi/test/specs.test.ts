/**
 * The specs checked against themselves and their tools: Redocly's recommended lint is clean,
 * every example (requests, responses, parameters, webhooks) validates against its schema, every
 * `x-pombo-capability` names an abstract operation, and Prism answers every operation's own
 * example request.
 */
import { execFileSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { loadSpec, type OpenApiDocument, specPath, vendors } from "@pombo/codegen/Spec"
import {
  checkExamples,
  deref,
  type ExampleRequest,
  exampleRequest,
  exampleSecurityHeaders,
  operationsOf,
  type SpecOperation
} from "@pombo/codegen/SpecCheck"
import { Capability } from "@pombo/core"
import { PrismServer } from "@pombo/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const root = fileURLToPath(new URL("../..", import.meta.url))

/**
 * Every spec under test, with the fewest operations each must describe (Meta's Cloud API spec
 * covers only what Pombo uses of Meta's much larger document).
 */
const minimumOperations: Record<(typeof vendors)[number], number> = { megaapi: 40, zapi: 40, meta: 10 }
const specs = vendors.map((vendor) => ({
  vendor,
  path: specPath(vendor),
  minimumOperations: minimumOperations[vendor]
}))

/** The body of an example request as fetch sends it: JSON, or form fields (a binary field as a file). */
const encodeBody = (document: OpenApiDocument, op: SpecOperation, request: ExampleRequest) => {
  if (request.body === undefined || request.contentType === undefined) return {}
  if (!request.contentType.startsWith("multipart/form-data")) {
    return { body: JSON.stringify(request.body), headers: { "content-type": request.contentType } }
  }
  const schema = deref(document, deref(document, op.operation.requestBody).content[request.contentType].schema)
  const form = new FormData()
  for (const [name, value] of Object.entries<unknown>(request.body as Record<string, unknown>)) {
    const binary = deref(document, schema.properties?.[name])?.format === "binary"
    form.append(
      name,
      binary ? new Blob([String(value)], { type: "image/jpeg" }) : String(value),
      ...(binary ? [name] : [])
    )
  }
  return { body: form, headers: {} }
}

describe.each(specs)("$vendor spec", ({ vendor, path, minimumOperations }) => {
  let document: OpenApiDocument
  let prism: PrismServer.PrismServer

  beforeAll(async () => {
    document = await loadSpec(path)
    prism = await PrismServer.start(path)
  })
  afterAll(() => prism?.close())

  it("passes Redocly's recommended lint with no errors and no warnings", () => {
    const output = execFileSync(
      fileURLToPath(new URL("../../node_modules/.bin/redocly", import.meta.url)),
      ["lint", vendor, "--format=json"],
      { cwd: root, env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" } }
    ).toString()
    const report = JSON.parse(output.slice(output.indexOf("{")))
    const problems = report.problems.map((p: any) => `${p.severity} ${p.ruleId}: ${p.message}`)
    expect(problems).toEqual([])
  })

  it("has unique operation ids, and every operation has a tag, a summary and a 4xx response", () => {
    const operations = operationsOf(document)
    const ids = operations.map((op) => op.operationId)
    expect(new Set(ids).size).toBe(ids.length)
    for (const op of operations.filter((o) => o.kind === "path")) {
      expect(op.operation.tags?.length, op.operationId).toBeGreaterThan(0)
      expect(op.operation.summary, op.operationId).toBeTruthy()
      expect(
        Object.keys(op.operation.responses ?? {}).some((s) => s.startsWith("4")),
        op.operationId
      ).toBe(true)
    }
  })

  it("has examples that all validate against their schemas, webhooks included", () => {
    const { checked, violations } = checkExamples(document)
    expect(violations).toEqual([])
    expect(checked).toBeGreaterThan(100)
    const webhookExamples = operationsOf(document).filter((op) => op.kind === "webhook")
    expect(webhookExamples.length).toBeGreaterThan(10)
  })

  it("names only abstract operations in x-pombo-capability", () => {
    const named = operationsOf(document).flatMap((op) => [op.operation["x-pombo-capability"] ?? []].flat())
    expect(named.length).toBeGreaterThan(15)
    expect(named.filter((name: string) => !Capability.isCapability(name))).toEqual([])
  })

  it("is answered by Prism for every documented example request body of every operation", async () => {
    const refused: Array<string> = []
    let sent = 0
    const operations = operationsOf(document).filter((op) => op.kind === "path")
    for (const op of operations) {
      const request = exampleRequest(document, op)
      const url = new URL(prism.url + request.path)
      for (const [key, value] of Object.entries(request.query)) url.searchParams.set(key, value)
      // Every named example, not only the first: the alternative forms a vendor accepts (a
      // coordinate as a number, a body without an optional field) are examples too.
      const bodies = request.body === undefined ? [["(no body)", undefined] as const] : requestBodyExamples(op)
      for (const [name, body] of bodies) {
        sent++
        const encoded = encodeBody(document, op, { ...request, body })
        const response = await fetch(url, {
          method: request.method,
          headers: { ...exampleSecurityHeaders(document, op), ...encoded.headers },
          ...(encoded.body === undefined ? {} : { body: encoded.body })
        })
        await response.arrayBuffer()
        if (!response.ok) {
          refused.push(`${op.operationId}/${name} → ${response.status} ${response.headers.get("sl-violations") ?? ""}`)
        }
      }
    }
    expect(refused).toEqual([])
    expect(operations.length).toBeGreaterThan(minimumOperations)
    expect(sent).toBeGreaterThan(operations.length)
  })

  /** Every named example of the operation's request body, as [name, value] pairs. */
  const requestBodyExamples = (op: SpecOperation): ReadonlyArray<readonly [string, unknown]> => {
    const body = deref(document, op.operation.requestBody)
    const [, mediaType] = Object.entries<any>(body?.content ?? {})[0] ?? []
    if ("example" in mediaType) return [["example", mediaType.example] as const]
    return Object.entries<any>(mediaType.examples ?? {}).map(
      ([name, example]) => [name, deref(document, example)?.value] as const
    )
  }
})
