/**
 * Reads a bundled spec into what the emitter needs: every schema to export (with its name), the
 * operations with their parameters, bodies, responses and security, the servers and webhooks.
 * Everything the generator cannot express fails here, with the spec location in the message.
 */
import type { OpenApiDocument } from "./Spec.ts"
import { deref, findParameterPointer, operationsOf, type SpecOperation } from "./SpecCheck.ts"

/** A schema the generated module exports as a `Schema` constant and a type of the same name. */
export interface NamedSchema {
  readonly name: string
  /** Where it sits in the bundled document (a JSON pointer), or a synthetic key for `Params`. */
  readonly pointer: string
  /** An OpenAPI 3.1 schema; `#/components/schemas/...` references point at other named schemas. */
  readonly schema: Record<string, unknown>
  /** What it is, for its doc comment when the schema has no description. */
  readonly role: string
}

/** How a body is carried: decoded JSON, text, bytes, or nothing. */
export type BodyKind = "json" | "text" | "bytes" | "void"

/** A documented success response. */
export interface SuccessModel {
  readonly status: string
  readonly kind: BodyKind
  readonly mediaType: string | undefined
  /** The named schema of a JSON body. */
  readonly schemaName: string | undefined
}

/** A parameter of an operation. */
export interface ParameterModel {
  readonly name: string
  readonly in: "path" | "query" | "header"
  readonly required: boolean
  /** The client option supplying it (`x-pombo-bind`), if bound. */
  readonly bind: string | undefined
  readonly secret: boolean
}

/** How one credential is sent; `option` is the client option holding it. */
export interface CredentialModel {
  readonly option: string
  readonly kind: "bearer" | "header" | "query"
  readonly name: string
}

/** One operation under `paths`. */
export interface OperationModel {
  readonly operationId: string
  readonly method: string
  readonly path: string
  readonly tags: ReadonlyArray<string>
  readonly summary: string | undefined
  readonly deprecated: boolean
  readonly capabilities: ReadonlyArray<string>
  readonly idempotent: boolean
  readonly parameters: ReadonlyArray<ParameterModel>
  /** The named schema of the unbound parameters, when there are any. */
  readonly paramsSchema: string | undefined
  readonly paramsRequired: boolean
  /**
   * The request body: JSON, or `multipart/form-data` whose `binaryFields` (`format: binary`) are
   * sent as file parts (a `Blob` in the payload) and every other field as a text part.
   */
  readonly payload:
    | {
        readonly schemaName: string
        readonly required: boolean
        readonly encoding: "json" | "multipart"
        readonly binaryFields: ReadonlyArray<string>
      }
    | undefined
  readonly security: ReadonlyArray<ReadonlyArray<CredentialModel>>
  readonly success: ReadonlyArray<SuccessModel>
  readonly errors: ReadonlyArray<{ readonly status: string; readonly schemaName: string }>
}

/** A client option: a bound parameter or a credential. */
export interface OptionModel {
  readonly name: string
  readonly secret: boolean
  readonly required: boolean
  readonly description: string
}

/**
 * What the generated module offers for a schema of the spec, by the schema's JSON pointer (as
 * `SpecCheck.examplesOf` reports it): an exported schema (or one field of it, for a parameter), a
 * client option for a bound parameter, or a text or bytes body that has no schema of its own.
 */
export type SchemaLocation =
  | {
      readonly pointer: string
      readonly kind: "schema"
      readonly schemaName: string
      readonly field?: string
      /** A multipart body's file parts: in its examples, but sent as files rather than validated. */
      readonly fileParts?: ReadonlyArray<string>
    }
  | { readonly pointer: string; readonly kind: "option"; readonly option: string }
  | { readonly pointer: string; readonly kind: "text" | "bytes" }

