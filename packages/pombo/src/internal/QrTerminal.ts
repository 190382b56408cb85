/**
 * A QR code image, as the vendors give it (a PNG data URL), drawn with text for a terminal. The
 * vendors send only the picture, so its module grid is read back from the pixels: the top-left
 * finder pattern (7 modules wide) gives the module size, the top-right one the width.
 */
import { decode } from "fast-png"

/** A QR code's modules, row by row; `true` is dark. */
export type Grid = ReadonlyArray<ReadonlyArray<boolean>>

/** The module grid of a PNG data URL, or `undefined` when the image is not a readable QR code. */
export const read = (dataUrl: string): Grid | undefined => {
  const base64 = /^data:image\/png;base64,(.+)$/s.exec(dataUrl.trim())?.[1]
  if (base64 === undefined) return undefined
  let image: ReturnType<typeof decode>
  try {
    image = decode(Buffer.from(base64, "base64"))
  } catch {
    return undefined
  }
  const { width, height, data, channels, palette } = image
  const max = image.depth === 16 ? 65535 : (1 << image.depth) - 1
  const dark = (x: number, y: number): boolean => {
    const at = (Math.floor(y) * width + Math.floor(x)) * channels
    if (palette !== undefined) {
      const [r = 255, g = 255, b = 255, a = 255] = palette[data[at] ?? 0] ?? []
      return a >= 128 && (r + g + b) / 3 < 128
    }
    const alpha = channels === 2 || channels === 4 ? (data[at + channels - 1] ?? max) / max : 1
    const level = channels >= 3 ? ((data[at] ?? 0) + (data[at + 1] ?? 0) + (data[at + 2] ?? 0)) / 3 : (data[at] ?? 0)
    return alpha >= 0.5 && level / max < 0.5
  }
  let top = -1
  let left = -1
  for (let y = 0; y < height && top < 0; y++) {
    for (let x = 0; x < width; x++) {
      if (dark(x, y)) {
        top = y
        left = x
        break
      }
    }
  }
  if (top < 0) return undefined
  let run = 0
  while (left + run < width && dark(left + run, top)) run++
  let right = width - 1
  while (right > left && !dark(right, top)) right--
  const module = run / 7
  const size = Math.round((right - left + 1) / module)
  if (module < 1 || size < 21 || size > 177 || (size - 17) % 4 !== 0) return undefined
  if (top + size * module > height + 0.5) return undefined
  return Array.from({ length: size }, (_, row) =>
    Array.from({ length: size }, (_, column) => dark(left + (column + 0.5) * module, top + (row + 0.5) * module))
  )
}

/**
 * The grid as text, two module rows per line with half blocks, light modules drawn and dark ones
 * blank (so it scans on a dark terminal), inside the quiet zone scanners need.
 */
export const draw = (grid: Grid): string => {
  const quiet = 2
  const size = grid.length + quiet * 2
  const light = (row: number, column: number) => !(grid[row - quiet]?.[column - quiet] ?? false)
  const lines: Array<string> = []
  for (let row = 0; row < size; row += 2) {
    let line = ""
    for (let column = 0; column < size; column++) {
      const upper = light(row, column)
      const lower = row + 1 < size ? light(row + 1, column) : false
      line += upper && lower ? "█" : upper ? "▀" : lower ? "▄" : " "
    }
    lines.push(line)
  }
  return lines.join("\n")
}
