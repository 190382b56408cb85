/**
 * Writes the generated module's text from the model: schemas, servers, operation metadata and the
 * client. Everything the spec does not determine lives in `@pombo/core/HttpClientRuntime`, imported.
 * The text is formatted by Biome afterwards, so this module cares about content and order, not layout.
 */
import type { ApiModel, OperationModel, SuccessModel } from "./Model.ts"
import { UnsupportedSpecError } from "./Model.ts"
import type { SchemaDeclaration } from "./Schemas.ts"

/** What to generate: the vendor's name (prefix of the exported types) and where the spec lives. */
export interface Target {
  /** PascalCase name: `ZApi` gives `ZApiClient`, `ZApiStatusError`, spans `ZApi.<operationId>`. */
  readonly name: string
  /** The spec's path relative to the repository root, for the banner. */
  readonly spec: string
}

/** Where generated modules import the runtime from: a module of a publishable package. */
export const runtimeModule = "@pombo/core/HttpClientRuntime"

/** Names a generated module imports; schemas may not take them. */
const importedNames = ["Effect", "Redacted", "Schema", "HttpClient", "HttpClientRuntime"]

const globalNames = [
  "Array",
  "Boolean",
  "Date",
  "Error",
  "JSON",
  "Math",
  "Number",
  "Object",
  "Promise",
  "RegExp",
  "Set",
  "String",
  "Symbol",
  "Uint8Array",
  "globalThis",
  "encodeURIComponent",
  "undefined"
]

const comment = (text: string | undefined, indent = ""): string => {
  if (text === undefined || text.trim() === "") return ""
  const words = text.replaceAll("*/", "*\\/").trim().split(/\s+/)
  const lines: Array<string> = []
  let line = ""
  for (const word of words) {
    if (line.length > 0 && line.length + word.length + 1 > 100) {
      lines.push(line)
      line = word
    } else {
      line = line.length === 0 ? word : `${line} ${word}`
    }
  }
  if (line.length > 0) lines.push(line)
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`
  return `${indent}/**\n${lines.map((l) => `${indent} * ${l}`).join("\n")}\n${indent} */\n`
}

const str = (value: string): string => JSON.stringify(value)

const sentence = (text: string): string => (/[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`)

const isIdentifier = (name: string): boolean => /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name)

const propertyKey = (name: string): string => (isIdentifier(name) ? name : str(name))

const propertyAccess = (object: string, name: string): string =>
  isIdentifier(name) ? `${object}.${name}` : `${object}[${str(name)}]`

const resultType = (success: SuccessModel): string => {
  switch (success.kind) {
    case "json":
      return success.schemaName!
    case "text":
      return "string"
    case "bytes":
      return "Uint8Array"
    case "void":
      return "void"
  }
}

const resultSchema = (success: SuccessModel): string => {
  switch (success.kind) {
    case "json":
      return success.schemaName!
    case "text":
      return "Schema.String"
    case "bytes":
      return "Schema.Uint8Array"
    case "void":
      return "Schema.Void"
  }
}

const operationResult = (op: OperationModel): string => [...new Set(op.success.map(resultType))].join(" | ")

const inputType = (op: OperationModel): { readonly parameter: string; readonly argument: string } | undefined => {
  const fields: Array<string> = []
  if (op.paramsSchema !== undefined) {
    fields.push(`readonly params${op.paramsRequired ? "" : "?"}: ${op.paramsSchema}`)
  }
  if (op.payload !== undefined) {
    const files = op.payload.binaryFields.map((field) => `readonly ${propertyKey(field)}: Blob`)
    const type = files.length === 0 ? op.payload.schemaName : `${op.payload.schemaName} & { ${files.join("; ")} }`
    fields.push(`readonly payload${op.payload.required ? "" : "?"}: ${type}`)
  }
  if (fields.length === 0) return undefined
  const required = op.paramsRequired || op.payload?.required === true
  return { parameter: `input${required ? "" : "?"}: { ${fields.join("; ")} }`, argument: "input" }
}

const endpointSource = (op: OperationModel): string => {
  const parameters = op.parameters.map(
    (parameter) =>
      `{ name: ${str(parameter.name)}, in: ${str(parameter.in)}${parameter.bind === undefined ? "" : `, bind: ${str(parameter.bind)}`} }`
  )
  const security = op.security.map(
    (requirement) =>
      `[${requirement
        .map((credential) =>
          credential.kind === "bearer"
            ? `{ option: ${str(credential.option)}, kind: "bearer" }`
            : `{ option: ${str(credential.option)}, kind: ${str(credential.kind)}, name: ${str(credential.name)} }`
        )
        .join(", ")}]`
  )
  const success = op.success.map(
    (body) =>
      `{ status: ${str(body.status)}, kind: ${str(body.kind)}${body.mediaType === undefined ? "" : `, mediaType: ${str(body.mediaType)}`}, schema: ${resultSchema(body)} }`
  )
  const errors = op.errors.map((error) => `{ status: ${str(error.status)}, schema: ${error.schemaName} }`)
  return [
    `const ${op.operationId}Endpoint: HttpClientRuntime.Endpoint<${operationResult(op)}> = {`,
    `  operationId: ${str(op.operationId)},`,
    `  method: ${str(op.method)},`,
    `  path: ${str(op.path)},`,
    `  parameters: [${parameters.join(", ")}],`,
    ...(op.paramsSchema === undefined ? [] : [`  params: ${op.paramsSchema},`]),
    ...(op.payload === undefined ? [] : [`  payload: ${op.payload.schemaName},`]),
    ...(op.payload?.encoding === "multipart"
      ? [`  multipart: { binaryFields: [${op.payload.binaryFields.map(str).join(", ")}] },`]
      : []),
    `  security: [${security.join(", ")}],`,
    `  success: [${success.join(", ")}],`,
    `  errors: [${errors.join(", ")}]`,
    "}"
  ].join("\n")
}

