/**
 * `pombo send <kind> <to> …`: one subcommand per sending operation of `WhatsApp`, derived from
 * core's operation table (`SendOperation.names`) and each operation's input schema, so a new
 * operation or field appears here without a hand-written command. The rules, once:
 *
 * - the command is the operation's name without `send` / `Message` (`sendLinkPreview` →
 *   `link-preview`, `forwardMessage` → `forward`);
 * - a required field is a positional argument, the chat first; an optional one a `--flag`;
 * - a chat or phone is written any common way (`ChatId.parse`, `ChatId.contact`);
 * - a message (`MessageRef`) is `<message-id>` in the chat (`to`, or `--from` when the operation
 *   has its own `to`), with `--from-me` and `--participant`;
 * - media is an http(s) URL, or a local file sent inline (its MIME type from the extension or
 *   `--mime-type`);
 * - a list of flat records is a repeated flag of `key=value` pairs (`--button id=yes,label=Sim`);
 *   anything more nested is a JSON value of the schema's shape (`--sections '[…]'`).
 *
 * Everything the schema checks (lengths, counts, ranges) is checked by the `WhatsApp` service
 * itself: a refused input is an `InvalidRequest` naming the field, and nothing is sent.
 */
import { readFile } from "node:fs/promises"
import { basename, extname } from "node:path"
import { ChatId, MessageRef, Operation, OperationInput, type WhatsApp } from "@pombo/core"
import * as SendOperation from "@pombo/outbox/SendOperation"
import { Data, Effect, Option, type SchemaAST } from "effect"
import { Argument, Command, Flag } from "effect/cli"

/** What one field of an operation's input is, for the command line. */
type Kind =
  | { readonly _tag: "chat" | "contact" | "string" | "number" | "boolean" | "message" | "media" | "json" }
  | { readonly _tag: "choice"; readonly choices: ReadonlyArray<string> }
  | { readonly _tag: "list"; readonly item: Kind }
  | { readonly _tag: "records"; readonly fields: ReadonlyArray<Field> }

/** One field of an input struct. */
interface Field {
  readonly name: string
  readonly optional: boolean
  readonly kind: Kind
}

const isScalar = (kind: Kind) =>
  kind._tag === "string" ||
  kind._tag === "number" ||
  kind._tag === "boolean" ||
  kind._tag === "choice" ||
  kind._tag === "contact" ||
  kind._tag === "chat"

/** The field's kind, read from its schema's AST (the domain types by identity). */
const kindOf = (ast: SchemaAST.AST): Kind => {
  if (ast === ChatId.ChatId.ast) return { _tag: "chat" }
  if (ast === ChatId.Contact.ast) return { _tag: "contact" }
  if (ast === MessageRef.MessageRef.ast) return { _tag: "message" }
  if (ast === OperationInput.MediaSource.ast) return { _tag: "media" }
  switch (ast._tag) {
    case "String":
      return { _tag: "string" }
    case "Number":
      return { _tag: "number" }
    case "Boolean":
      return { _tag: "boolean" }
    case "Union":
      return ast.types.every((member) => member._tag === "Literal" && typeof member.literal === "string")
        ? { _tag: "choice", choices: ast.types.map((member) => String((member as SchemaAST.Literal).literal)) }
        : { _tag: "json" }
    case "Arrays": {
      const item = ast.rest[0]
      if (ast.elements.length > 0 || item === undefined) return { _tag: "json" }
      const itemKind = kindOf(item)
      if (isScalar(itemKind)) return { _tag: "list", item: itemKind }
      if (item._tag === "Objects" && item.indexSignatures.length === 0) {
        const fields = fieldsOf(item)
        if (fields.every((field) => isScalar(field.kind))) return { _tag: "records", fields }
      }
      return { _tag: "json" }
    }
    default:
      return { _tag: "json" }
  }
}

/** The fields of a struct's AST, optional ones unwrapped from their `| undefined`. */
const fieldsOf = (ast: SchemaAST.AST): ReadonlyArray<Field> => {
  if (ast._tag !== "Objects") return []
  return ast.propertySignatures.map((property) => {
    const optional = property.type.context?.isOptional === true
    const type =
      optional && property.type._tag === "Union"
        ? (property.type.types.find((member) => member._tag !== "Undefined") ?? property.type)
        : property.type
    return { name: String(property.name), optional, kind: kindOf(type) }
  })
}

