import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: [
      "packages/*/test/**/*.test.ts",
      "apps/*/test/**/*.test.ts",
      "openapi/test/**/*.test.ts",
      "examples/**/*.test.ts",
      "scripts/**/*.test.ts"
    ],
    globalSetup: ["packages/testing/test/globalSetup.ts", "packages/testing/test/postgresSetup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000
  }
})
