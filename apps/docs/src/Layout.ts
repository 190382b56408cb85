/**
 * The page shell shared by the index and the guides, in both languages: one plain HTML document
 * with its stylesheet inline, so the site opens from disk or any static host with no network at
 * all. The vendor references (Redoc) and the Pombo API reference (TypeDoc) have their own pages.
 */
import { type Language, messages } from "./Language.ts"

/** Escapes text for use in HTML content and attribute values. */
export const escapeHtml = (text: string): string =>
  text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;")

/** A link in the page header. */
export interface NavLink {
  readonly href: string
  readonly label: string
}

/** The same page in the other language. */
export interface Counterpart {
  readonly href: string
  readonly language: Language
}

/** What a page is made of. */
export interface PageOptions {
  /** The page's language: `<html lang>` and the chrome's text. */
  readonly language: Language
  /** Where the language switch leads. */
  readonly counterpart: Counterpart
  /** The document title (the tab's text); the page's own `<h1>` is part of `body`. */
  readonly title: string
  /** Header links, relative to the page. */
  readonly nav: ReadonlyArray<NavLink>
  /** The page content, already HTML. */
  readonly body: string
  /** Narrow the content to a comfortable reading width (guides). */
  readonly prose?: boolean
}

const style = `
:root { color-scheme: light; --text: #1f2328; --muted: #59636e; --line: #d1d9e0; --accent: #0a6b3d;
  --soft: #f6f8fa; --none: #8c959f; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--text); background: #fff; }
a { color: var(--accent); }
a:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: .5rem; background: #fff; padding: .25rem .5rem; z-index: 1; }
header { border-bottom: 1px solid var(--line); background: var(--soft); }
header nav { max-width: 72rem; margin: 0 auto; padding: .75rem 1.5rem; display: flex; flex-wrap: wrap; gap: .25rem 1.25rem;
  align-items: baseline; }
header nav a { text-decoration: none; }
header nav a:hover { text-decoration: underline; }
header nav .brand { font-weight: 700; color: var(--text); margin-right: .5rem; }
header nav .language { margin-left: auto; }
main { max-width: 72rem; margin: 0 auto; padding: 1.5rem; }
main.prose { max-width: 48rem; }
h1 { font-size: 2rem; line-height: 1.25; margin: .5rem 0 1rem; }
h2 { font-size: 1.4rem; margin: 2rem 0 .75rem; padding-bottom: .25rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
code { font: .875em/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--soft);
  padding: .1em .3em; border-radius: 4px; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 1rem; overflow-x: auto;
  line-height: 1.4; }
pre code { background: none; padding: 0; font-size: .85rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--line); padding: .4rem .6rem; text-align: left; vertical-align: top; }
thead th { background: var(--soft); position: sticky; top: 0; }
.matrix tbody th[scope="rowgroup"] { background: #eef6f1; font-size: 1.05rem; }
.matrix td ul { list-style: none; margin: 0; padding: 0; }
.matrix td li + li { margin-top: .35rem; }
.matrix .summary { display: block; color: var(--muted); font-size: .85rem; line-height: 1.35; }
.matrix .none { color: var(--none); font-style: italic; }
.muted { color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: 1rem; padding: 0;
  list-style: none; }
.cards li { border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; }
footer { max-width: 72rem; margin: 2rem auto; padding: 0 1.5rem; color: var(--muted); font-size: .85rem; }
`

/** Renders a complete HTML document. */
export const page = (options: PageOptions): string => {
  const text = messages[options.language]
  const other = messages[options.counterpart.language]
  const links = options.nav.map(
    (link, i) => `<a${i === 0 ? ' class="brand"' : ""} href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a>`
  )
  const language = `<a class="language" rel="alternate" href="${escapeHtml(options.counterpart.href)}" hreflang="${
    options.counterpart.language
  }" lang="${options.counterpart.language}" title="${escapeHtml(text.otherLanguage)}">${escapeHtml(other.name)}</a>`
  return `<!doctype html>
<html lang="${options.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<link rel="alternate" hreflang="${options.counterpart.language}" href="${escapeHtml(options.counterpart.href)}">
<style>${style}</style>
</head>
<body>
<a class="skip" href="#content">${escapeHtml(text.skipToContent)}</a>
<header><nav aria-label="Site">${links.join("")}${language}</nav></header>
<main id="content"${options.prose ? ' class="prose"' : ""}>
${options.body}
</main>
<footer>${text.footerHtml}</footer>
</body>
</html>
`
}
