/**
 * A recording fake of Mega-API for the tests: an `HttpClient` that keeps every request it gets and
 * answers from a script, plus the spec's own response examples to answer with.
 */
import { readdirSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { RetryPolicy, type WhatsApp } from "@pombo/core"
import { Effect, Layer, Redacted } from "effect"
import { HttpClient, HttpClientError, HttpClientResponse } from "effect/http"
import { parse } from "yaml"
import * as MegaApiClient from "../src/MegaApiClient.ts"
import * as MegaApiWhatsApp from "../src/MegaApiWhatsApp.ts"

/** The token every test configures; it must never show up in an error, log or span. */
export const token = "SECRET-TOKEN-123"
/** An instance key with a character that must be encoded in the path. */
export const instanceKey = "megaapi-MDa1 b2"
export const encodedKey = "megaapi-MDa1%20b2"
export const baseUrl = "https://mega.test"

/** One request as the fake saw it. */
export interface Recorded {
  readonly method: string
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  readonly headers: Readonly<Record<string, string>>
  readonly body: unknown
}

/** How the fake answers one request. */
export type Answer =
  | { readonly status: number; readonly body?: unknown; readonly headers?: Readonly<Record<string, string>> }
  | "refused"
  | "hang"

const decoder = new TextDecoder()

/** A fake `HttpClient` answering with `script(request, index)`, and what it recorded. */
export const fakeHttp = (script: (request: Recorded, index: number) => Answer) => {
  const requests: Array<Recorded> = []
  const client = HttpClient.make((request, url) =>
    Effect.suspend(() => {
      const body = request.body._tag === "Uint8Array" ? JSON.parse(decoder.decode(request.body.body)) : undefined
      const recorded: Recorded = {
        method: request.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: { ...request.headers },
        body
      }
      requests.push(recorded)
      const answer = script(recorded, requests.length - 1)
      if (answer === "hang") return Effect.never
      if (answer === "refused") {
        const cause = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })
        return Effect.fail(
          new HttpClientError.HttpClientError({ reason: new HttpClientError.TransportError({ request, cause }) })
        )
      }
      const text = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body ?? {})
      const response = new Response(text, {
        status: answer.status,
        headers: { "content-type": "application/json", ...answer.headers }
      })
      return Effect.succeed(HttpClientResponse.fromWeb(request, response))
    })
  )
  return { client, requests }
}

/** Retries without waiting, so the tests need no clock. */
export const fastRetry: RetryPolicy.RetryPolicy = { ...RetryPolicy.defaults, baseDelay: 0, maxDelay: 0 }

/** The provider over a fake `HttpClient`. */
export const providerLayer = (
  client: HttpClient.HttpClient,
  options: Partial<MegaApiClient.Options> = {}
): Layer.Layer<WhatsApp.WhatsApp | MegaApiClient.MegaApiClient> =>
  Layer.provideMerge(
    MegaApiWhatsApp.layer,
    MegaApiClient.layer({ instanceKey, token: Redacted.make(token), baseUrl, retry: fastRetry, ...options })
  ).pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient, client)))

const specDir = fileURLToPath(new URL("../../../openapi/megaapi/", import.meta.url))

interface OperationNode {
  readonly operationId?: string
  readonly responses?: Record<
    string,
    { readonly content?: Record<string, { readonly examples?: Record<string, { readonly value: unknown }> }> }
  >
}

interface SpecFile {
  readonly components?: { readonly pathItems?: Record<string, Record<string, OperationNode>> }
}

const successExamples = (() => {
  const byOperation = new Map<string, Array<unknown>>()
  for (const file of readdirSync(specDir).filter((name) => name.endsWith(".yaml"))) {
    const document = parse(readFileSync(specDir + file, "utf8")) as SpecFile
    for (const item of Object.values(document.components?.pathItems ?? {})) {
      for (const operation of Object.values(item)) {
        const examples = operation?.responses?.["200"]?.content?.["application/json"]?.examples
        if (operation?.operationId && examples) {
          byOperation.set(
            operation.operationId,
            Object.values(examples).map((example) => example.value)
          )
        }
      }
    }
  }
  return byOperation
})()

/** The `index`th 200 example the spec documents for `operationId`. */
export const example = (operationId: string, index = 0): unknown => {
  const value = successExamples.get(operationId)?.[index]
  if (value === undefined) throw new Error(`the spec has no 200 example #${index} for ${operationId}`)
  return structuredClone(value)
}
