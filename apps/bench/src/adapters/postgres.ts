/** Adapter: a throwaway PostgreSQL cluster for the outbox figures (`@pombo/testing`'s `PostgresServer`). */
export { start as startPostgres } from "@pombo/testing/PostgresServer"
