/**
 * Options only one vendor understands, passed through any operation as `providerOptions`, keyed by
 * provider (`{ zapi: { delayMessage: 5 } }`). A provider reads its own key and ignores the others,
 * so the same call works under every vendor. Each provider package adds its key to this interface
 * (module augmentation), typed from its spec, and checks the values it receives.
 */

/** Provider options by provider name; provider packages add their own typed key. */
export interface ProviderOptions {
  readonly [provider: string]: object | undefined
}

/** What every operation input may carry besides its own fields. */
export interface WithProviderOptions {
  /** Options for one vendor only, by provider name; other providers ignore them. */
  readonly providerOptions?: ProviderOptions | undefined
}
