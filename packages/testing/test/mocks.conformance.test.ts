import { inject } from "vitest"
import { Conformance } from "../src/index.ts"
import { vendorTargets } from "./targets.ts"

for (const target of vendorTargets(inject("mockUrls"))) Conformance.suite(target)
