/**
 * Reading the vCards WhatsApp puts in contact messages. WhatsApp writes the number twice on a
 * `TEL` line: `waid=` (the WhatsApp id, digits) and the value as the sender formatted it; the
 * `waid` wins, the value's digits stand in when there is none.
 */

/** The phone numbers of a vCard's `TEL` lines (digits, `+` kept when written), without repeats. */
export const phones = (vcard: string | undefined): Array<string> => {
  if (vcard === undefined) return []
  const out: Array<string> = []
  for (const line of vcard.split(/\r?\n/)) {
    if (!/^(item\d+\.)?TEL/i.test(line)) continue
    const waid = /waid=(\d+)/i.exec(line)?.[1]
    const phone = waid ?? line.slice(line.indexOf(":") + 1).replace(/[^\d+]/g, "")
    if (phone.length > 0 && !out.includes(phone)) out.push(phone)
  }
  return out
}

/** The vCard's formatted name (`FN:`), when it has one. */
export const fullName = (vcard: string | undefined): string | undefined =>
  vcard === undefined ? undefined : /^FN:(.*)$/m.exec(vcard)?.[1]?.trim() || undefined
