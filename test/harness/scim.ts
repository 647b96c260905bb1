/**
 * Third-party SCIM 2.0 peers for tests, each started as a child process from test/peers/ (a
 * separate npm package): Better Auth's SCIM plugin on a throwaway PostgreSQL, and scimmy-routers
 * with an in-memory store. `request` talks to the peer directly (not through the connector), for
 * fixtures and for assertions.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { jsonClient } from "./http-json.js";
import { freePort } from "./ports.js";
import { startPostgres } from "./postgres.js";

export interface ScimPeer {
  name: string;
  /** SCIM base URL, e.g. http://127.0.0.1:P/scim/v2 */
  baseURL: string;
  token: string;
  /** A raw SCIM request with the peer's bearer token; the body is parsed JSON (or undefined). */
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  /** The peer's own database, when it has one (Better Auth: PostgreSQL), for white-box reads. */
  databaseURL?: string;
  stop(): Promise<void>;
}

const PEERS_DIR = fileURLToPath(new URL("../peers/", import.meta.url));
const READY_TIMEOUT_MS = 90_000;

function newToken(): string {
  return `tok-${randomBytes(18).toString("hex")}`;
}

/** Spawns `node <script> ...args` and resolves with the URL from its `READY <url>` line. */
async function spawnPeer(script: string, args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: PEERS_DIR,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${script} not ready after ${READY_TIMEOUT_MS} ms:\n${output}`)),
      READY_TIMEOUT_MS,
    );
    let stdout = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /READY (\S+)/.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before it was ready:\n${output}`));
    });
  });
  return { child, url };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

function peer(name: string, baseURL: string, token: string, stop: () => Promise<void>): ScimPeer {
  const client = jsonClient(baseURL, { authorization: `Bearer ${token}`, accept: "*/*" }, 16);
  return {
    name,
    baseURL,
    token,
    async request(method, path, body) {
      const { status, body: answer } = await client.request(method, path, body, "application/scim+json");
      return { status, body: answer };
    },
    stop,
  };
}

/** Better Auth 1.7.5 with @better-auth/scim, on its own PostgreSQL 15. */
export async function startBetterAuthScim(): Promise<ScimPeer> {
  const postgres = await startPostgres();
  const token = newToken();
  try {
    const port = await freePort();
    const args = ["--port", String(port), "--database-url", postgres.connectionString, "--token", token];
    const { child, url } = await spawnPeer("better-auth-server.mjs", args);
    const betterAuth = peer("better-auth", url, token, async () => {
      await stopChild(child);
      await postgres.stop();
    });
    return { ...betterAuth, databaseURL: postgres.connectionString };
  } catch (err) {
    await postgres.stop();
    throw err;
  }
}

export interface ScimmyOptions {
  /** false: advertise no PATCH support (a PUT-only provider). */
  patch?: boolean;
  /** Serve an OAuth 2.0 client-credentials token endpoint at <origin>/oauth/token for this client. */
  oauthClient?: { id: string; secret: string; ttlSeconds?: number };
}

/** scimmy 1.3.5 + scimmy-routers 1.3.2 (Express 4), in-memory, with ETags. */
export async function startScimmyServer(options: ScimmyOptions = {}): Promise<ScimPeer> {
  const token = newToken();
  const port = await freePort();
  const args = ["--port", String(port), "--token", token];
  if (options.patch === false) args.push("--no-patch");
  if (options.oauthClient) {
    const { id, secret, ttlSeconds = 3600 } = options.oauthClient;
    args.push("--oauth-client", `${id}:${secret}`, "--oauth-ttl", String(ttlSeconds));
  }
  const { child, url } = await spawnPeer("scimmy-server.mjs", args);
  return peer("scimmy", url, token, () => stopChild(child));
}
