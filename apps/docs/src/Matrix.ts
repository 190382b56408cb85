/**
 * The capability matrix: for every abstract `WhatsApp` operation, the vendor operations that back
 * it. Read from the specs' `x-pombo-capability` extensions (a name or a list of names), the same
 * data the generator turns into each provider's capability set, so the page cannot drift from
 * what the providers do.
 */
import type { OpenApiDocument } from "@pombo/codegen/Spec"
import { operationsOf, type SpecOperation } from "@pombo/codegen/SpecCheck"
import { Capability, type Operation } from "@pombo/core"
import type { Vendor } from "@pombo/openapi"
import type { Messages } from "./Language.ts"
import { escapeHtml } from "./Layout.ts"
import * as Reference from "./Reference.ts"

/** A vendor's bundled spec and the name it goes by. */
export interface VendorSpec {
  readonly vendor: Vendor
  readonly title: string
  readonly document: OpenApiDocument
}

/** One vendor operation that backs an abstract operation. */
export interface Offer {
  readonly operationId: string
  readonly summary: string | undefined
  /** Link to the operation in the vendor's reference page, relative to the site root. */
  readonly href: string
}

/** One abstract operation and what each vendor offers for it (empty: not offered). */
export interface Row {
  readonly capability: Capability.Capability
  readonly offers: ReadonlyMap<Vendor, ReadonlyArray<Offer>>
}

/** The rows of one group of `Capability.groups`. */
export interface Group {
  readonly name: Operation.Group
  readonly rows: ReadonlyArray<Row>
}

/** The whole matrix, vendors in column order. */
export interface Matrix {
  readonly vendors: ReadonlyArray<VendorSpec>
  readonly groups: ReadonlyArray<Group>
}

/** The capability names an operation declares; fails on a name outside `Capability.all`. */
export const capabilitiesOf = (op: SpecOperation): ReadonlyArray<Capability.Capability> => {
  const declared: unknown = op.operation["x-pombo-capability"]
  const names = declared === undefined ? [] : Array.isArray(declared) ? declared : [declared]
  return names.map((name) => {
    if (typeof name !== "string" || !Capability.isCapability(name)) {
      throw new Error(`${op.operationId}: x-pombo-capability ${JSON.stringify(name)} is not an abstract operation`)
    }
    return name
  })
}

/** Builds the matrix from the vendors' specs. */
export const make = (vendors: ReadonlyArray<VendorSpec>): Matrix => {
  const offers = new Map<Vendor, Map<Capability.Capability, Array<Offer>>>()
  for (const { vendor, document } of vendors) {
    const byCapability = new Map<Capability.Capability, Array<Offer>>()
    for (const op of operationsOf(document)) {
      for (const capability of capabilitiesOf(op)) {
        const list = byCapability.get(capability) ?? []
        list.push({
          operationId: op.operationId,
          summary: op.operation.summary,
          href: `${Reference.fileName(vendor)}${Reference.anchor(op)}`
        })
        byCapability.set(capability, list)
      }
    }
    offers.set(vendor, byCapability)
  }
  return {
    vendors,
    groups: (Object.entries(Capability.groups) as Array<[Operation.Group, ReadonlyArray<Capability.Capability>]>).map(
      ([name, capabilities]) => ({
        name,
        rows: capabilities.map((capability) => ({
          capability,
          offers: new Map(vendors.map(({ vendor }) => [vendor, offers.get(vendor)?.get(capability) ?? []]))
        }))
      })
    )
  }
}

const cell = (offers: ReadonlyArray<Offer>, text: Messages, root: string): string =>
  offers.length === 0
    ? `<td class="none">${escapeHtml(text.notOffered)}</td>`
    : `<td><ul>${offers
        .map(
          (offer) =>
            `<li><a href="${escapeHtml(root + offer.href)}" data-operation-id="${escapeHtml(offer.operationId)}"><code>${escapeHtml(
              offer.operationId
            )}</code></a>${offer.summary ? `<span class="summary">${escapeHtml(offer.summary)}</span>` : ""}</li>`
        )
        .join("")}</ul></td>`

/** How many abstract operations a vendor offers. */
export const coverage = (matrix: Matrix, vendor: Vendor): number =>
  matrix.groups.flatMap((group) => group.rows).filter((row) => (row.offers.get(vendor) ?? []).length > 0).length

/**
 * Renders the matrix as an HTML table in a language, for a page `root` away from the site root
 * (`""` or `"../"`); each row's id is `op-<capability>`, each group's `group-<name>`.
 */
export const render = (matrix: Matrix, text: Messages, root: string): string => {
  const columns = matrix.vendors.length + 1
  const head = `<thead><tr><th scope="col">${escapeHtml(text.operation)}</th>${matrix.vendors
    .map(({ title }) => `<th scope="col">${escapeHtml(title)}</th>`)
    .join("")}</tr></thead>`
  const bodies = matrix.groups.map(
    (group) =>
      `<tbody id="group-${group.name}"><tr><th scope="rowgroup" colspan="${columns}">${escapeHtml(
        text.group[group.name]
      )}</th></tr>${group.rows
        .map(
          (row) =>
            `<tr id="op-${row.capability}"><th scope="row"><code>${row.capability}</code></th>${matrix.vendors
              .map(({ vendor }) => cell(row.offers.get(vendor) ?? [], text, root))
              .join("")}</tr>`
        )
        .join("\n")}</tbody>`
  )
  return `<table class="matrix">
<caption class="muted">${text.matrixCaptionHtml}</caption>
${head}
${bodies.join("\n")}
</table>`
}