const serverSource = (model: ApiModel): string => {
  const server = model.server
  if (server === undefined) {
    return `${comment("The spec declares no server: pass `baseUrl` explicitly.")}export const defaultBaseUrl = ""\n`
  }
  const defaults = server.url.replace(/\{([^}]+)\}/g, (_whole, name: string) => {
    const variable = server.variables.find((candidate) => candidate.name === name)
    if (variable === undefined) throw new UnsupportedSpecError(`server URL variable "${name}" is not declared`)
    return variable.default
  })
  let out = `${comment("The spec's first server, with its variables' defaults.")}export const defaultBaseUrl = ${str(defaults)}\n`
  if (server.variables.length > 0) {
    const escapeTemplate = (text: string) =>
      text.replaceAll("\\", "\\\\").replaceAll("`", "\\`").replaceAll("${", "\\${")
    const template = server.url
      .split(/(\{[^}]+\})/)
      .map((part) => {
        const match = /^\{([^}]+)\}$/.exec(part)
        if (match === null) return escapeTemplate(part)
        const variable = server.variables.find((candidate) => candidate.name === match[1])!
        return `\${${propertyAccess("variables", variable.name)} ?? ${str(variable.default)}}`
      })
      .join("")
    const fields = server.variables
      .map(
        (variable) =>
          `${comment(variable.description, "  ")}  readonly ${propertyKey(variable.name)}?: ${variable.enum ? variable.enum.map(str).join(" | ") : "string"}`
      )
      .join("\n")
    out += `\n${comment("The spec's first server with the given variables (the others take their defaults).")}`
    out += `export const baseUrl = (variables: {\n${fields}\n} = {}): string => \`${template}\`\n`
  }
  return out
}

const metadataSource = (model: ApiModel): string => {
  const operations = model.operations.map(
    (op) =>
      `  ${op.operationId}: { method: ${str(op.method)}, path: ${str(op.path)}, tags: [${op.tags.map(str).join(", ")}], capabilities: [${op.capabilities.map(str).join(", ")}], idempotent: ${op.idempotent} }`
  )
  const byCapability = new Map<string, Array<string>>()
  for (const op of model.operations) {
    for (const capability of op.capabilities) {
      byCapability.set(capability, [...(byCapability.get(capability) ?? []), op.operationId])
    }
  }
  const capabilities = [...byCapability.keys()]
    .sort()
    .map((capability) => `  ${capability}: [${byCapability.get(capability)!.map(str).join(", ")}]`)
  const webhooks = model.webhooks.map((webhook) => `  ${propertyKey(webhook.name)}: ${webhook.schemaName}`)
  return [
    comment(
      "Every operation of the spec by operationId: method, path template, tags, the abstract capabilities it backs (`x-pombo-capability`) and whether repeating it is harmless."
    ),
    `export const operations = {\n${operations.join(",\n")}\n} as const\n\n`,
    comment("Every capability the spec declares, with the operations that provide it."),
    `export const capabilities = {\n${capabilities.join(",\n")}\n} as const\n\n`,
    comment("Every inbound webhook payload the spec documents, by webhook name."),
    `export const webhooks = {\n${webhooks.join(",\n")}\n} as const\n`
  ].join("")
}

