/** What the group operations answer. */
import { Schema } from "effect"
import { Contact, Group } from "./ChatId.ts"

/** A member of a group and their role. */
export class GroupParticipant extends Schema.Class<GroupParticipant>("pombo/GroupParticipant")({
  contact: Contact,
  role: Schema.Literals(["member", "admin", "superadmin"])
}) {}

/** A group: its id, subject and, when the vendor gives them, description, owner and members. */
export class GroupInfo extends Schema.Class<GroupInfo>("pombo/GroupInfo")({
  group: Group,
  subject: Schema.String,
  description: Schema.optional(Schema.String),
  owner: Schema.optional(Contact),
  createdAt: Schema.optional(Schema.Date),
  participants: Schema.Array(GroupParticipant)
}) {}

/** A group's invite link (`https://chat.whatsapp.com/…`). */
export class GroupInvite extends Schema.Class<GroupInvite>("pombo/GroupInvite")({
  url: Schema.String
}) {}