/** Everything the emitter reads. */
export interface ApiModel {
  readonly title: string
  readonly version: string
  readonly schemas: ReadonlyArray<NamedSchema>
  readonly operations: ReadonlyArray<OperationModel>
  readonly options: ReadonlyArray<OptionModel>
  readonly server: { readonly url: string; readonly variables: ReadonlyArray<ServerVariable> } | undefined
  readonly webhooks: ReadonlyArray<{ readonly name: string; readonly schemaName: string }>
  readonly locations: ReadonlyArray<SchemaLocation>
}

/** A variable of the first server's URL template. */
export interface ServerVariable {
  readonly name: string
  readonly default: string
  readonly enum: ReadonlyArray<string> | undefined
  readonly description: string | undefined
}

/** The generator met something it cannot express; the message names the spec location. */
export class UnsupportedSpecError extends Error {
  override readonly name = "UnsupportedSpecError"
}

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/** `sendText` → `SendText`. */
export const pascalCase = (name: string): string =>
  name
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("")

/** `PartnerBearer` → `partnerBearer`, `client-token` → `clientToken`. */
export const camelCase = (name: string): string => {
  const pascal = pascalCase(name)
  return pascal.length === 0 ? pascal : pascal[0]!.toLowerCase() + pascal.slice(1)
}

const escapePointer = (segment: string): string => segment.replaceAll("~", "~0").replaceAll("/", "~1")

const componentRef = /^#\/components\/schemas\/([^/]+)$/

const isJsonMediaType = (mediaType: string): boolean => /^application\/(.+\+)?json(;.*)?$/i.test(mediaType)

