/**
 * A vendor spec as readers of the site see it. The hand-written specs cite the vendor documents
 * Pombo's maintainers work from (`(003_590f0b4db31fd463.txt:358-372)`, `rules.md:28-34`,
 * `webhooks.md §8`) and carry `x-pombo-*` extensions for the generator; both stay in the specs,
 * where they are checked, and are taken out here, before Redoc renders the document.
 */
import type { OpenApiDocument } from "@pombo/codegen/Spec"

/** The prefix of Pombo's own OpenAPI extensions. */
const extensionPrefix = "x-pombo-"

const lines = String.raw`:\d+(?:[-–]\d+)?(?:(?:,\s*|\s+and\s+|/)\d+(?:[-–]\d+)?)*`
const section = String.raw`\s?§\s?\d+(?:\.\d+)*`
/** A citation: a vendor-docs file with lines or a section, a snapshot file alone, or `001:18-19`. */
const citation = new RegExp(
  String.raw`\x60?(?:\d{3}_[0-9a-f]{16}\.txt(?:${lines}|${section})?|(?:[\w-]+/)*[\w.-]+\.(?:md|txt|yaml)(?:${lines}|${section})|\b\d{3}${lines})\x60?` +
    // a vendor-docs file named in code, without a place
    String.raw`|\x60[\w.-]+\.(?:md|txt)\x60`,
  "g"
)

/** Notes for maintainers about where citations are, which mean nothing once they are gone. */
const notes = [/\s*;?\s*line citations in each operation's description/g, /\s*in Pombo's vendor docs/g]

/** What a citation leaves in the rendered page when one slips through: for tests. */
export const leak = /\d{3}_[0-9a-f]{16}\.txt|[\w-]+\.(?:md|txt):\d|\.md §\d|x-pombo-/

/** Plain words for Pombo's extensions where a description names one. */
const extensionWords: Readonly<Record<string, string>> = {
  "x-pombo-bind": "bound from configuration",
  "x-pombo-secret": "secret",
  "x-pombo-capability": "capability"
}

/** A clause left with nothing but connecting words and punctuation once its citations are gone. */
const empty = /^[\s,;:.–-]*(?:(?:see|e\.g\.|also|at|from|tip at|introduction at|and|in)[\s,;:.–-]*)*$/i

/** A bare line number or range in a source note: `4356`, `11897-11905`, `7415/7495`. */
const bareLines = /(^|[,;]\s*)\d{2,5}(?:[-–/]\d{2,5})*(?=\s*(?:[,;]|$))/g

const tidy = (text: string): string =>
  text
    .replace(/``/g, "")
    .replace(/[ \t]+([,;.])/g, "$1")
    .replace(/([,;])(?:\s*[,;])+/g, "$1")
    .replace(/\(\s*[,;:]\s*/g, "(")
    .replace(/\s*[,;:]\s*\)/g, ")")
    .replace(/[ \t]*\(\s*\)/g, "")
    .replace(/([^\s])[ \t]{2,}/g, "$1 ")
    .replace(/\bFrom\s*[.,:]\s*(\w?)/g, (_, next: string) => next.toUpperCase())
    // "… (restart a connection) — 001:18-19" at a line's end, once the citation is gone
    .replace(/[ \t]*—[ \t]*(?=\n|$)/g, "")
    // "…, e.g. <citation>." and "… (<citation>), <citation>."
    .replace(/,?\s*e\.g\.\s*(?=[.,;)])/g, "")
    .replace(/[,;]\s*\./g, ".")
    // "follows the table at <citation>."
    .replace(/\s+(?:at|see)(?=[.;,)])/g, "")
    // "Documented example(s): <citation>."
    .replace(/(^|\.\s+)[A-Z][^.:\n]*:\.(?=\s|$)/g, "$1")
    // "(7420, 7428)": line numbers left from a note (four digits or more: never an HTTP status)
    .replace(/[ \t]*\(\s*\d{4,5}(?:[-–/]\d{4,5})?(?:,\s*\d{4,5}(?:[-–/]\d{4,5})?)*\s*\)/g, "")

/** A parenthesised source note without its citations: clauses that were only citations go. */
const note = (inner: string): string =>
  inner
    .split(";")
    .map((clause) => {
      if (!citation.test(clause)) return clause
      citation.lastIndex = 0
      return clause.replace(citation, "").replace(bareLines, "$1")
    })
    .filter((clause) => !empty.test(clause))
    .map((clause) => clause.trim().replace(/^[,:]\s*|[,:]$/g, ""))
    .join("; ")

/** A description without citations or extension names. */
export const text = (input: string): string => {
  let out = input
  for (const pattern of notes) out = out.replace(pattern, "")
  for (const [name, words] of Object.entries(extensionWords)) {
    out = out.replaceAll(`\`${name}\``, words).replaceAll(name, words)
  }
  // "bound from configuration (bound from configuration)" once the extension name is replaced.
  out = out.replace(/([\w ]+) \(\1\)/g, "$1")
  // Innermost parentheses first, so a note inside a note goes before the outer one is read.
  let previous: string
  do {
    previous = out
    out = out.replace(/\(([^()]*)\)/g, (whole, inner: string) => {
      citation.lastIndex = 0
      if (!citation.test(inner)) return whole
      citation.lastIndex = 0
      const kept = note(inner)
      return kept === "" ? "\uE000" : `(${kept})`
    })
  } while (out !== previous)
  out = out.replace(/[ \t]*\n?[ \t]*\uE000/g, "").replace(citation, "")
  return tidy(out)
}

/** The keys whose string values are prose; examples, patterns and enums are left as they are. */
const prose = new Set(["description", "summary", "title"])

const clean = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(clean)
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !key.startsWith(extensionPrefix))
        .map(([key, child]) => [key, prose.has(key) && typeof child === "string" ? text(child) : clean(child)])
    )
  }
  return value
}

/** The spec without citations or `x-pombo-*` extensions, for rendering. */
export const make = (document: OpenApiDocument): OpenApiDocument => clean(document) as OpenApiDocument
