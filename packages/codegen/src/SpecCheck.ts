/**
 * Checks a bundled spec against itself: every example validates against its schema (Ajv, JSON
 * Schema draft 2020-12, the dialect of OpenAPI 3.1), and every operation can be called with its
 * own examples. Used by the spec tests (`openapi/test`), which a spec author runs with
 * `pnpm exec vitest run openapi`.
 */
import { Ajv2020 } from "ajv/dist/2020.js"
import addFormats from "ajv-formats"
import type { OpenApiDocument } from "./Spec.ts"

const methods = ["get", "put", "post", "delete", "patch", "head", "options"] as const

/** One operation of the document, with where it sits. */
export interface SpecOperation {
  readonly kind: "path" | "webhook"
  readonly key: string
  readonly method: (typeof methods)[number]
  readonly operationId: string
  readonly pointer: string
  readonly operation: Record<string, any>
  readonly parameters: ReadonlyArray<Record<string, any>>
}

/** One example found in the document, with the schema it must satisfy. */
export interface SpecExample {
  readonly where: string
  readonly schemaPointer: string
  readonly value: unknown
}

/** An example that does not satisfy its schema. */
export interface ExampleViolation {
  readonly where: string
  readonly errors: string
}

const escapePointer = (segment: string): string => segment.replaceAll("~", "~0").replaceAll("/", "~1")

/** Follows a local `$ref` (`#/components/...`) to its target; other values are returned as-is. */
export const deref = (document: OpenApiDocument, value: any): any => {
  let current = value
  const seen = new Set<string>()
  while (current && typeof current === "object" && typeof current.$ref === "string") {
    const ref: string = current.$ref
    if (!ref.startsWith("#/") || seen.has(ref)) return current
    seen.add(ref)
    current = pointerGet(document, ref.slice(1))
  }
  return current
}

/** Reads the value at a JSON pointer. */
export const pointerGet = (document: OpenApiDocument, pointer: string): any =>
  pointer
    .split("/")
    .slice(1)
    .map((segment) => segment.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce<any>((node, segment) => (node === undefined ? undefined : node[segment]), document)

/** Every operation under `paths` and `webhooks`, in document order. */
export const operationsOf = (document: OpenApiDocument): Array<SpecOperation> => {
  const out: Array<SpecOperation> = []
  for (const kind of ["path", "webhook"] as const) {
    const section = kind === "path" ? "paths" : "webhooks"
    for (const [key, rawItem] of Object.entries<any>(document[section] ?? {})) {
      const item = deref(document, rawItem)
      for (const method of methods) {
        const operation = item?.[method]
        if (!operation) continue
        const own: Array<any> = (operation.parameters ?? []).map((p: any) => deref(document, p))
        const shared: Array<any> = (item.parameters ?? []).map((p: any) => deref(document, p))
        const parameters = [...shared.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in)), ...own]
        out.push({
          kind,
          key,
          method,
          operationId: operation.operationId ?? `${method} ${key}`,
          pointer: `#/${section}/${escapePointer(key)}/${method}`,
          operation,
          parameters
        })
      }
    }
  }
  return out
}

const examplesOfMediaType = (
  document: OpenApiDocument,
  mediaType: any,
  where: string,
  schemaPointer: string
): Array<SpecExample> => {
  const out: Array<SpecExample> = []
  if (!mediaType?.schema) return out
  if ("example" in mediaType) out.push({ where: `${where} (example)`, schemaPointer, value: mediaType.example })
  for (const [name, rawExample] of Object.entries<any>(mediaType.examples ?? {})) {
    const example = deref(document, rawExample)
    if (example && "value" in example)
      out.push({ where: `${where} example "${name}"`, schemaPointer, value: example.value })
  }
  return out
}

/** Every example attached to a request body, response or parameter of an operation. */
export const examplesOf = (document: OpenApiDocument): Array<SpecExample> => {
  const out: Array<SpecExample> = []
  for (const op of operationsOf(document)) {
    const label = `${op.operationId}`
    const body = op.operation.requestBody
    const bodyPointer = body?.$ref ? body.$ref.slice(1) : `${op.pointer.slice(1)}/requestBody`
    for (const [type, mediaType] of Object.entries<any>(deref(document, body)?.content ?? {})) {
      out.push(
        ...examplesOfMediaType(
          document,
          mediaType,
          `${label} request ${type}`,
          `${bodyPointer}/content/${escapePointer(type)}/schema`
        )
      )
    }
    for (const [status, rawResponse] of Object.entries<any>(op.operation.responses ?? {})) {
      const responsePointer = rawResponse?.$ref
        ? rawResponse.$ref.slice(1)
        : `${op.pointer.slice(1)}/responses/${escapePointer(status)}`
      for (const [type, mediaType] of Object.entries<any>(deref(document, rawResponse)?.content ?? {})) {
        out.push(
          ...examplesOfMediaType(
            document,
            mediaType,
            `${label} response ${status} ${type}`,
            `${responsePointer}/content/${escapePointer(type)}/schema`
          )
        )
      }
    }
    op.parameters.forEach((parameter) => {
      const pointer = findParameterPointer(document, op, parameter)
      if (!pointer) return
      if ("example" in parameter) {
        out.push({
          where: `${label} parameter ${parameter.name}`,
          schemaPointer: `${pointer}/schema`,
          value: parameter.example
        })
      }
      for (const [name, rawExample] of Object.entries<any>(parameter.examples ?? {})) {
        const example = deref(document, rawExample)
        out.push({
          where: `${label} parameter ${parameter.name} example "${name}"`,
          schemaPointer: `${pointer}/schema`,
          value: example?.value
        })
      }
    })
  }
  return out
}

