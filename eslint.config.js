// Lint rules, including the ones that keep Roster's layers apart:
//   runtime/     generic controller machinery: knows nothing of Roster's API, engine, controllers or connectors
//   api/         the API schemas: pure, no I/O
//   engine/      pure decisions (desired state, plan, status): no I/O, no runtime
//   connectors/  talk to targets: never import controllers
// Only main.ts composes everything.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const IO_MODULES = [
  "node:fs",
  "node:fs/promises",
  "node:net",
  "node:tls",
  "node:http",
  "node:https",
  "node:child_process",
  "fs",
  "net",
  "http",
  "https",
  "child_process",
  "pg",
  "ldapts",
  "@kubernetes/client-node",
];
const ioBan = IO_MODULES.map((name) => ({ name, message: "Pure modules must not do I/O." }));
const layer = (patterns, message) => patterns.map((group) => ({ group: [group], message }));

export default tseslint.config(
  { ignores: ["node_modules/**", "dist/**", "coverage/**", "crds/**", ".data/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": ["error", { allow: ["error"] }],
    },
  },
  {
    // client-node's generated API models cost the operator ~70 MiB when loaded: the runtime loads
    // it on demand (runtime/kube/kubeconfig.ts, for exec plugins and the like), never statically.
    files: ["operator/src/**/*.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@kubernetes/client-node",
              allowTypeImports: true,
              message: "Load client-node on demand (import()) only; its static import costs ~70 MiB.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["operator/src/runtime/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: layer(
            ["**/controllers/**", "**/connectors/**", "**/engine/**", "**/api/**"],
            "The generic runtime must not know about Roster's API, engine, controllers or connectors.",
          ),
        },
      ],
    },
  },
  {
    files: ["operator/src/api/**/*.ts", "operator/src/engine/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: ioBan,
          patterns: layer(
            ["**/runtime/**", "**/controllers/**", "**/connectors/**"],
            "Pure modules (api, engine) must not import I/O layers.",
          ),
        },
      ],
    },
  },
  {
    files: ["operator/src/connectors/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: layer(["**/controllers/**"], "Connectors must not import controllers.") },
      ],
    },
  },
  {
    files: [
      "test/**/*.ts",
      "scripts/**/*.ts",
      "bench/**/*.ts",
      "localkube/src/main.ts",
      "operator/src/cli/**/*.ts",
    ],
    rules: { "no-console": "off" },
  },
  {
    files: ["**/*.js"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
);
