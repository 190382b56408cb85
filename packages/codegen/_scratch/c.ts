import { loadSpec } from "../src/Spec.ts"
import { checkExamples } from "../src/SpecCheck.ts"

const doc = await loadSpec(process.argv[2]!)
console.log(JSON.stringify(doc, null, 1).slice(0, 3000))
console.log(Object.keys(doc.components), Object.keys(doc.components.schemas))
console.log(checkExamples(doc))
