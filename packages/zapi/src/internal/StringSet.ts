/**
 * A set of strings for de-duplicating a list in one pass: open addressing over a 32-bit FNV-1a
 * hash of the characters, in a table sized for the list up front. Adding strings `JSON.parse` has
 * just made costs about half what `Set#add` does, the largest part of reading a group
 * notification's members (up to thousands in one payload).
 */
export class StringSet {
  private slots: Int32Array
  private readonly values: Array<string> = []

  /** A set expected to hold up to `expected` strings (it grows past that if need be). */
  constructor(expected: number) {
    this.slots = StringSet.table(expected)
  }

  /** Adds `value`; `true` when it was not in the set yet. */
  add(value: string): boolean {
    const slots = this.slots
    const mask = slots.length - 1
    let slot = StringSet.hash(value) & mask
    for (;;) {
      const at = slots[slot] as number
      if (at === -1) break
      if (this.values[at] === value) return false
      slot = (slot + 1) & mask
    }
    slots[slot] = this.values.length
    this.values.push(value)
    // At most half full, so a probe always meets an empty slot soon.
    if (this.values.length * 2 > slots.length) this.grow()
    return true
  }

  private grow(): void {
    const slots = StringSet.table(this.values.length * 2)
    const mask = slots.length - 1
    for (let at = 0; at < this.values.length; at++) {
      let slot = StringSet.hash(this.values[at] as string) & mask
      while (slots[slot] !== -1) slot = (slot + 1) & mask
      slots[slot] = at
    }
    this.slots = slots
  }

  private static table(expected: number): Int32Array {
    let size = 16
    while (size < expected * 2) size *= 2
    return new Int32Array(size).fill(-1)
  }

  private static hash(value: string): number {
    let hash = 0x811c9dc5
    for (let i = 0; i < value.length; i++) hash = Math.imul(hash ^ value.charCodeAt(i), 0x01000193)
    return hash >>> 0
  }
}
