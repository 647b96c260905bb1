import { TerminalError, TransientError } from "../../errors.js";
import { isNotFound, type KubeClient, type KubeObject } from "../../runtime/index.js";
import { SECRETS } from "../resources.js";

/**
 * Reads values from Secrets in a Target's namespace and remembers which Secret versions a
 * connector was built from (its fingerprint). Values are returned to the caller only; they are
 * never logged and never part of an error message.
 */
export class SecretReader {
  private readonly versions = new Map<string, string>();

  constructor(
    private readonly client: KubeClient,
    private readonly namespace: string,
  ) {}

  async value(ref: { name: string; key: string }): Promise<string> {
    const secret = await this.read(ref.name);
    const data = (secret.data ?? {}) as Record<string, string>;
    const encoded = data[ref.key];
    if (encoded === undefined) {
      throw new TerminalError(
        "SecretKeyNotFound",
        `Secret ${this.namespace}/${ref.name} has no key ${JSON.stringify(ref.key)}`,
      );
    }
    return Buffer.from(encoded, "base64").toString("utf8");
  }

  async optional(ref: { name: string; key: string } | undefined): Promise<string | undefined> {
    return ref ? this.value(ref) : undefined;
  }

  /** "name@resourceVersion" of every Secret read, sorted: changes when any of them changes. */
  fingerprint(): string {
    return [...this.versions]
      .map(([name, rv]) => `${name}@${rv}`)
      .sort()
      .join(",");
  }

  private async read(name: string): Promise<KubeObject & { data?: unknown }> {
    try {
      const secret = await this.client.get<KubeObject & { data?: unknown }>(SECRETS, {
        namespace: this.namespace,
        name,
      });
      this.versions.set(name, secret.metadata?.resourceVersion ?? "");
      return secret;
    } catch (err) {
      if (isNotFound(err)) {
        throw new TerminalError("SecretNotFound", `Secret ${this.namespace}/${name} does not exist`);
      }
      throw new TransientError("SecretReadFailed", `reading Secret ${this.namespace}/${name} failed`, {
        cause: err,
      });
    }
  }
}
