/** What the instance operations answer: connection status, QR code, pairing code. */
import { Schema } from "effect"
import { Contact } from "./ChatId.ts"

/** Whether the instance is connected to a WhatsApp account, and which one. */
export class InstanceStatus extends Schema.Class<InstanceStatus>("pombo/InstanceStatus")({
  connected: Schema.Boolean,
  /** The connected account's number, when the vendor says. */
  phone: Schema.optional(Contact),
  /** The connected account's display name, when the vendor says. */
  name: Schema.optional(Schema.String)
}) {}

/** A QR code to scan with WhatsApp's "linked devices", as a `data:image/png;base64,…` URL. */
export class QrCode extends Schema.Class<QrCode>("pombo/QrCode")({
  image: Schema.String
}) {}

/** A code to type on the phone ("link with phone number") instead of scanning a QR code. */
export class PairingCode extends Schema.Class<PairingCode>("pombo/PairingCode")({
  code: Schema.String
}) {}
