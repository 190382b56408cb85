/**
 * Contract suite, part 1: every operation of each spec, called through its generated client with
 * the spec's own documented example, against Prism serving the same spec. Prism must accept the
 * request (no validation violation, credentials present) and the response must decode with the
 * generated schema. A coverage check fails when any operation was not exercised.
 */
import { loadSpec, type OpenApiDocument, specPath, type Vendor } from "@pombo/codegen/Spec"
import { deref, operationsOf } from "@pombo/codegen/SpecCheck"
import * as MegaApi from "@pombo/megaapi/generated"
import * as Meta from "@pombo/meta/generated"
import * as ZApi from "@pombo/zapi/generated"
import { Effect, Exit, Redacted } from "effect"
import { FetchHttpClient, HttpClient } from "effect/http"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { PrismServer } from "../src/index.ts"

const secret = (value: string) => Redacted.make(value)

const clients: Record<
  Vendor,
  (baseUrl: string, http: HttpClient.HttpClient) => Record<string, (input?: unknown) => Effect.Effect<unknown, unknown>>
> = {
  megaapi: (baseUrl, http) =>
    MegaApi.make(http, { baseUrl, instanceKey: "contract-instance", bearerToken: secret("contract-token") }) as any,
  zapi: (baseUrl, http) =>
    ZApi.make(http, {
      baseUrl,
      instanceId: "CONTRACT-INSTANCE",
      token: secret("CONTRACT-TOKEN"),
      clientToken: secret("contract-client-token"),
      partnerBearer: secret("contract-partner-token")
    }) as any,
  meta: (baseUrl, http) =>
    Meta.make(http, { baseUrl, phoneNumberId: "106540352242922", accessToken: secret("EAAcontracttoken") }) as any
}

const exampleValue = (document: OpenApiDocument, holder: any): unknown => {
  if ("example" in holder) return holder.example
  const first = Object.values<any>(holder.examples ?? {})[0]
  return first === undefined ? undefined : deref(document, first)?.value
}

/** The generated method's input, filled from the spec's examples. */
const exampleInput = (document: OpenApiDocument, op: ReturnType<typeof operationsOf>[number]) => {
  const params: Record<string, unknown> = {}
  for (const parameter of op.parameters) {
    if (parameter["x-pombo-bind"] || (parameter.in !== "path" && parameter.in !== "query")) continue
    const value = exampleValue(document, parameter) ?? exampleValue(document, deref(document, parameter.schema) ?? {})
    if (value !== undefined) params[parameter.name] = value
  }
  const body = deref(document, op.operation.requestBody)
  const [type, mediaType]: [string, any] = Object.entries<any>(body?.content ?? {})[0] ?? ["", undefined]
  const example = mediaType === undefined ? undefined : exampleValue(document, mediaType)
  // A multipart example writes its file parts as text: the client sends them as files.
  const properties = deref(document, mediaType?.schema)?.properties ?? {}
  const payload =
    type === "multipart/form-data" && typeof example === "object" && example !== null
      ? Object.fromEntries(
          Object.entries(example).map(([name, value]) =>
            deref(document, properties[name])?.format === "binary" ? [name, new Blob([String(value)])] : [name, value]
          )
        )
      : example
  return {
    ...(Object.keys(params).length > 0 ? { params } : {}),
    ...(payload === undefined ? {} : { payload })
  }
}

describe.each(["megaapi", "zapi", "meta"] as const)(
  "%s: every spec operation through the generated client",
  (vendor) => {
    let prism: PrismServer.PrismServer
    let document: OpenApiDocument
    const exercised = new Set<string>()

    beforeAll(async () => {
      prism = await PrismServer.start(specPath(vendor))
      document = await loadSpec(specPath(vendor))
    })
    afterAll(async () => {
      await prism?.close()
    })

    it("calls each operation with its documented example; Prism accepts it and the answer decodes", async () => {
      const http = await Effect.runPromise(
        Effect.provide(HttpClient.HttpClient.use(Effect.succeed), FetchHttpClient.layer)
      )
      const client = clients[vendor](prism.url, http)
      const failures: Array<string> = []
      const operations = operationsOf(document).filter((op) => op.kind === "path")
      for (const op of operations) {
        const method = client[op.operationId]
        if (method === undefined) {
          failures.push(`${op.operationId}: no generated method`)
          continue
        }
        const exit = await Effect.runPromiseExit(method(exampleInput(document, op)))
        if (Exit.isSuccess(exit)) exercised.add(op.operationId)
        else failures.push(`${op.operationId}: ${String(Exit.isFailure(exit) ? exit.cause : "")}`.slice(0, 600))
      }
      expect(failures).toEqual([])
      console.log(`${vendor}: ${exercised.size}/${operations.length} operations exercised`)
      expect(exercised.size).toBe(operations.length)
    })
  }
)
