/**
 * A Prism mock server for one of Pombo's specs, started in-process on a free local port. It
 * validates every request against the spec (parameters, body, security) and answers with the
 * spec's documented examples, so a request Prism accepts is one the vendor documents.
 */
import { createLogger } from "@stoplight/prism-core"
import { getHttpOperationsFromSpec } from "@stoplight/prism-http"
import { createServer } from "@stoplight/prism-http-server"

/** A running mock server. */
export interface PrismServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string
  /** Stops the server. */
  readonly close: () => Promise<void>
}

/** Options for `start`. */
export interface StartOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  readonly port?: number
  /** Host to bind; default `127.0.0.1`. */
  readonly host?: string
}

/** Starts Prism for the spec at `specPath` with request validation and security checks on. */
export const start = async (specPath: string, options: StartOptions = {}): Promise<PrismServer> => {
  process.env.SCARF_ANALYTICS ??= "false"
  const operations = await getHttpOperationsFromSpec(specPath)
  const server = createServer(operations, {
    cors: false,
    components: { logger: createLogger("prism", { level: "silent" }) },
    config: {
      mock: { dynamic: false },
      validateRequest: true,
      validateResponse: true,
      checkSecurity: true,
      errors: false,
      upstreamProxy: undefined,
      isProxy: false
    }
  } as Parameters<typeof createServer>[1])
  const url = await server.listen(options.port ?? 0, options.host ?? "127.0.0.1")
  return { url, close: () => server.close() }
}
