/**
 * `@pombo/zapi`: Pombo's Z-API provider. `ZApiWhatsApp.layerConfig` gives the `WhatsApp` service
 * configured from the environment; `ZApiClient` reaches every Z-API operation, typed.
 */

/** The wire schemas and client generated from `openapi/zapi.yaml`. */
export * as Generated from "./generated/ZApi.ts"
/** The Z-API client service: credentials, timeout, retry policy and the full generated client. */
export * as ZApiClient from "./ZApiClient.ts"
/** How Z-API's failures become Pombo's errors. */
export * as ZApiError from "./ZApiError.ts"
/** Decoding Z-API webhooks into `WhatsAppEvent`s. */
export * as ZApiWebhook from "./ZApiWebhook.ts"
/** The `WhatsApp` service over Z-API. */
export * as ZApiWhatsApp from "./ZApiWhatsApp.ts"
