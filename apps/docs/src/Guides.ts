/**
 * The guides: Markdown kept in `apps/docs/guides/` (English) and `apps/docs/guides/pt-BR/`
 * (Portuguese, the same file names), readable on GitHub as they are, rendered to HTML with
 * `marked`. Headings get GitHub-style ids so `page.md#a-heading` links work in both
 * places, and links between guides (`other.md`) are rewritten to the rendered pages.
 */
import { readdir, readFile } from "node:fs/promises"
import { fileURLToPath } from "node:url"
import { Marked, type Tokens } from "marked"
import { folder, type Language } from "./Language.ts"

/**
 * The reading order, by file name without `.md`. Every guide must be listed; a listed guide
 * not written (yet) in a language is left out of that language's site.
 */
export const order = [
  "quick-start",
  "connecting-an-instance",
  "webhooks",
  "webhooks-in-your-framework",
  "from-fetch-to-pombo",
  "swapping-providers",
  "campaigns-and-pacing",
  "contract-testing",
  "configuration"
] as const

/** Where a language's Markdown sources are. */
export const directory = (language: Language): string =>
  fileURLToPath(new URL(`../guides/${folder(language)}`, import.meta.url))

/** A rendered guide. */
export interface Guide {
  /** File name without extension; the page is `guides/<name>.html`. */
  readonly name: string
  /** The text of the guide's `#` heading. */
  readonly title: string
  /** The rendered Markdown. */
  readonly html: string
}

/** GitHub's heading slug: lower case, punctuation dropped, spaces as `-`. */
export const slug = (text: string): string =>
  text
    .toLowerCase()
    .trim()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-")

const guideLink = /^([\w-]+)\.md(#.*)?$/

/** Renders one guide's Markdown; the title is its first `#` heading. */
export const render = (name: string, markdown: string): Guide => {
  const seen = new Map<string, number>()
  const marked = new Marked({
    gfm: true,
    renderer: {
      heading({ tokens, depth, text }: Tokens.Heading) {
        const base = slug(text.replace(/`/g, ""))
        const count = seen.get(base) ?? 0
        seen.set(base, count + 1)
        const id = count === 0 ? base : `${base}-${count}`
        return `<h${depth} id="${id}">${this.parser.parseInline(tokens)}</h${depth}>\n`
      }
    }
  })
  const tokens = marked.lexer(markdown)
  marked.walkTokens(tokens, (token) => {
    if (token.type === "link") token.href = token.href.replace(guideLink, "$1.html$2")
  })
  const heading = tokens.find((token): token is Tokens.Heading => token.type === "heading" && token.depth === 1)
  if (!heading) throw new Error(`guides/${name}.md has no "# Title" heading`)
  return { name, title: heading.text.replace(/`/g, ""), html: marked.parser(tokens) }
}

/** The names of the guides written in a language, in `order`; fails on a file `order` does not list. */
export const names = async (language: Language): Promise<ReadonlyArray<string>> => {
  const present = new Set(
    (await readdir(directory(language))).filter((file) => file.endsWith(".md")).map((file) => file.slice(0, -3))
  )
  const unlisted = [...present].filter((name) => !(order as ReadonlyArray<string>).includes(name))
  if (unlisted.length > 0) {
    throw new Error(`guides/${folder(language)}: not in Guides.order: ${unlisted.map((n) => `${n}.md`).join(", ")}`)
  }
  return order.filter((name) => present.has(name))
}

/** Reads and renders every guide written in a language, in `order`. */
export const load = async (language: Language): Promise<ReadonlyArray<Guide>> =>
  Promise.all(
    (await names(language)).map(async (name) =>
      render(name, await readFile(`${directory(language)}${name}.md`, "utf8"))
    )
  )
