/**
 * The conformance targets of this repository's providers: each vendor's provider over its Prism
 * mock (rules 1–3), over the recording fake with secrets configured (rules 4–5), and its decoder
 * with the spec's documented webhooks (rule 6).
 */
import { loadSpec, specPath, type Vendor } from "@pombo/codegen/Spec"
import { deref, operationsOf } from "@pombo/codegen/SpecCheck"
import { ChatId, type RetryPolicy, type WhatsApp } from "@pombo/core"
import { MegaApiClient, MegaApiWebhook, MegaApiWhatsApp } from "@pombo/megaapi"
import { MetaClient, MetaWebhook, MetaWhatsApp } from "@pombo/meta"
import { ZApiClient, ZApiWebhook, ZApiWhatsApp } from "@pombo/zapi"
import { type Duration, Effect, Layer, Redacted } from "effect"
import { FetchHttpClient, HttpClient } from "effect/http"
import type { Conformance } from "../src/index.ts"
import { MockWhatsApp } from "../src/index.ts"

/** The group every target's mock knows. */
export const group = new ChatId.Group({ id: "120363019502650977" })

/** The platform's `fetch` client, to reach the mocks. */
export const fetchClient = Effect.runSync(
  HttpClient.HttpClient.use(Effect.succeed).pipe(Effect.provide(FetchHttpClient.layer))
)

const documents = {
  megaapi: await loadSpec(specPath("megaapi")),
  zapi: await loadSpec(specPath("zapi")),
  meta: await loadSpec(specPath("meta"))
}

/** The documented 200 answer of `operationId`. */
const answerOf = (vendor: Vendor, operationId: string): unknown => {
  const document = documents[vendor]
  const operation = operationsOf(document).find((op) => op.operation.operationId === operationId)
  const response = deref(document, operation?.operation.responses?.["200"])
  const examples = response?.content?.["application/json"]?.examples ?? {}
  const first = Object.values<unknown>(examples)[0]
  if (first === undefined) throw new Error(`${vendor} documents no 200 example for ${operationId}`)
  return deref(document, first).value
}

/** Every documented webhook payload of `vendor`. */
const webhookExamples = (vendor: Vendor): Array<unknown> => {
  const document = documents[vendor]
  return operationsOf(document)
    .filter((op) => op.kind === "webhook")
    .flatMap((op) =>
      Object.values<unknown>(
        deref(document, op.operation.requestBody)?.content?.["application/json"]?.examples ?? {}
      ).map((example) => deref(document, example).value)
    )
}

/** The three vendors' targets, the mocks at `urls`. */
export const vendorTargets = (urls: {
  readonly megaapi: string
  readonly zapi: string
  readonly meta: string
}): ReadonlyArray<Conformance.Target> => [
  {
    name: "megaapi",
    layer: (httpClient, options) => MockWhatsApp.providerLayer("megaapi", urls.megaapi, { ...options, httpClient }),
    upstream: fetchClient,
    group,
    vendor: {
      secrets: [MockWhatsApp.credentials.megaapi.token],
      sendTextAnswer: answerOf("megaapi", "sendText"),
      getStatusAnswer: answerOf("megaapi", "instanceStatus")
    },
    webhooks: { decoder: MegaApiWebhook.decoder, examples: webhookExamples("megaapi") }
  },
  {
    name: "zapi",
    layer: (httpClient, options) => MockWhatsApp.providerLayer("zapi", urls.zapi, { ...options, httpClient }),
    upstream: fetchClient,
    group,
    vendor: {
      secrets: [MockWhatsApp.credentials.zapi.token, MockWhatsApp.credentials.zapi.clientToken],
      sendTextAnswer: answerOf("zapi", "sendText"),
      getStatusAnswer: answerOf("zapi", "getInstanceStatus")
    },
    webhooks: { decoder: ZApiWebhook.decoder, examples: webhookExamples("zapi") }
  },
  {
    name: "meta",
    layer: (httpClient, options) => MockWhatsApp.providerLayer("meta", urls.meta, { ...options, httpClient }),
    upstream: fetchClient,
    group,
    vendor: {
      secrets: [MockWhatsApp.credentials.meta.accessToken],
      sendTextAnswer: answerOf("meta", "sendMessage"),
      getStatusAnswer: answerOf("meta", "getPhoneNumberById")
    },
    webhooks: { decoder: MetaWebhook.decoder, examples: webhookExamples("meta") }
  }
]

/** A provider the fault suite (faults.test.ts) plays a failing vendor to. */
export interface FaultTarget {
  readonly name: string
  /** How many secrets the provider is configured with; the suite makes a canary for each. */
  readonly secrets: number
  /** `WhatsApp` over the `HttpClient` in context, at `baseUrl`, with `secrets` as its credentials. */
  readonly layer: (
    baseUrl: string,
    secrets: ReadonlyArray<string>,
    options: { readonly timeout: Duration.Input; readonly retry: RetryPolicy.RetryPolicy }
  ) => Layer.Layer<WhatsApp.WhatsApp, never, HttpClient.HttpClient>
  /** The documented success bodies of the calls `sendText` and `getStatus` make. */
  readonly sendTextAnswer: unknown
  readonly getStatusAnswer: unknown
}

/** Every provider of this repository, as the fault suite drives it. */
export const faultTargets: ReadonlyArray<FaultTarget> = [
  {
    name: "megaapi",
    secrets: 1,
    layer: (baseUrl, [token], { timeout, retry }) =>
      Layer.provideMerge(
        MegaApiWhatsApp.layer,
        MegaApiClient.layer({ baseUrl, instanceKey: "fault-instance", token: Redacted.make(token!), timeout, retry })
      ),
    sendTextAnswer: answerOf("megaapi", "sendText"),
    getStatusAnswer: answerOf("megaapi", "instanceStatus")
  },
  {
    name: "zapi",
    secrets: 2,
    layer: (baseUrl, [token, clientToken], { timeout, retry }) =>
      Layer.provideMerge(
        ZApiWhatsApp.layer,
        ZApiClient.layer({
          baseUrl,
          instanceId: "FAULT-INSTANCE",
          token: Redacted.make(token!),
          clientToken: Redacted.make(clientToken!),
          timeout,
          retry
        })
      ),
    sendTextAnswer: answerOf("zapi", "sendText"),
    getStatusAnswer: answerOf("zapi", "getInstanceStatus")
  },
  {
    name: "meta",
    secrets: 1,
    layer: (baseUrl, [accessToken], { timeout, retry }) =>
      Layer.provideMerge(
        MetaWhatsApp.layer,
        MetaClient.layer({
          baseUrl,
          accessToken: Redacted.make(accessToken!),
          phoneNumberId: MockWhatsApp.credentials.meta.phoneNumberId,
          timeout,
          retry
        })
      ),
    sendTextAnswer: answerOf("meta", "sendMessage"),
    getStatusAnswer: answerOf("meta", "getPhoneNumberById")
  }
]