const clientSource = (model: ApiModel, name: string): string => {
  const options = [
    ...model.options.map((option) => {
      const type = option.secret ? "Redacted.Redacted<string>" : "string"
      return `${comment(option.description, "  ")}  readonly ${option.name}${option.required ? "" : "?"}: ${type}${option.required ? "" : " | undefined"}`
    })
  ]
  const methods = model.operations.map((op) => {
    const input = inputType(op)
    const doc = comment(
      [sentence(op.summary ?? op.operationId), `\`${op.method} ${op.path}\`.`, op.deprecated ? "@deprecated" : ""]
        .filter((part) => part !== "")
        .join(" "),
      "  "
    )
    return `${doc}  readonly ${op.operationId}: (${input?.parameter ?? ""}) => Effect.Effect<${operationResult(op)}, HttpClientRuntime.ClientError>`
  })
  const values = model.options.map((option) => `${option.name}: options.${option.name}`)
  const implementations = model.operations.map((op) => {
    const input = inputType(op)
    return input === undefined
      ? `    ${op.operationId}: () => execute(${op.operationId}Endpoint)`
      : `    ${op.operationId}: (input) => execute(${op.operationId}Endpoint, input)`
  })
  const clientInterface =
    model.operations.length === 0
      ? `${comment(`${model.title}: the spec documents no operation yet.`)}export type ${name}Client = Record<string, never>\n`
      : `${comment(`${model.title}: one method per operation of the spec.`)}export interface ${name}Client {\n${methods.join("\n")}\n}\n`
  const makeSource =
    model.operations.length === 0
      ? `export const make = (_httpClient: HttpClient.HttpClient, _options: ${name}ClientOptions): ${name}Client => ({})\n`
      : [
          `export const make = (httpClient: HttpClient.HttpClient, options: ${name}ClientOptions): ${name}Client => {`,
          `  const execute = HttpClientRuntime.makeExecute(httpClient, { name: ${str(name)}, baseUrl: options.baseUrl, timeout: options.timeout, values: { ${values.join(", ")} } })`,
          `  return {\n${implementations.join(",\n")}\n  }`,
          "}\n"
        ].join("\n")
  return [
    comment(`What \`make\` needs: the base URL, the values of bound parameters and the credentials.`),
    `export interface ${name}ClientOptions extends HttpClientRuntime.ClientOptions {\n${options.join("\n")}\n}\n\n`,
    clientInterface,
    "\n",
    model.operations.map((op) => `${endpointSource(op)}\n\n`).join(""),
    comment(
      `Makes the ${model.title} client. Every method validates its input against the spec, sends one request and decodes the documented response; failures are \`HttpClientRuntime.ClientError\`s, which never contain the URL, a header or a secret.`
    ),
    makeSource
  ].join("")
}

/** Refuses schema names the generated module needs for itself. */
export const checkNames = (model: ApiModel, name: string): void => {
  const reserved = new Set([
    ...globalNames,
    ...importedNames,
    "make",
    "operations",
    "capabilities",
    "webhooks",
    "defaultBaseUrl",
    "baseUrl",
    `${name}Client`,
    `${name}ClientOptions`,
    ...model.operations.map((op) => `${op.operationId}Endpoint`)
  ])
  for (const schema of model.schemas) {
    if (reserved.has(schema.name)) {
      throw new UnsupportedSpecError(
        `${schema.pointer}: the name "${schema.name}" is reserved by the generator; rename it`
      )
    }
  }
}

/** The generated module's text, before formatting. */
/**
 * The type a schema declares. A struct with an index signature is an interface, so declaration
 * files name it wherever it is used: written out inline, its optional keys conflict with the index
 * signature in consumers compiling without `exactOptionalPropertyTypes` (TS2411).
 */
const typeDeclaration = (declaration: SchemaDeclaration): string =>
  declaration.runtime.startsWith("Schema.StructWithRest(")
    ? `export interface ${declaration.name} extends Schema.Schema.Type<typeof ${declaration.name}> {}`
    : `export type ${declaration.name} = typeof ${declaration.name}.Type`

export const emitModule = (target: Target, model: ApiModel, schemas: ReadonlyArray<SchemaDeclaration>): string => {
  checkNames(model, target.name)
  const hasOperations = model.operations.length > 0
  const usesRedacted = model.options.some((option) => option.secret)
  const effectImports = hasOperations
    ? `import { ${usesRedacted ? "type Redacted, " : ""}type Effect, Schema } from "effect"`
    : `import { ${usesRedacted ? "type Redacted, " : ""}Schema } from "effect"`
  const schemasOnly = model.server === undefined && !hasOperations && model.webhooks.length === 0
  const httpImports = schemasOnly
    ? ""
    : [
        'import type { HttpClient } from "effect/http"',
        `import ${hasOperations ? "" : "type "}* as HttpClientRuntime from ${str(runtimeModule)}`
      ].join("\n")
  const named = new Map(model.schemas.map((schema) => [schema.name, schema]))
  const schemaSource = schemas
    .map((declaration) => {
      const spec = named.get(declaration.name)!
      const description = typeof spec.schema.description === "string" ? spec.schema.description : spec.role
      return `${comment(description)}export const ${declaration.name} = ${declaration.runtime}\n${comment(`The type of {@link ${declaration.name}}.`)}${typeDeclaration(declaration)}\n`
    })
    .join("\n")
  return [
    `// Generated by @pombo/codegen from ${target.spec}. Do not edit: change the spec or the generator and run \`pnpm codegen\`.\n`,
    "// JSON numbers are always finite, and every operation is a function even when it takes no input:\n",
    "// @effect-diagnostics schemaNumber:off lazyEffect:off\n",
    comment(
      `${model.title} (spec version ${model.version}): ${schemasOnly ? "the schemas" : "the wire schemas and the HTTP client"}, generated from \`${target.spec}\`.`
    ),
    `${effectImports}\n${httpImports}\n\n`,
    schemaSource,
    // A document of schemas only (no server, operation or webhook) generates schemas only.
    ...(schemasOnly
      ? []
      : ["\n", serverSource(model), "\n", metadataSource(model), "\n", clientSource(model, target.name)])
  ].join("")
}