/** `linkPreview` → `link-preview`. */
const kebab = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)

/** The subcommand of an operation: `sendLinkPreview` → `link-preview`, `forwardMessage` → `forward`. */
export const commandName = (operation: SendOperation.Name): string => {
  const bare = operation.replace(/^send(?=[A-Z])/, "").replace(/(?<=.)Message$/, "")
  return kebab(bare.charAt(0).toLowerCase() + bare.slice(1))
}

/** What each operation's command says in `--help`; typed so a new sending operation must say something. */
const descriptions: Record<SendOperation.Name, string> = {
  sendText: "Send a text message",
  sendMedia: "Send an image, video, audio, voice note, document or sticker, from a URL or a local file",
  sendLocation: "Send a location",
  sendContacts: "Send one or more contact cards",
  sendLinkPreview: "Send text with a link preview card",
  sendList: "Send a list (menu) message",
  sendButtons: "Send text with up to three reply buttons",
  sendPoll: "Send a poll",
  sendReaction: "React to a message with an emoji",
  reply: "Reply to a message with text, quoting it",
  sendTemplate: "Send an approved message template (Meta's Cloud API)",
  forwardMessage: "Forward a message to another chat"
}

/** Every top-level field name of a sending operation's input. */
type FieldName = { readonly [N in SendOperation.Name]: keyof Operation.Valid<N> & string }[SendOperation.Name]

/** What each field means, in `--help`; typed so a new field must be described. */
const fieldHelp: Record<FieldName, string> = {
  to: "The chat: a phone number (any common format), a group or a JID",
  text: "The message text",
  mentions: "A group member to mention (repeat for several)",
  kind: "What the media is",
  source: "An http(s) URL the vendor fetches, or a local file sent inline",
  caption: "Text shown under the media",
  fileName: "The file name the recipient sees (default for a local document: its name)",
  latitude: "Latitude in degrees (-90 to 90)",
  longitude: "Longitude in degrees (-180 to 180)",
  name: "The place's, poll's question or template's name",
  address: "The place's address",
  contacts: "A contact card (repeat for several)",
  url: "The link",
  title: "The title",
  description: "The preview's description",
  imageUrl: "The preview's image URL",
  buttonText: "The label of the button that opens the list",
  footer: "Small text under the message",
  sections: 'The list\'s sections, as JSON: [{"title":"…","rows":[{"id":"…","title":"…","description":"…"}]}]',
  buttons: "A reply button (repeat for up to three)",
  options: "The poll's options (2 to 12)",
  selectableCount: "How many options one person may pick (default 1)",
  message: "The message's id (its WhatsApp id, as a send or webhook reported it)",
  emoji: "One emoji",
  language: "The template's language code as approved, e.g. pt_BR",
  components:
    'The values of the template\'s variables, as JSON: [{"type":"body","parameters":[{"_tag":"Text","text":"Maria"}]}]'
}

/** A value given on the command line that cannot become the operation's input. */
export class InvalidArgument extends Data.TaggedError("InvalidArgument")<{ readonly message: string }> {}

const flagName = (field: string) => kebab(field)

/** A repeated flag is named for one item: `--mention`, `--contact`, `--button`. */
const singular = (flag: string) => flag.replace(/s$/, "")

/** Where a field means something narrower in one operation than `fieldHelp` says. */
const operationFieldHelp: { readonly [N in SendOperation.Name]?: Partial<Record<keyof Operation.Valid<N>, string>> } = {
  sendLocation: { name: "The place's name" },
  sendPoll: { name: "The question" },
  sendTemplate: { name: "The template's name, as approved (lowercase, digits, _)" },
  sendList: { title: "The list's title" },
  sendLinkPreview: { title: "The preview's title" }
}

