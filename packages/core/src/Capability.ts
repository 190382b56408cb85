/**
 * The abstract operations of the `WhatsApp` service, by name, as capability sets. A provider
 * supports the operations it implements; calling one outside its set fails with `Unsupported`,
 * never silently does nothing. Derived from `Operation`, where every operation is declared.
 */
import { Schema } from "effect"
import * as Operation from "./Operation.ts"

/** The name of one abstract operation. */
export type Capability = Operation.Name

/** Every capability, in service order. */
export const all: ReadonlyArray<Capability> = Operation.names

/** Every capability, grouped as the service is. */
export const groups: { readonly [G in Operation.Group]: ReadonlyArray<Capability> } = ((): Record<
  Operation.Group,
  Array<Capability>
> => {
  const grouped: Record<Operation.Group, Array<Capability>> = {
    instance: [],
    sending: [],
    messages: [],
    chats: [],
    contacts: [],
    groups: [],
    profile: [],
    webhook: []
  }
  for (const name of all) grouped[Operation.operations[name].group].push(name)
  return grouped
})()

/** The schema of a capability name. */
export const Capability = Schema.Literals(all as readonly [Capability, ...Array<Capability>])

/** What a provider can do. */
export type Capabilities = ReadonlySet<Capability>

/** Tells whether a string names a capability. */
export const isCapability = (name: string): name is Capability => Object.hasOwn(Operation.operations, name)
