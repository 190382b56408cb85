/**
 * effect's SQL `Migrator` for this client. The migrations table is created with SQLite's
 * dialect, the pending migrations run in one transaction (all or none), and only migrations newer
 * than the last recorded one run, so starting twice is harmless.
 */
import { Layer } from "effect"
import { Migrator } from "effect/sql"

/** Runs the pending migrations from `loader` (e.g. `Migrator.fromRecord`) and returns those it ran. */
export const run = Migrator.make({})

/** Runs the pending migrations while the layer is built; provides nothing. */
export const layer = <R>(options: Migrator.MigratorOptions<R>) => Layer.effectDiscard(run(options))
