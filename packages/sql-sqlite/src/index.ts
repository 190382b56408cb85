/**
 * `@pombo/sql-sqlite`: effect's `SqlClient` over Node's built-in `node:sqlite`, the embedded
 * default store of Pombo's durable inbox and outbox. Replace it with `@effect/sql-sqlite-node`
 * once that driver ships for effect 4.1.
 */

/** The client: `make`, `layer`, `layerConfig`. */
export * as SqliteClient from "./SqliteClient.ts"
/** effect's `Migrator` bound to this client. */
export * as SqliteMigrator from "./SqliteMigrator.ts"
