/**
 * Looking for secrets where they must never be: every rendering of an error (`String`,
 * `message`, JSON, inspection, `Cause.pretty`), every log line and every span (name, attributes,
 * events, failure). Shared by the conformance suite and the fault suite so both search the same
 * places the same way.
 */
import { Cause, Effect, Inspectable, type Layer, Logger, References, Tracer } from "effect"

/** Every way an application may render an error. */
export const renderings = (error: unknown): Array<string> => [
  String(error),
  error instanceof Error ? error.message : "",
  JSON.stringify(error) ?? "",
  Inspectable.toStringUnknown(error),
  Cause.pretty(Cause.fail(error))
]

/** What a capture collected so far. */
export interface Capture {
  /** Every log line, formatted as logfmt, at any level. */
  readonly lines: ReadonlyArray<string>
  /** Every span started. */
  readonly spans: ReadonlyArray<Tracer.NativeSpan>
  /** Runs `effect` with the capturing logger (every level) and tracer installed. */
  readonly around: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /** The lines and spans as texts: each span's name, attributes, events and failure. */
  readonly texts: () => Array<string>
}

/** A capturing logger and tracer. */
export const capture = (): Capture => {
  const lines: Array<string> = []
  const spans: Array<Tracer.NativeSpan> = []
  const tracer = Tracer.make({
    span: (options) => {
      const span = new Tracer.NativeSpan(options)
      spans.push(span)
      return span
    }
  })
  const logger = Logger.layer([Logger.make((options) => lines.push(Logger.formatLogFmt.log(options)))])
  return {
    lines,
    spans,
    around: (effect) =>
      effect.pipe(
        Effect.withTracer(tracer),
        Effect.provideService(References.MinimumLogLevel, "All"),
        Effect.provide(logger as Layer.Layer<never>)
      ),
    texts: () => [
      ...lines,
      ...spans.map((span) => {
        const failure =
          span.status._tag === "Ended" && span.status.exit._tag === "Failure"
            ? Cause.pretty(span.status.exit.cause)
            : ""
        return span.name + JSON.stringify([...span.attributes, ...span.events]) + failure
      })
    ]
  }
}

/** The secrets (or distinctive parts of them) that occur in any of `texts`. */
export const found = (texts: ReadonlyArray<string>, secrets: ReadonlyArray<string>): Array<string> =>
  secrets.filter((secret) => secret.length > 0 && texts.some((text) => text.includes(secret)))