/** Picks the media type a body is read as: JSON first, then text, then bytes. */
const pickMediaType = (content: Record<string, any>): [string, any] | undefined => {
  const entries = Object.entries<any>(content)
  return (
    entries.find(([type]) => isJsonMediaType(type)) ?? entries.find(([type]) => /^text\//i.test(type)) ?? entries[0]
  )
}

const idempotentMethods = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"])

/** Collects named schemas, giving each JSON pointer one name and refusing duplicate names. */
class SchemaNames {
  readonly schemas: Array<NamedSchema> = []
  readonly locations: Array<SchemaLocation> = []
  private readonly byPointer = new Map<string, string>()
  private readonly taken = new Map<string, string>()

  add(name: string, pointer: string, schema: Record<string, unknown>, role: string): string {
    const existing = this.byPointer.get(pointer)
    if (existing !== undefined) return existing
    if (!/^[A-Z_$][A-Za-z0-9_$]*$/.test(name)) {
      throw new UnsupportedSpecError(
        `${pointer}: "${name}" is not a PascalCase TypeScript identifier (Effect would rename it); rename it`
      )
    }
    const clash = this.taken.get(name)
    if (clash !== undefined) {
      throw new UnsupportedSpecError(
        `${pointer}: the generated name "${name}" is already used by ${clash}; rename one of them`
      )
    }
    this.taken.set(name, pointer)
    this.byPointer.set(pointer, name)
    this.schemas.push({ name, pointer, schema, role })
    return name
  }

  /** The name of a body schema: the component it references, or `fallback` for an inline one. */
  bodySchema(document: OpenApiDocument, schema: any, pointer: string, fallback: string, role: string): string {
    const name = this.bodySchemaName(document, schema, pointer, fallback, role)
    this.locate({ pointer, kind: "schema", schemaName: name })
    return name
  }

  private bodySchemaName(document: OpenApiDocument, schema: any, pointer: string, fallback: string, role: string) {
    const ref = typeof schema?.$ref === "string" ? componentRef.exec(schema.$ref) : null
    if (ref) {
      const name = ref[1]!.replaceAll("~1", "/").replaceAll("~0", "~")
      if (document.components?.schemas?.[name] === undefined) {
        throw new UnsupportedSpecError(`${pointer}: ${schema.$ref} does not exist`)
      }
      return name
    }
    return this.add(fallback, pointer, schema ?? {}, role)
  }

  /**
   * Replaces the schema a multipart body is generated from (its file parts left out: JSON Schema
   * cannot type a file) and records the file parts where its examples are located.
   */
  reshape(name: string, schema: Record<string, unknown>, pointer: string, fileParts: ReadonlyArray<string>): void {
    const index = this.schemas.findIndex((named) => named.name === name)
    if (index >= 0) this.schemas[index] = { ...this.schemas[index]!, schema }
    const at = this.locations.findIndex((location) => location.pointer === pointer)
    if (at >= 0) this.locations[at] = { pointer, kind: "schema", schemaName: name, fileParts }
  }

  /** Records what the module offers for the schema at a pointer (the first record wins). */
  locate(location: SchemaLocation): void {
    if (!this.locations.some((known) => known.pointer === location.pointer)) this.locations.push(location)
  }
}

/** The pointer and target of a possibly-referenced object (response, request body). */
const located = (document: OpenApiDocument, value: any, pointer: string): { node: any; pointer: string } =>
  typeof value?.$ref === "string" && value.$ref.startsWith("#/")
    ? { node: deref(document, value), pointer: value.$ref.slice(1) }
    : { node: value, pointer }

/** The component name a `$ref` points at (`#/components/responses/BadRequest` → `BadRequest`). */
const refName = (value: any): string | undefined =>
  typeof value?.$ref === "string" ? value.$ref.split("/").pop() : undefined

const readCapabilities = (op: SpecOperation): Array<string> => {
  const raw = op.operation["x-pombo-capability"]
  if (raw === undefined) return []
  const list = Array.isArray(raw) ? raw : [raw]
  if (!list.every((item) => typeof item === "string" && identifier.test(item))) {
    throw new UnsupportedSpecError(`${op.pointer}: x-pombo-capability must be a name or a list of names`)
  }
  return list
}

const readSecurity = (
  document: OpenApiDocument,
  op: SpecOperation,
  credentials: Map<string, CredentialModel>
): Array<Array<CredentialModel>> => {
  const requirements: Array<Record<string, unknown>> = op.operation.security ?? document.security ?? []
  return requirements.map((requirement) =>
    Object.keys(requirement).map((scheme) => {
      const credential = credentials.get(scheme)
      if (credential === undefined) {
        throw new UnsupportedSpecError(`${op.pointer}: security scheme "${scheme}" is not declared`)
      }
      return credential
    })
  )
}

const readCredentials = (document: OpenApiDocument): Map<string, CredentialModel> => {
  const out = new Map<string, CredentialModel>()
  for (const [name, raw] of Object.entries<any>(document.components?.securitySchemes ?? {})) {
    const scheme = deref(document, raw)
    const option = camelCase(name)
    const where = `#/components/securitySchemes/${name}`
    if (scheme.type === "http" && String(scheme.scheme).toLowerCase() === "bearer") {
      out.set(name, { option, kind: "bearer", name: "Authorization" })
    } else if (scheme.type === "apiKey" && (scheme.in === "header" || scheme.in === "query")) {
      out.set(name, { option, kind: scheme.in, name: String(scheme.name) })
    } else {
      throw new UnsupportedSpecError(`${where}: only http bearer and apiKey (header or query) schemes are supported`)
    }
  }
  return out
}

/** The top-level `format: binary` string properties of a multipart body's object schema (each required). */
const binaryFieldsOf = (document: OpenApiDocument, schema: unknown, where: string): Array<string> => {
  const resolved = deref(document, schema)
  if (resolved?.type !== "object" || typeof resolved.properties !== "object") {
    throw new UnsupportedSpecError(`${where}: a multipart/form-data body must be an object schema`)
  }
  const names = Object.entries<any>(resolved.properties).flatMap(([name, property]) => {
    const field = deref(document, property)
    return field?.type === "string" && field.format === "binary" ? [name] : []
  })
  const optional = names.find((name) => !(resolved.required ?? []).includes(name))
  if (optional !== undefined) {
    throw new UnsupportedSpecError(`${where}: the file part "${optional}" must be required`)
  }
  return names
}

/**
 * A multipart body's schema as the generated module validates it: a binary field is a file part
 * (a `Blob`, which JSON Schema cannot describe), so it leaves the schema; the generated client
 * types it as a `Blob` and the runtime checks it when it builds the form.
 */
const withoutBinary = (
  document: OpenApiDocument,
  schema: unknown,
  binaryFields: ReadonlyArray<string>
): Record<string, unknown> => {
  const resolved = deref(document, schema)
  const properties = Object.fromEntries(
    Object.entries<any>(resolved.properties).filter(([name]) => !binaryFields.includes(name))
  )
  const required = (resolved.required ?? []).filter((name: string) => !binaryFields.includes(name))
  return { ...resolved, properties, required }
}

/** Reads a bundled document into the generator's model. */
export const readModel = (document: OpenApiDocument): ApiModel => {
  const names = new SchemaNames()
  for (const [name, schema] of Object.entries<any>(document.components?.schemas ?? {})) {
    names.add(name, `#/components/schemas/${escapePointer(name)}`, schema, `The \`${name}\` schema.`)
  }
  const credentials = readCredentials(document)
  const bound = new Map<string, OptionModel>()
  const operations: Array<OperationModel> = []
  const seenIds = new Set<string>()
  const all = operationsOf(document)

  for (const op of all.filter((candidate) => candidate.kind === "path")) {
    const id = op.operationId
    const at = `${op.pointer} (${id})`
    if (typeof op.operation.operationId !== "string" || !identifier.test(id)) {
      throw new UnsupportedSpecError(`${at}: every operation needs an operationId that is a valid identifier`)
    }
    if (seenIds.has(id)) throw new UnsupportedSpecError(`${at}: operationId "${id}" is used twice`)
    seenIds.add(id)
    const Id = pascalCase(id)

    const parameters: Array<ParameterModel> = []
    const parameterLocations: Array<SchemaLocation> = []
    const paramsProperties: Record<string, unknown> = {}
    const paramsRequired: Array<string> = []
    for (const parameter of op.parameters) {
      const where = `${at} parameter "${parameter.name}"`
      if (parameter.in !== "path" && parameter.in !== "query" && parameter.in !== "header") {
        throw new UnsupportedSpecError(`${where}: ${parameter.in} parameters are not supported`)
      }
      if (parameters.some((other) => other.name === parameter.name)) {
        throw new UnsupportedSpecError(`${where}: two parameters share this name`)
      }
      if (parameter.content !== undefined) {
        throw new UnsupportedSpecError(`${where}: parameters with \`content\` are not supported; use \`schema\``)
      }
      const bind = parameter["x-pombo-bind"]
      const secret = parameter["x-pombo-secret"] === true
      const required = parameter.in === "path" || parameter.required === true
      if (bind !== undefined) {
        if (typeof bind !== "string" || !identifier.test(bind)) {
          throw new UnsupportedSpecError(`${where}: x-pombo-bind must be an identifier`)
        }
        const previous = bound.get(bind)
        if (previous !== undefined && previous.secret !== secret) {
          throw new UnsupportedSpecError(`${where}: x-pombo-bind "${bind}" is secret in one place and not in another`)
        }
        const pointer = findParameterPointer(document, op, parameter)
        if (pointer !== undefined)
          parameterLocations.push({ pointer: `#${pointer}/schema`, kind: "option", option: bind })
        bound.set(bind, {
          name: bind,
          secret,
          required: true,
          description: String(parameter.description ?? `The \`${parameter.name}\` parameter.`)
        })
      } else {
        if (secret) throw new UnsupportedSpecError(`${where}: x-pombo-secret is only supported with x-pombo-bind`)
        const schema = parameter.schema ?? {}
        paramsProperties[parameter.name] =
          parameter.description === undefined ? schema : { ...schema, description: parameter.description }
        if (required) paramsRequired.push(parameter.name)
        const pointer = findParameterPointer(document, op, parameter)
        if (pointer !== undefined) {
          parameterLocations.push({
            pointer: `#${pointer}/schema`,
            kind: "schema",
            schemaName: `${Id}Params`,
            field: parameter.name
          })
        }
      }
      parameters.push({ name: parameter.name, in: parameter.in, required, bind, secret })
    }
    for (const [, name] of op.key.matchAll(/\{([^}]+)\}/g)) {
      if (!parameters.some((parameter) => parameter.in === "path" && parameter.name === name)) {
        throw new UnsupportedSpecError(`${at}: path parameter "${name}" is not declared`)
      }
    }
    const paramsSchema =
      Object.keys(paramsProperties).length === 0
        ? undefined
        : names.add(
            `${Id}Params`,
            `params:${id}`,
            { type: "object", properties: paramsProperties, required: paramsRequired, additionalProperties: false },
            `The path and query parameters of \`${id}\`.`
          )
    for (const location of parameterLocations) names.locate(location)

    let payload: OperationModel["payload"]
    if (op.operation.requestBody !== undefined) {
      const body = located(document, op.operation.requestBody, `${op.pointer.slice(1)}/requestBody`)
      const entries = Object.entries<any>(body.node?.content ?? {})
      const json = entries.find(([type]) => isJsonMediaType(type) || /^multipart\/form-data$/i.test(type))
      if (json === undefined || entries.length > 1) {
        throw new UnsupportedSpecError(
          `#${body.pointer}: request bodies must have exactly one media type, application/json or multipart/form-data`
        )
      }
      const [type, mediaType] = json
      const multipart = !isJsonMediaType(type)
      const binaryFields = multipart ? binaryFieldsOf(document, mediaType.schema, `#${body.pointer}`) : []
      const schemaName = names.bodySchema(
        document,
        mediaType.schema,
        `#${body.pointer}/content/${escapePointer(type)}/schema`,
        `${Id}Request`,
        `The request body of \`${id}\`.`
      )
      if (binaryFields.length > 0) {
        const pointer = `#${body.pointer}/content/${escapePointer(type)}/schema`
        names.reshape(schemaName, withoutBinary(document, mediaType.schema, binaryFields), pointer, binaryFields)
      }
      payload = {
        schemaName,
        required: body.node.required === true,
        encoding: multipart ? "multipart" : "json",
        binaryFields
      }
    }

    const success: Array<SuccessModel> = []
    const errors: Array<{ status: string; schemaName: string }> = []
    for (const [status, rawResponse] of Object.entries<any>(op.operation.responses ?? {})) {
      const response = located(document, rawResponse, `${op.pointer.slice(1)}/responses/${escapePointer(status)}`)
      const isSuccess = /^2(\d\d|XX)$/i.test(status)
      const picked = pickMediaType(response.node?.content ?? {})
      const component = refName(rawResponse)
      if (isSuccess) {
        if (picked === undefined) {
          success.push({ status, kind: "void", mediaType: undefined, schemaName: undefined })
          continue
        }
        const [type, mediaType] = picked
        const schema = deref(document, mediaType.schema)
        if (isJsonMediaType(type)) {
          const fallback =
            component !== undefined
              ? `${pascalCase(component)}Body`
              : `${Id}Response${success.length > 0 ? status : ""}`
          const schemaName = names.bodySchema(
            document,
            mediaType.schema ?? {},
            `#${response.pointer}/content/${escapePointer(type)}/schema`,
            fallback,
            component !== undefined
              ? `The body of the \`${component}\` response.`
              : `The \`${status}\` response body of \`${id}\`.`
          )
          success.push({ status, kind: "json", mediaType: type, schemaName })
        } else {
          const textual = /^text\//i.test(type) && schema?.format !== "binary"
          names.locate({
            pointer: `#${response.pointer}/content/${escapePointer(type)}/schema`,
            kind: textual ? "text" : "bytes"
          })
          success.push({ status, kind: textual ? "text" : "bytes", mediaType: type, schemaName: undefined })
        }
      } else {
        if (picked === undefined) continue
        const [type, mediaType] = picked
        if (!isJsonMediaType(type)) {
          const textual = /^text\//i.test(type) && deref(document, mediaType.schema)?.format !== "binary"
          names.locate({
            pointer: `#${response.pointer}/content/${escapePointer(type)}/schema`,
            kind: textual ? "text" : "bytes"
          })
          continue
        }
        const fallback = component !== undefined ? `${pascalCase(component)}Body` : `${Id}${pascalCase(status)}Error`
        const schemaName = names.bodySchema(
          document,
          mediaType.schema ?? {},
          `#${response.pointer}/content/${escapePointer(type)}/schema`,
          fallback,
          component !== undefined
            ? `The body of the \`${component}\` response.`
            : `The \`${status}\` error body of \`${id}\`.`
        )
        errors.push({ status, schemaName })
      }
    }
    if (success.length === 0) success.push({ status: "2XX", kind: "void", mediaType: undefined, schemaName: undefined })

    const capabilities = readCapabilities(op)
    const method = op.method.toUpperCase()
    operations.push({
      operationId: id,
      method,
      path: op.key,
      tags: op.operation.tags ?? [],
      summary: op.operation.summary,
      deprecated: op.operation.deprecated === true,
      capabilities,
      idempotent:
        idempotentMethods.has(method) && !capabilities.some((capability) => /^(send|reply|forward)/.test(capability)),
      parameters,
      paramsSchema,
      paramsRequired: paramsRequired.length > 0,
      payload,
      security: readSecurity(document, op, credentials),
      success,
      errors
    })
  }

  const webhooks: Array<{ name: string; schemaName: string }> = []
  for (const op of all.filter((candidate) => candidate.kind === "webhook")) {
    const where = `${op.pointer.slice(1)}/requestBody`
    const body = located(document, op.operation.requestBody, where)
    const json = Object.entries<any>(body.node?.content ?? {}).find(([type]) => isJsonMediaType(type))
    if (json === undefined) throw new UnsupportedSpecError(`#${where}: a webhook needs an application/json payload`)
    if (webhooks.some((webhook) => webhook.name === op.key)) {
      throw new UnsupportedSpecError(`#${where}: webhook "${op.key}" has more than one operation`)
    }
    const schemaName = names.bodySchema(
      document,
      json[1].schema,
      `#${body.pointer}/content/${escapePointer(json[0])}/schema`,
      `${pascalCase(op.key)}Payload`,
      `The payload of the \`${op.key}\` webhook.`
    )
    webhooks.push({ name: op.key, schemaName })
  }

  const options: Array<OptionModel> = [...bound.values()]
  for (const [scheme, credential] of credentials) {
    const description = deref(document, document.components.securitySchemes[scheme]).description
    options.push({
      name: credential.option,
      secret: true,
      required: false,
      description: String(description ?? `The \`${scheme}\` credential.`)
    })
  }
  const optionNames = new Set<string>(["baseUrl"])
  for (const option of options) {
    if (optionNames.has(option.name)) {
      throw new UnsupportedSpecError(`client option "${option.name}" is both a bound parameter and a credential`)
    }
    optionNames.add(option.name)
  }

  const server = document.servers?.[0]
  return {
    title: String(document.info?.title ?? "API"),
    version: String(document.info?.version ?? ""),
    schemas: names.schemas,
    operations,
    options,
    server:
      server === undefined
        ? undefined
        : {
            url: String(server.url),
            variables: Object.entries<any>(server.variables ?? {}).map(([name, variable]) => ({
              name,
              default: String(variable.default),
              enum: Array.isArray(variable.enum) ? variable.enum.map(String) : undefined,
              description: variable.description
            }))
          },
    webhooks,
    locations: names.locations
  }
}
