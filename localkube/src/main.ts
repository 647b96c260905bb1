/** `npm run localkube -- [--port N] [--data-dir DIR] [--tls] [--kubeconfig-out FILE] [--minor N] [--rbac]` */
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { LocalKubeServer } from "./server.js";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "6443" },
      "data-dir": { type: "string" },
      tls: { type: "boolean", default: false },
      rbac: { type: "boolean", default: false },
      minor: { type: "string", default: "31" },
      "kubeconfig-out": { type: "string", default: "localkube.kubeconfig" },
      "admin-token": { type: "string" },
    },
  });
  const server = new LocalKubeServer({
    port: Number(values.port),
    tls: values.tls,
    rbac: values.rbac,
    minorVersion: Number(values.minor),
    logger: pino({ name: "localkube", level: "info" }),
    ...(values["data-dir"] ? { dataDir: values["data-dir"] } : {}),
    ...(values["admin-token"] ? { adminToken: values["admin-token"] } : {}),
  });
  const url = await server.start();
  const kubeconfigPath = values["kubeconfig-out"];
  await writeFile(kubeconfigPath, server.kubeconfig(), { mode: 0o600 });
  console.log(`localkube serving ${url}`);
  console.log(`kubeconfig written to ${kubeconfigPath}: export KUBECONFIG=${kubeconfigPath}`);
  const shutdown = (): void => {
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
