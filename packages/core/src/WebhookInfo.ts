/** What `getWebhook` answers. */
import { Schema } from "effect"

/** Where the vendor currently posts inbound events; absent when no webhook is set. */
export class WebhookInfo extends Schema.Class<WebhookInfo>("pombo/WebhookInfo")({
  url: Schema.optional(Schema.String)
}) {}
