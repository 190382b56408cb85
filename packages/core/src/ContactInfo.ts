/** What the contact operations answer: the address book and phone lookups. */
import { Schema } from "effect"
import { Contact } from "./ChatId.ts"

/** One contact in the instance's address book. */
export class ContactInfo extends Schema.Class<ContactInfo>("pombo/ContactInfo")({
  contact: Contact,
  name: Schema.optional(Schema.String),
  /** The name the contact set for themselves on WhatsApp. */
  pushName: Schema.optional(Schema.String)
}) {}

/** Whether a phone number has WhatsApp; `contact` is the id the vendor resolved it to. */
export class PhoneCheck extends Schema.Class<PhoneCheck>("pombo/PhoneCheck")({
  exists: Schema.Boolean,
  contact: Schema.optional(Contact)
}) {}
