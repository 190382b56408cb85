/**
 * `@pombo/megaapi`: Pombo's WhatsApp service over Mega-API, and the generated Mega-API client
 * for every vendor operation the service does not cover.
 */

/** The Baileys message contents Mega-API relays, generated from Pombo's `openapi/megaapi/baileys.yaml`. */
export * as Baileys from "./generated/Baileys.ts"
/** The wire schemas and client generated from `openapi/megaapi.yaml`. */
export * as Generated from "./generated/MegaApi.ts"
/** The Mega-API client service: the generated client bound to one instance. */
export * as MegaApiClient from "./MegaApiClient.ts"
/** How Mega-API's failures become Pombo's errors. */
export * as MegaApiError from "./MegaApiError.ts"
/** Decoding Mega-API webhooks into `WhatsAppEvent`s. */
export * as MegaApiWebhook from "./MegaApiWebhook.ts"
/** The `WhatsApp` service over Mega-API. */
export * as MegaApiWhatsApp from "./MegaApiWhatsApp.ts"
