/**
 * `@pombo/core`: the provider-agnostic side of Pombo. Import the `WhatsApp` service and the
 * values it works with; pick a provider layer from `@pombo/megaapi`, `@pombo/zapi` or `pombo`.
 */

/** Abstract operation names and capability sets. */
export * as Capability from "./Capability.ts"
/** Contact, group and broadcast ids, and phone number rules. */
export * as ChatId from "./ChatId.ts"
/** Operation inputs and their validation. */
export * as Content from "./Content.ts"
/** Chat, contact, profile-picture and webhook results. */
export * as Directory from "./Directory.ts"
/** Group results. */
export * as GroupInfo from "./GroupInfo.ts"
/** The in-memory provider for tests. */
export * as InMemoryWhatsApp from "./InMemoryWhatsApp.ts"
/** Instance status, QR and pairing code results. */
export * as Instance from "./Instance.ts"
/** References to messages. */
export * as MessageRef from "./MessageRef.ts"
/** Stable ids for payloads that carry none. */
export * as PayloadHash from "./PayloadHash.ts"
/** When providers retry, and why a message is never sent twice. */
export * as RetryPolicy from "./RetryPolicy.ts"
/** What a send answers. */
export * as SendReceipt from "./SendReceipt.ts"
/** The webhook endpoint: authenticates, bounds, dedupes and decodes vendor calls. */
export * as WebhookReceiver from "./WebhookReceiver.ts"
/** The `WhatsApp` service. */
export * as WhatsApp from "./WhatsApp.ts"
/** The closed error set. */
export * as WhatsAppError from "./WhatsAppError.ts"
/** Inbound events. */
export * as WhatsAppEvent from "./WhatsAppEvent.ts"
