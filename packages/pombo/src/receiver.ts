/**
 * `pombo/receiver`: the webhook endpoint the vendors post to — `WebhookReceiver.layer` (or
 * `make`) in your `effect/http` router, served on `createServer(WebhookReceiver.serverOptions())`,
 * or `WebhookReceiver.toNodeListener`, the same receiver as a plain `node:http` request listener.
 * Kept out of the main entry so that a process that only sends never loads it. The decoders come
 * with their providers (`pombo/megaapi`, `pombo/zapi`, `pombo/meta`); the durable variant is
 * `InboxReceiver` in `pombo/inbox`.
 */

/** The webhook endpoint: authenticates, bounds, dedupes and decodes vendor calls, then hands the events over. */
export * as WebhookReceiver from "@pombo/core/WebhookReceiver"
