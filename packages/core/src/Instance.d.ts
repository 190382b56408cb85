/** What the instance operations answer: connection status, QR code, pairing code. */
import { Schema } from "effect"
import { Contact } from "./ChatId.ts"

declare const InstanceStatus_base: Schema.Class<
  InstanceStatus,
  Schema.Struct<{
    readonly connected: Schema.Boolean
    /** The connected account's number, when the vendor says. */
    readonly phone: Schema.optional<typeof Contact>
    /** The connected account's display name, when the vendor says. */
    readonly name: Schema.optional<Schema.String>
  }>,
  {}
>
/** Whether the instance is connected to a WhatsApp account, and which one. */
export declare class InstanceStatus extends InstanceStatus_base {}
declare const QrCode_base: Schema.Class<
  QrCode,
  Schema.Struct<{
    readonly image: Schema.String
  }>,
  {}
>
/** A QR code to scan with WhatsApp's "linked devices", as a `data:image/png;base64,…` URL. */
export declare class QrCode extends QrCode_base {}
declare const PairingCode_base: Schema.Class<
  PairingCode,
  Schema.Struct<{
    readonly code: Schema.String
  }>,
  {}
>
/** A code to type on the phone ("link with phone number") instead of scanning a QR code. */
export declare class PairingCode extends PairingCode_base {}
