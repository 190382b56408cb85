/**
 * `@pombo/core`: the provider-agnostic side of Pombo. Import the `WhatsApp` service and the
 * values it works with; pick a provider layer from `@pombo/megaapi`, `@pombo/zapi` or `pombo`.
 * The webhook endpoint is `@pombo/core/WebhookReceiver`, apart so that a process that only sends
 * never loads it.
 */

/** Abstract operation names and capability sets. */
export * as Capability from "./Capability.ts"
/** Contact, group and broadcast ids, and phone number rules. */
export * as ChatId from "./ChatId.ts"
/** Chat-list and profile-picture results. */
export * as ChatInfo from "./ChatInfo.ts"
/** Address-book and phone-lookup results. */
export * as ContactInfo from "./ContactInfo.ts"
/** Unix timestamps in seconds or milliseconds, read one way. */
export * as EpochDate from "./EpochDate.ts"
/** Group results. */
export * as GroupInfo from "./GroupInfo.ts"
/** The in-memory provider for tests. */
export * as InMemoryWhatsApp from "./InMemoryWhatsApp.ts"
/** Instance status, QR and pairing code results. */
export * as Instance from "./Instance.ts"
/** References to messages. */
export * as MessageRef from "./MessageRef.ts"
/** Every operation, declared once: name, group, input and output schemas. */
export * as Operation from "./Operation.ts"
/** What the operations take, as schemas stating WhatsApp's limits. */
export * as OperationInput from "./OperationInput.ts"
/** Stable ids for payloads without one. */
export * as PayloadHash from "./PayloadHash.ts"
/** A provider's call of its generated client: errors mapped, retried as the policy allows. */
export * as ProviderCall from "./ProviderCall.ts"
/** Vendor-only options, namespaced by provider. */
export * as ProviderOptions from "./ProviderOptions.ts"
/** When providers retry, and why a message is never sent twice. */
export * as RetryPolicy from "./RetryPolicy.ts"
/** What a send answers. */
export * as SendReceipt from "./SendReceipt.ts"
/** vCard phone numbers and names. */
export * as VCard from "./VCard.ts"
/** A vendor's webhook decoder, and the wrapper that keeps decoding from ever throwing. */
export * as WebhookDecoder from "./WebhookDecoder.ts"
/** What `getWebhook` answers. */
export * as WebhookInfo from "./WebhookInfo.ts"
/** The `WhatsApp` service. */
export * as WhatsApp from "./WhatsApp.ts"
/** The closed error set. */
export * as WhatsAppError from "./WhatsAppError.ts"
/** Inbound events. */
export * as WhatsAppEvent from "./WhatsAppEvent.ts"
/** Phone numbers, JIDs, group ids and LIDs as vendors send them, read one way. */
export * as WhatsAppId from "./WhatsAppId.ts"
