/**
 * Auto-detection's switch for `PayloadHash.of`: while a decoder is only being asked whether it
 * recognises a payload, the id of an `Unknown` it builds is thrown away, so hashing the payload
 * for it is skipped (it is most of what a decoder that does not recognise a payload costs).
 * Decoding is synchronous, so the switch is on for exactly one decoder's call.
 */
export const hashProbe = {
  /** While `true`, `PayloadHash.of` answers a placeholder instead of hashing. */
  active: false,
  /** Whether a hash was skipped since `active` was last set: the events hold a placeholder. */
  skipped: false
}

/** What `PayloadHash.of` answers while probing: never an id a real payload hashes to (not hex). */
export const placeholderHash = "probe"
