/**
 * The site's two languages and every piece of text the site itself writes (navigation, headings,
 * the index, the matrix). The guides are written in each language (`guides/` and
 * `guides/pt-BR/`); the API references are generated from English sources and shared by both.
 */
import type { Operation } from "@pombo/core"

/** The languages, English first: its pages sit at the site root, the others under `<language>/`. */
export const languages = ["en", "pt-BR"] as const

/** A language of the site, as a BCP 47 tag (the pages' `<html lang>`). */
export type Language = (typeof languages)[number]

/** The folder a language's pages live in, relative to the site root (`""` or `"pt-BR/"`). */
export const folder = (language: Language): string => (language === "en" ? "" : `${language}/`)

/** The text of the site chrome in one language; values with HTML are marked `Html`. */
export interface Messages {
  /** The language's own name, for the switch that leads to it. */
  readonly name: string
  readonly skipToContent: string
  readonly footerHtml: string
  readonly documentation: string
  readonly capabilityMatrix: string
  readonly references: string
  readonly guides: string
  readonly apiReference: string
  readonly apiReferenceSummary: string
  readonly vendorReference: (vendor: string) => string
  readonly vendorReferenceCounts: (operations: number, webhooks: number, covered: number, total: number) => string
  readonly introHtml: (vendors: string) => string
  readonly matrixIntroHtml: string
  readonly matrixCaptionHtml: string
  readonly operation: string
  readonly notOffered: string
  readonly group: Readonly<Record<Operation.Group, string>>
  readonly next: string
  readonly otherLanguage: string
  /** `a`, `a and b`, `a, b and c`. */
  readonly list: (items: ReadonlyArray<string>) => string
}

const list =
  (and: string) =>
  (items: ReadonlyArray<string>): string =>
    items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} ${and} ${items.at(-1)}`

/** The site's text, per language. */
export const messages: Readonly<Record<Language, Messages>> = {
  en: {
    name: "English",
    skipToContent: "Skip to content",
    footerHtml: "Generated from the OpenAPI documents in <code>openapi/</code> by <code>pnpm run docs</code>.",
    documentation: "Pombo documentation",
    capabilityMatrix: "Capability matrix",
    references: "API references",
    guides: "Guides",
    apiReference: "Pombo API reference",
    apiReferenceSummary:
      "Every public module of <code>pombo</code> and the <code>@pombo/*</code> packages, generated from the TypeScript sources and their doc comments.",
    vendorReference: (vendor) => `${vendor} API reference`,
    vendorReferenceCounts: (operations, webhooks, covered, total) =>
      `${operations} operations, ${webhooks} webhook payloads; backs ${covered} of ${total} abstract operations.`,
    introHtml: (vendors) =>
      `Pombo gives a TypeScript application one <a href="https://effect.website">Effect</a> service, <code>WhatsApp</code>,
over the WhatsApp vendors ${vendors}, and picks the vendor behind it by configuration. The vendor references and the
capability matrix are generated from the hand-written OpenAPI documents in <code>openapi/</code>, the Pombo API
reference from the TypeScript sources, and the guides from <code>apps/docs/guides/</code>.`,
    matrixIntroHtml: `An operation a vendor does not offer fails with the typed <code>Unsupported</code> error; it never silently does
nothing. Each provider's <code>capabilities</code> set is generated from the same data this table is.`,
    matrixCaptionHtml:
      "Each abstract operation of the <code>WhatsApp</code> service, and the vendor operations that carry it. Links open the operation in the vendor's API reference.",
    operation: "Operation",
    notOffered: "not offered by the vendor",
    group: {
      instance: "Instance",
      sending: "Sending",
      messages: "Messages",
      chats: "Chats",
      contacts: "Contacts",
      groups: "Groups",
      profile: "Profile",
      webhook: "Webhook"
    },
    next: "Next",
    otherLanguage: "Leia em português",
    list: list("and")
  },
  "pt-BR": {
    name: "Português",
    skipToContent: "Pular para o conteúdo",
    footerHtml: "Gerado a partir dos documentos OpenAPI em <code>openapi/</code> por <code>pnpm run docs</code>.",
    documentation: "Documentação do Pombo",
    capabilityMatrix: "Matriz de recursos",
    references: "Referências de API",
    guides: "Guias",
    apiReference: "Referência da API do Pombo",
    apiReferenceSummary:
      "Todos os módulos públicos de <code>pombo</code> e dos pacotes <code>@pombo/*</code>, gerados a partir do código TypeScript e dos seus comentários (em inglês).",
    vendorReference: (vendor) => `Referência da API ${vendor}`,
    vendorReferenceCounts: (operations, webhooks, covered, total) =>
      `${operations} operações, ${webhooks} payloads de webhook; atende ${covered} de ${total} operações abstratas.`,
    introHtml: (vendors) =>
      `O Pombo dá à sua aplicação TypeScript um único serviço <a href="https://effect.website">Effect</a>,
<code>WhatsApp</code>, sobre os fornecedores de WhatsApp ${vendors}, e escolhe o fornecedor por configuração. As
referências dos fornecedores e a matriz de recursos são geradas a partir dos documentos OpenAPI escritos à mão em
<code>openapi/</code>, a referência da API do Pombo a partir do código TypeScript, e os guias a partir de
<code>apps/docs/guides/pt-BR/</code>. As referências de API estão em inglês.`,
    matrixIntroHtml: `Uma operação que o fornecedor não oferece falha com o erro tipado <code>Unsupported</code>; ela nunca deixa de
fazer algo em silêncio. O conjunto <code>capabilities</code> de cada provedor é gerado dos mesmos dados desta tabela.`,
    matrixCaptionHtml:
      "Cada operação abstrata do serviço <code>WhatsApp</code> e as operações do fornecedor que a realizam. Os links abrem a operação na referência de API do fornecedor.",
    operation: "Operação",
    notOffered: "não oferecida pelo fornecedor",
    group: {
      instance: "Instância",
      sending: "Envio",
      messages: "Mensagens",
      chats: "Conversas",
      contacts: "Contatos",
      groups: "Grupos",
      profile: "Perfil",
      webhook: "Webhook"
    },
    next: "Próximo",
    otherLanguage: "Read in English",
    list: list("e")
  }
}
