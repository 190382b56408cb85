/** What the group operations answer. */
import { Schema } from "effect"
import { Contact, Group } from "./ChatId.ts"

declare const GroupParticipant_base: Schema.Class<
  GroupParticipant,
  Schema.Struct<{
    readonly contact: typeof Contact
    readonly role: Schema.Literals<readonly ["member", "admin", "superadmin"]>
  }>,
  {}
>
/** A member of a group and their role. */
export declare class GroupParticipant extends GroupParticipant_base {}
declare const GroupInfo_base: Schema.Class<
  GroupInfo,
  Schema.Struct<{
    readonly group: typeof Group
    readonly subject: Schema.String
    readonly description: Schema.optional<Schema.String>
    readonly owner: Schema.optional<typeof Contact>
    readonly createdAt: Schema.optional<Schema.Date>
    readonly participants: Schema.$Array<typeof GroupParticipant>
  }>,
  {}
>
/** A group: its id, subject and, when the vendor gives them, description, owner and members. */
export declare class GroupInfo extends GroupInfo_base {}
declare const GroupInvite_base: Schema.Class<
  GroupInvite,
  Schema.Struct<{
    readonly url: Schema.String
  }>,
  {}
>
/** A group's invite link (`https://chat.whatsapp.com/…`). */
export declare class GroupInvite extends GroupInvite_base {}
