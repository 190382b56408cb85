/**
 * `@pombo/meta`: Pombo's provider for Meta's official WhatsApp Cloud API.
 * `MetaWhatsApp.layerConfig` gives the `WhatsApp` service configured from the environment;
 * `MetaClient` reaches every Cloud API operation Pombo describes, typed.
 */

/** The wire schemas and client generated from `openapi/meta.yaml`. */
export * as Generated from "./generated/Meta.ts"
/** The Meta client service: token, phone number id, timeout, retry policy and the full generated client. */
export * as MetaClient from "./MetaClient.ts"
/** How Meta's error codes become Pombo's errors. */
export * as MetaError from "./MetaError.ts"
/** Decoding Meta webhooks into `WhatsAppEvent`s. */
export * as MetaWebhook from "./MetaWebhook.ts"
/** The `WhatsApp` service over Meta's Cloud API. */
export * as MetaWhatsApp from "./MetaWhatsApp.ts"