/** The JSON pointer of one of an operation's parameters (its component when it is a `$ref`). */
export const findParameterPointer = (
  document: OpenApiDocument,
  op: SpecOperation,
  parameter: any
): string | undefined => {
  const itemPointer = op.pointer.slice(1, op.pointer.lastIndexOf("/"))
  const candidates = [
    ...(op.operation.parameters ?? []).map(
      (p: any, i: number) => [p, `${op.pointer.slice(1)}/parameters/${i}`] as const
    ),
    ...(pointerGet(document, itemPointer)?.parameters ?? []).map(
      (p: any, i: number) => [p, `${itemPointer}/parameters/${i}`] as const
    )
  ]
  for (const [raw, pointer] of candidates) {
    if (deref(document, raw) === parameter) return raw.$ref ? raw.$ref.slice(1) : pointer
  }
  return undefined
}

/** Makes an Ajv instance that knows the whole document, so local `$ref`s resolve. */
export const makeValidator = (document: OpenApiDocument) => {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true })
  addFormats.default(ajv)
  for (const format of ["int32", "int64", "float", "double", "password", "binary", "byte"]) {
    if (!ajv.formats[format]) ajv.addFormat(format, true)
  }
  ajv.addSchema({ ...document, $id: "pombo:spec" })
  const cache = new Map<string, ReturnType<typeof ajv.compile>>()
  return (schemaPointer: string, value: unknown): string | undefined => {
    let validate = cache.get(schemaPointer)
    if (!validate) {
      validate = ajv.compile({ $ref: `pombo:spec#${schemaPointer}` })
      cache.set(schemaPointer, validate)
    }
    if (validate(value)) return undefined
    return ajv.errorsText(validate.errors, { separator: "; " })
  }
}

/** Validates every example of the document; returns the ones that fail. */
export const checkExamples = (document: OpenApiDocument): { checked: number; violations: Array<ExampleViolation> } => {
  const validate = makeValidator(document)
  const examples = examplesOf(document)
  const violations: Array<ExampleViolation> = []
  for (const example of examples) {
    let errors: string | undefined
    try {
      errors = validate(example.schemaPointer, example.value)
    } catch (error) {
      errors = `schema does not compile: ${String(error)}`
    }
    if (errors) violations.push({ where: example.where, errors })
  }
  return { checked: examples.length, violations }
}

/** The example values an operation's request is built from: path, query and body. */
export interface ExampleRequest {
  readonly operationId: string
  readonly method: string
  readonly path: string
  readonly query: Record<string, string>
  readonly body: unknown
  readonly contentType: string | undefined
}

const parameterExample = (document: OpenApiDocument, parameter: any): unknown => {
  if ("example" in parameter) return parameter.example
  const first = Object.values<any>(parameter.examples ?? {})[0]
  if (first) return deref(document, first)?.value
  const schema = deref(document, parameter.schema)
  return schema?.default ?? schema?.enum?.[0] ?? schema?.const
}

/**
 * Builds the request an operation's first documented example describes: every path parameter
 * and required query parameter from its example, the first request-body example as the body.
 */
export const exampleRequest = (document: OpenApiDocument, op: SpecOperation): ExampleRequest => {
  let path = op.key
  const query: Record<string, string> = {}
  for (const parameter of op.parameters) {
    const value = parameterExample(document, parameter)
    if (parameter.in === "path") {
      path = path.replace(`{${parameter.name}}`, encodeURIComponent(String(value ?? "x")))
    } else if (parameter.in === "query" && (parameter.required || value !== undefined)) {
      if (value !== undefined) query[parameter.name] = String(value)
    }
  }
  const body = deref(document, op.operation.requestBody)
  const [contentType, mediaType] = Object.entries<any>(body?.content ?? {})[0] ?? []
  let value: unknown
  if (mediaType) {
    const first = Object.values<any>(mediaType.examples ?? {})[0]
    value = "example" in mediaType ? mediaType.example : first ? deref(document, first)?.value : undefined
  }
  return { operationId: op.operationId, method: op.method.toUpperCase(), path, query, body: value, contentType }
}

/** Headers that satisfy an operation's security requirement with placeholder credentials. */
export const exampleSecurityHeaders = (document: OpenApiDocument, op: SpecOperation): Record<string, string> => {
  const requirements: Array<Record<string, unknown>> = op.operation.security ?? document.security ?? []
  const requirement = requirements[0] ?? {}
  const headers: Record<string, string> = {}
  for (const name of Object.keys(requirement)) {
    const scheme = document.components?.securitySchemes?.[name]
    if (scheme?.type === "http" && scheme.scheme === "bearer") headers.authorization = "Bearer example-token"
    if (scheme?.type === "apiKey" && scheme.in === "header") headers[String(scheme.name).toLowerCase()] = "example-key"
  }
  return headers
}