/** The help text of a field of an operation: its meaning, and for a choice the values it takes. */
const describe = (operation: SendOperation.Name, field: Field | string): string => {
  const name = typeof field === "string" ? field : field.name
  const text =
    (operationFieldHelp[operation] as Record<string, string> | undefined)?.[name] ??
    (fieldHelp as Record<string, string>)[name] ??
    name
  return typeof field !== "string" && field.kind._tag === "choice" ? `${text}: ${field.kind.choices.join(", ")}` : text
}

/** The flag of one optional or repeated field. */
const flagOf = (operation: SendOperation.Name, field: Field) => {
  const name = flagName(field.name)
  const text = describe(operation, field)
  const { kind } = field
  switch (kind._tag) {
    case "boolean":
      return Flag.Boolean(name).pipe(Flag.withDescription(text), Flag.optional)
    case "number":
      return Flag.Finite(name).pipe(Flag.withDescription(text), Flag.optional)
    case "choice":
      return Flag.Literals(name, kind.choices).pipe(Flag.withDescription(text), Flag.optional)
    case "list":
      return Flag.String(singular(name)).pipe(Flag.withDescription(text), Flag.atLeast(field.optional ? 0 : 1))
    case "records": {
      const shape = kind.fields.map((f) => (f.optional ? `[,${f.name}=…]` : `${f.name}=…`)).join(",")
      return Flag.String(singular(name)).pipe(
        Flag.withDescription(`${text}: ${shape.replace(/,\[,/g, "[,")}`),
        Flag.withMetavar("key=value,…"),
        Flag.atLeast(field.optional ? 0 : 1)
      )
    }
    case "json":
      return Flag.String(name).pipe(
        Flag.withDescription(text),
        Flag.withMetavar("json"),
        field.optional ? Flag.optional : (flag) => Flag.map(flag, Option.some)
      )
    default:
      return Flag.String(name).pipe(Flag.withDescription(text), Flag.optional)
  }
}

/** The positional argument of one required field. */
const argumentOf = (operation: SendOperation.Name, field: Field) => {
  const text = describe(operation, field)
  const { kind } = field
  if (kind._tag === "number") return Argument.Finite(flagName(field.name)).pipe(Argument.withDescription(text))
  if (kind._tag === "choice")
    return Argument.Literals(flagName(field.name), kind.choices).pipe(Argument.withDescription(text))
  if (kind._tag === "list") {
    return Argument.String(flagName(field.name)).pipe(Argument.withDescription(text), Argument.variadic({ min: 1 }))
  }
  return Argument.String(flagName(field.name)).pipe(Argument.withDescription(text))
}

const toNumber = (name: string, value: string) => {
  const number = Number(value)
  return value.trim() !== "" && Number.isFinite(number)
    ? Effect.succeed(number)
    : Effect.fail(new InvalidArgument({ message: `${name} must be a number, got ${JSON.stringify(value)}` }))
}

/** A scalar value from its text. */
const scalar = (
  name: string,
  kind: Kind,
  value: string
): Effect.Effect<unknown, InvalidArgument | ChatId.InvalidChatId> => {
  switch (kind._tag) {
    case "chat":
      return ChatId.parse(value)
    case "contact":
      return ChatId.contact(value)
    case "number":
      return toNumber(name, value)
    case "boolean":
      return /^(true|yes|1)$/i.test(value)
        ? Effect.succeed(true)
        : /^(false|no|0)$/i.test(value)
          ? Effect.succeed(false)
          : Effect.fail(new InvalidArgument({ message: `${name} must be true or false, got ${JSON.stringify(value)}` }))
    default:
      return Effect.succeed(value)
  }
}

/** `name=Maria Silva,phone=+55…` as a record of the given fields (a comma starts a pair only before `key=`). */
const recordOf = (flag: string, fields: ReadonlyArray<Field>, text: string) =>
  Effect.gen(function* () {
    const keys = fields.map((field) => field.name)
    const split = new RegExp(`,(?=(?:${keys.join("|")})=)`)
    const record: Record<string, unknown> = {}
    for (const pair of text.split(split)) {
      const at = pair.indexOf("=")
      const key = pair.slice(0, at)
      const field = fields.find((f) => f.name === key)
      if (at < 0 || field === undefined) {
        return yield* new InvalidArgument({
          message: `--${flag} ${JSON.stringify(text)}: expected ${keys.map((k) => `${k}=…`).join(",")}`
        })
      }
      record[key] = yield* scalar(`--${flag} ${key}`, field.kind, pair.slice(at + 1))
    }
    return record
  })

