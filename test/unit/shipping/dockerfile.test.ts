/**
 * What can be checked about the container image without a Docker engine: the base is a current
 * Node.js LTS pinned to a release, the runtime stage runs as a numeric non-root user with only
 * production dependencies and the compiled operator, and its ENTRYPOINT is the file the build
 * really emits.
 */
import { execFile } from "node:child_process";
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { OperatorConfig } from "../../../operator/src/main.js";
import {
  execForm,
  instructionsOf,
  parseCopy,
  parseDockerfile,
  type Dockerfile,
  type Stage,
} from "./dockerfile.js";

const run = promisify(execFile);
const root = path.resolve(".");
const dockerfile: Dockerfile = parseDockerfile(readFileSync(path.join(root, "Dockerfile"), "utf8"));
const runtime = dockerfile.stages.at(-1) as Stage;
const stageNamed = (name: string | undefined) => dockerfile.stages.find((s) => s.name === name);

interface BuildConfig {
  compilerOptions: { outDir: string; rootDir: string };
  include: string[];
}
const buildConfig = JSON.parse(readFileSync(path.join(root, "tsconfig.build.json"), "utf8")) as BuildConfig;

/** Where tsc -p tsconfig.build.json writes the JavaScript for a source file. */
function emittedPath(source: string): string {
  const { outDir, rootDir } = buildConfig.compilerOptions;
  return path.posix.join(outDir, path.posix.relative(rootDir, source)).replace(/\.ts$/, ".js");
}

function nodeMajor(image: string): number | undefined {
  const match = /^(?:docker\.io\/(?:library\/)?)?node:(\d+)\.(\d+)\.(\d+)(?:-[a-z0-9.-]+)?$/.exec(image);
  return match ? Number(match[1]) : undefined;
}

describe("Dockerfile: base image", () => {
  it("has a build stage and a separate runtime stage", () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(2);
  });

  it.each(dockerfile.stages.map((s) => [s.name ?? "(unnamed)", s.image]))(
    "stage %s uses node pinned to an exact LTS release (%s)",
    (_name, image) => {
      const major = nodeMajor(image);
      expect(major).toBeDefined();
      // Even majors become LTS; 20 reached end of life in April 2026.
      expect(major! % 2).toBe(0);
      expect(major!).toBeGreaterThanOrEqual(22);
    },
  );
});

describe("Dockerfile: runtime stage", () => {
  it("runs as a numeric, non-root user", () => {
    const users = instructionsOf(runtime, "USER");
    expect(users).toHaveLength(1);
    const [uid, gid] = (users[0]?.args ?? "").split(":");
    expect(uid).toMatch(/^\d+$/);
    expect(Number(uid)).toBeGreaterThan(0);
    if (gid !== undefined) expect(gid).toMatch(/^[1-9]\d*$/);
  });

  it("sets NODE_ENV=production", () => {
    const env = instructionsOf(runtime, "ENV")
      .map((i) => i.args)
      .join(" ");
    expect(env).toMatch(/(^|\s)NODE_ENV=production(\s|$)/);
  });

  it("installs no devDependencies: node_modules only comes from an `npm ci --omit=dev` stage", () => {
    for (const step of instructionsOf(runtime, "RUN")) expect(step.args).not.toMatch(/npm (ci|install)/);
    const copies = instructionsOf(runtime, "COPY").map((c) => parseCopy(c.args));
    const modules = copies.filter((c) => c.sources.some((s) => s.includes("node_modules")));
    expect(modules).toHaveLength(1);
    const source = stageNamed(modules[0]?.from);
    expect(source).toBeDefined();
    const installs = instructionsOf(source!, "RUN").filter((r) => /npm (ci|install)/.test(r.args));
    expect(installs.length).toBeGreaterThan(0);
    for (const install of installs) expect(install.args).toMatch(/--omit=dev|--production/);
  });

  it("copies only the compiled operator and package.json: no sources, tests or localkube", () => {
    for (const copy of instructionsOf(runtime, "COPY").map((c) => parseCopy(c.args))) {
      for (const source of copy.sources) {
        expect(source).not.toMatch(/(^|\/)(test|localkube|bench|examples)(\/|$)/);
        expect(source).not.toMatch(/^\.\/?$/);
        if (copy.from === undefined) expect(source).toBe("package.json");
        else if (!source.includes("node_modules")) expect(source).toMatch(/\/dist\/operator\/?$/);
      }
    }
  });

  it("starts the file that `npm run build` emits for operator/src/main.ts, in exec form", async () => {
    const entrypoint = execForm(instructionsOf(runtime, "ENTRYPOINT")[0]?.args ?? "");
    expect(entrypoint).toEqual(["node", emittedPath("operator/src/main.ts")]);
    const { stdout } = await run(
      process.execPath,
      ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json", "--listFilesOnly"],
      { cwd: root, maxBuffer: 16 * 1024 * 1024 },
    );
    expect(stdout.split("\n")).toContain(path.join(root, "operator/src/main.ts"));
    // The runtime copies <outDir>/operator to <WORKDIR>/dist/operator, so the relative path resolves.
    const workdir = instructionsOf(runtime, "WORKDIR").at(-1)?.args;
    const copied = instructionsOf(runtime, "COPY")
      .map((c) => parseCopy(c.args))
      .find((c) => c.sources.some((s) => s.endsWith("/dist/operator")));
    expect(copied?.destination).toBe(`./${buildConfig.compilerOptions.outDir}/operator`);
    expect(workdir).toBe("/app");
  }, 60_000);

  it("exposes the operator's default probe and metrics port", () => {
    const expose = instructionsOf(runtime, "EXPOSE").map((i) => i.args);
    expect(expose).toEqual([String(OperatorConfig.parse({}).httpPort)]);
  });
});

describe("Dockerfile: build stage", () => {
  it("compiles with every dependency and copies every directory tsconfig.build.json includes", () => {
    const build = dockerfile.stages.find((s) =>
      instructionsOf(s, "RUN").some((r) => r.args.includes("npm run build")),
    );
    expect(build).toBeDefined();
    const installs = instructionsOf(build!, "RUN").filter((r) => /npm ci/.test(r.args));
    expect(installs.some((r) => !r.args.includes("--omit=dev"))).toBe(true);
    const sources = instructionsOf(build!, "COPY").flatMap((c) => parseCopy(c.args).sources);
    for (const include of buildConfig.include) expect(sources).toContain(include);
  });
});

describe("production dependencies", () => {
  function sourceFiles(dir: string): string[] {
    return readdirSync(dir).flatMap((entry) => {
      const full = path.join(dir, entry);
      return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith(".ts") ? [full] : [];
    });
  }

  it("every package the operator imports is a dependency, not a devDependency", () => {
    const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    const imported = new Set<string>();
    for (const file of sourceFiles(path.join(root, "operator/src"))) {
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s+"([^".][^"]*)"/gm)) {
        const spec = match[1] ?? "";
        if (spec.startsWith("node:")) continue;
        imported.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!);
      }
    }
    expect(imported.size).toBeGreaterThan(0);
    for (const name of imported) expect(Object.keys(pkg.dependencies)).toContain(name);
  });
});

describe(".dockerignore", () => {
  const ignored = readFileSync(path.join(root, ".dockerignore"), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));

  it.each(["**/node_modules", "dist", ".git", "test", ".env"])("keeps %s out of the build context", (p) => {
    expect(ignored).toContain(p);
  });
});
