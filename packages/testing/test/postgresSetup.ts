/**
 * Starts one throwaway PostgreSQL cluster for the whole test run and hands its URL to the tests
 * (`inject("postgres")`); each suite creates its own database in it. Where PostgreSQL cannot be
 * started the tests that need it skip and say why — except in CI (`CI=true`), where the run fails
 * instead, so the Postgres tests can never be silently skipped there.
 */
import type { TestProject } from "vitest/node"
import { PostgresServer } from "../src/index.ts"

declare module "vitest" {
  export interface ProvidedContext {
    postgres: { readonly url: string; readonly version: string } | { readonly unavailable: string }
  }
}

export default async function setup(project: TestProject) {
  try {
    const server = await PostgresServer.start()
    project.provide("postgres", { url: server.url, version: server.version })
    return () => server.stop()
  } catch (error) {
    if (process.env.CI === "true") throw error
    const unavailable = error instanceof Error ? error.message : String(error)
    console.warn(`PostgreSQL tests will be skipped: ${unavailable}`)
    project.provide("postgres", { unavailable })
    return undefined
  }
}
