/**
 * Adapter: the documented fixtures, read from the vendors' specs the way the replay tests read
 * them (`@pombo/codegen`'s loader). The only module of the bench that knows the spec layout.
 */
import { loadSpec, specPath, vendors as specVendors, type Vendor } from "@pombo/codegen/Spec"
import { deref, operationsOf } from "@pombo/codegen/SpecCheck"

/** The vendors measured. */
export const vendors: ReadonlyArray<Vendor> = specVendors

/** A vendor with a spec. */
export type { Vendor }

/** One documented example of a vendor webhook, as the bytes the vendor would post. */
export interface WebhookExample {
  readonly vendor: Vendor
  /** `<webhook>/<example name>`, e.g. `receivedText/text`. */
  readonly name: string
  readonly bytes: Buffer
}

const documents = new Map<Vendor, ReturnType<typeof loadSpec>>()
const documentOf = (vendor: Vendor) => {
  let document = documents.get(vendor)
  if (document === undefined) {
    document = loadSpec(specPath(vendor))
    documents.set(vendor, document)
  }
  return document
}

/** Every example under the spec's `webhooks`, in document order. */
export const webhookExamples = async (vendor: Vendor): Promise<Array<WebhookExample>> => {
  const document = await documentOf(vendor)
  return operationsOf(document)
    .filter((op) => op.kind === "webhook")
    .flatMap((op) =>
      Object.entries<unknown>(
        deref(document, op.operation.requestBody)?.content?.["application/json"]?.examples ?? {}
      ).map(([name, example]) => ({
        vendor,
        name: `${op.key}/${name}`,
        bytes: Buffer.from(JSON.stringify(deref(document, example).value))
      }))
    )
}

/** The body of the first documented 200 answer to `operationId`. */
export const documentedResponse = async (vendor: Vendor, operationId: string): Promise<unknown> => {
  const document = await documentOf(vendor)
  const op = operationsOf(document).find((candidate) => candidate.operationId === operationId)
  if (op === undefined) throw new Error(`${vendor} documents no operation ${operationId}`)
  const media = deref(document, op.operation.responses?.["200"])?.content?.["application/json"]
  const example = media?.example ?? deref(document, Object.values<unknown>(media?.examples ?? {})[0])?.value
  if (example === undefined) throw new Error(`${vendor} ${operationId} documents no 200 example`)
  return example
}