/** MIME types by extension, for local files sent inline. */
const mimeTypes: Record<string, string> = {
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".png": "image/png",
  ".webp": "image/webp",
  ".gif": "image/gif",
  ".mp4": "video/mp4",
  ".3gp": "video/3gpp",
  ".mov": "video/quicktime",
  ".mp3": "audio/mpeg",
  ".ogg": "audio/ogg",
  ".opus": "audio/ogg",
  ".m4a": "audio/mp4",
  ".aac": "audio/aac",
  ".amr": "audio/amr",
  ".wav": "audio/wav",
  ".pdf": "application/pdf",
  ".txt": "text/plain",
  ".csv": "text/csv",
  ".json": "application/json",
  ".zip": "application/zip",
  ".doc": "application/msword",
  ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  ".xls": "application/vnd.ms-excel",
  ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  ".ppt": "application/vnd.ms-powerpoint",
  ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"
}

/** Media from a URL, or a local file read and sent inline. */
const mediaOf = (value: string, mimeType: Option.Option<string>) =>
  Effect.gen(function* () {
    if (/^https?:\/\//i.test(value)) return { _tag: "Url" as const, url: value }
    const type = Option.getOrUndefined(mimeType) ?? mimeTypes[extname(value).toLowerCase()]
    if (type === undefined) {
      return yield* new InvalidArgument({
        message: `cannot tell the MIME type of ${JSON.stringify(basename(value))}: pass --mime-type (e.g. image/png)`
      })
    }
    const bytes = yield* Effect.tryPromise({
      try: () => readFile(value),
      catch: () =>
        new InvalidArgument({
          message: `${JSON.stringify(value)} is neither an http(s) URL nor a readable file`
        })
    })
    return { _tag: "Base64" as const, data: bytes.toString("base64"), mimeType: type }
  })

/** The flags a message reference adds: who sent it, and (with the operation's own `to`) its chat. */
const messageFlags = (hasTo: boolean) => ({
  ...(hasTo
    ? {
        from: Flag.String("from").pipe(
          Flag.withDescription("The chat the message is in (a phone number, group or JID)"),
          Flag.map(Option.some)
        )
      }
    : {}),
  fromMe: Flag.Boolean("from-me").pipe(
    Flag.withDescription("The message was sent by this instance"),
    Flag.withDefault(false)
  ),
  participant: Flag.String("participant").pipe(
    Flag.withDescription("In a group, the member who sent the message"),
    Flag.optional
  )
})

/** What a send prints: the receipt, for people or as JSON. */
export interface SendOutput {
  readonly provider: string
  readonly operation: SendOperation.Name
  /** The chat it went to, as `ChatId.display` shows it. */
  readonly to: string
  readonly messageId: string
  readonly acceptedAt: string
}

/** Sends one operation with the input read from its arguments (failing before anything is sent when they are bad). */
export type Run<R> = (
  operation: SendOperation.Name,
  input: Effect.Effect<object, InvalidArgument | ChatId.InvalidChatId>,
  asJson: boolean
) => Effect.Effect<void, never, R>

/** Builds the subcommand of one sending operation. */
const commandOf = <R>(operation: SendOperation.Name, run: Run<R>, json: Flag.Flag<boolean>) => {
  const fields = fieldsOf(Operation.operations[operation].input!.ast)
  const hasTo = fields.some((field) => field.name === "to")
  const message = fields.find((field) => field.kind._tag === "message")
  const media = fields.find((field) => field.kind._tag === "media")
  const positional: Record<string, Argument.Argument<unknown>> = {}
  const flags: Record<string, Flag.Flag<unknown>> = {}
  // The chat comes first: `to`, or the chat of the message the operation acts on.
  const chatArgument = Argument.String("to").pipe(
    Argument.withDescription(
      hasTo ? describe(operation, "to") : "The chat the message is in (a phone number, group or JID)"
    )
  )
  positional.to = chatArgument
  for (const field of fields) {
    if (field.name === "to") continue
    if (field.kind._tag === "message") {
      positional.message = Argument.String("message-id").pipe(Argument.withDescription(describe(operation, "message")))
      continue
    }
    const repeated = field.kind._tag === "records" || field.kind._tag === "json"
    if (field.optional || repeated || field.kind._tag === "boolean") flags[field.name] = flagOf(operation, field)
    else positional[field.name] = argumentOf(operation, field)
  }
  if (message !== undefined) Object.assign(flags, messageFlags(hasTo))
  if (media !== undefined) {
    flags.mimeType = Flag.String("mime-type").pipe(
      Flag.withDescription("A local file's MIME type (default: from its extension)"),
      Flag.optional
    )
  }
  return Command.make(commandName(operation), { ...positional, ...flags, json }, (parsed) => {
    const values = parsed as Record<string, unknown>
    const input = Effect.gen(function* () {
      const result: Record<string, unknown> = {}
      const chat = yield* ChatId.parse(values.to as string)
      if (hasTo) result.to = chat
      for (const field of fields) {
        if (field.name === "to") continue
        const value = values[field.name]
        const { kind } = field
        if (kind._tag === "message") {
          const participant = values.participant as Option.Option<string>
          result[field.name] = new MessageRef.MessageRef({
            chat: hasTo ? yield* ChatId.parse(Option.getOrThrow(values.from as Option.Option<string>)) : chat,
            id: values.message as string,
            fromMe: values.fromMe as boolean,
            ...(Option.isSome(participant) ? { participant: yield* ChatId.contact(participant.value) } : {})
          })
        } else if (kind._tag === "media") {
          result[field.name] = yield* mediaOf(value as string, values.mimeType as Option.Option<string>)
        } else if (kind._tag === "list") {
          result[field.name] = yield* Effect.forEach(value as ReadonlyArray<string>, (item) =>
            scalar(`--${singular(flagName(field.name))}`, kind.item, item)
          )
          if (field.optional && (value as ReadonlyArray<string>).length === 0) delete result[field.name]
        } else if (kind._tag === "records") {
          const items = value as ReadonlyArray<string>
          if (!(field.optional && items.length === 0)) {
            const flag = singular(flagName(field.name))
            result[field.name] = yield* Effect.forEach(items, (item) => recordOf(flag, kind.fields, item))
          }
        } else if (kind._tag === "json") {
          const text = value as Option.Option<string>
          if (Option.isSome(text)) {
            result[field.name] = yield* Effect.try({
              try: () => JSON.parse(text.value) as unknown,
              catch: (cause) =>
                new InvalidArgument({
                  message: `--${flagName(field.name)} is not JSON: ${cause instanceof Error ? cause.message : String(cause)}`
                })
            })
          }
        } else if (Option.isOption(value)) {
          if (Option.isSome(value))
            result[field.name] = yield* scalar(`--${flagName(field.name)}`, kind, String(value.value))
        } else {
          result[field.name] = yield* scalar(flagName(field.name), kind, String(value))
        }
      }
      // A local document keeps its own name unless told otherwise.
      if (
        media !== undefined &&
        result.kind === "document" &&
        result.fileName === undefined &&
        (result[media.name] as { _tag: string })._tag === "Base64"
      ) {
        result.fileName = basename(values[media.name] as string)
      }
      return result
    })
    return run(operation, input, values.json as boolean)
  }).pipe(Command.withDescription(descriptions[operation]))
}

/** What a sending operation answers. */
type Sent = ReturnType<WhatsApp.Shape["sendText"]>

/** Calls a sending operation of the service with the input read from the arguments (the service validates it). */
export const call = (service: WhatsApp.Shape, operation: SendOperation.Name, input: object): Sent =>
  (service[operation] as (input: object) => Sent)(input)

/** The `send` subcommands, in service order; `run` sends the input read from the arguments. */
export const commands = <R>(run: Run<R>, json: Flag.Flag<boolean>) =>
  SendOperation.names.map((operation) => commandOf(operation, run, json))
