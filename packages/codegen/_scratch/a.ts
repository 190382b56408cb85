import { JsonSchema, SchemaRepresentation } from "effect"

const components: Record<string, any> = {
  ErrorBody: {
    type: "object",
    description: "err",
    properties: { error: { type: "string" }, message: { type: "string" } }
  },
  SendMessageResult: {
    type: "object",
    required: ["zaapId", "messageId"],
    properties: {
      zaapId: { type: "string", description: "Id" },
      messageId: { type: "string" },
      n: { type: "integer", minimum: 0 },
      p: { type: "string", pattern: "^[0-9]+$" }
    }
  },
  Choice: {
    oneOf: [
      {
        title: "TextChoice",
        type: "object",
        required: ["text"],
        properties: { text: { type: "string" } },
        additionalProperties: false
      },
      {
        title: "ImageChoice",
        type: "object",
        required: ["image"],
        properties: { image: { $ref: "#/components/schemas/ErrorBody" } }
      }
    ]
  },
  Nullable: { type: ["string", "null"], enum: ["a", "b", null] },
  Bin: { type: "string", format: "binary" },
  Dt: { type: "string", format: "date-time" },
  Konst: { type: "object", properties: { type: { const: "ReceivedCallback" } }, required: ["type"] },
  Arr: { type: "array", items: { $ref: "#/components/schemas/Choice" }, minItems: 1 },
  Rec: { type: "object", additionalProperties: { type: "number" } }
}
const definitions: Record<string, any> = {}
for (const [k, v] of Object.entries(components)) definitions[k] = JsonSchema.fromSchemaOpenApi3_1(v).schema
const roots = [
  ...Object.keys(components).map((k) => ({ $ref: `#/$defs/${k}` })),
  JsonSchema.fromSchemaOpenApi3_1({
    type: "object",
    required: ["phone"],
    properties: { phone: { type: "string" }, r: { $ref: "#/components/schemas/SendMessageResult" } }
  }).schema
]
const schemas = SchemaRepresentation.fromJsonSchemaMultiDocument(
  { dialect: "draft-2020-12", schemas: roots as any, definitions },
  { patterns: "apply" }
)
const multi = SchemaRepresentation.toRepresentations(schemas.map((s) => s.ast) as any)
const code = SchemaRepresentation.toCodeDocument(multi)
console.log(JSON.stringify(code, null, 1))
