// Jest runs TypeScript as native ESM (client-node 1.x is ESM-only), through ts-jest's ESM preset.
const esm = {
  preset: "ts-jest/presets/default-esm",
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".ts"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  transform: { "^.+\\.ts$": ["ts-jest", { useESM: true, tsconfig: "tsconfig.json" }] },
};

/** @type {import('jest').Config} */
export default {
  projects: [
    { ...esm, displayName: "unit", testMatch: ["<rootDir>/test/unit/**/*.test.ts"] },
    { ...esm, displayName: "integration", testMatch: ["<rootDir>/test/integration/**/*.test.ts"] },
  ],
  // Global (Jest ignores it per project): integration tests start real servers on a loaded 2-core machine.
  testTimeout: 60000,
};
