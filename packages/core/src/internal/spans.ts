/**
 * Trace options for every span Pombo opens (`WhatsApp.<operation>` and the client's
 * `<Vendor>.<operationId>`): no stack trace is captured, since capturing one costs every call an
 * `Error` and it would point into Pombo, not the application's code.
 */
export const withoutStackTrace = { captureStackTrace: false } as const
