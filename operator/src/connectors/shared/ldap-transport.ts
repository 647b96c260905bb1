/**
 * One reused, bound LDAP connection per connector. Operations share the connection (ldapts
 * multiplexes requests by message id, so concurrent calls are pipelined). When the connection
 * breaks, the broken client is dropped and the next operation reconnects and binds again; a
 * client is never used unbound after a silent reconnect.
 */
import type { ConnectionOptions } from "node:tls";
import { Client, type Attribute, type Change, type Entry, type SearchOptions } from "ldapts";
import type { Logger } from "pino";
import { isRosterError, TransientError } from "../../errors.js";
import { classifyLdapError, isConnectionFailure } from "./ldap-errors.js";

export interface LdapConnectionSettings {
  url: string;
  startTLS: boolean;
  tls: { ca?: string | undefined; insecureSkipVerify: boolean };
  bindDN: string;
  /** Already resolved from the Target's Secret; never logged. */
  bindPassword: string;
  timeoutMs: number;
  connectTimeoutMs: number;
}

export interface LdapSearch {
  scope: "base" | "one" | "sub";
  filter: string;
  attributes: string[];
  /** Page size for the paged-results control (RFC 2696); omitted for small searches. */
  pageSize?: number;
  /** Attributes to return as Buffers (binary values such as objectGUID). */
  binaryAttributes?: string[];
  signal?: AbortSignal | undefined;
}

export function tlsOptionsFor(settings: Pick<LdapConnectionSettings, "tls">): ConnectionOptions {
  return {
    ...(settings.tls.ca ? { ca: settings.tls.ca } : {}),
    rejectUnauthorized: !settings.tls.insecureSkipVerify,
  };
}

export class LdapTransport {
  private bound: Promise<Client> | undefined;

  constructor(
    private readonly settings: LdapConnectionSettings,
    private readonly logger?: Logger,
  ) {}

  /** Opens a fresh connection and binds with `dn`/`password` (also used for user-bind checks). */
  async connectAs(dn: string, password: string): Promise<Client> {
    const client = new Client({
      url: this.settings.url,
      timeout: this.settings.timeoutMs,
      connectTimeout: this.settings.connectTimeoutMs,
      ...(this.settings.url.startsWith("ldaps:") ? { tlsOptions: tlsOptionsFor(this.settings) } : {}),
    });
    try {
      if (this.settings.startTLS) await client.startTLS(tlsOptionsFor(this.settings));
      await client.bind(dn, password);
      return client;
    } catch (err) {
      await client.unbind().catch(() => undefined);
      throw err;
    }
  }

  private client(): Promise<Client> {
    if (!this.bound) {
      const connecting = this.connectAs(this.settings.bindDN, this.settings.bindPassword);
      this.bound = connecting;
      connecting.catch(() => {
        if (this.bound === connecting) this.bound = undefined;
      });
    }
    return this.bound;
  }

  private async drop(client: Promise<Client>): Promise<void> {
    if (this.bound !== client) return;
    this.bound = undefined;
    await (await client).unbind().catch(() => undefined);
  }

  /** Runs `fn` on the bound client, classifying failures and dropping a broken connection. */
  private async run<T>(context: string, fn: (client: Client) => Promise<T>): Promise<T> {
    let pending = this.client();
    try {
      let client = await pending;
      if (!client.isConnected) {
        await this.drop(pending);
        pending = this.client();
        client = await pending;
      }
      return await fn(client);
    } catch (err) {
      if (isRosterError(err)) throw err;
      if (isConnectionFailure(err)) {
        this.logger?.debug({ err: (err as Error).message }, "ldap connection dropped");
        await this.drop(pending).catch(() => undefined);
      }
      throw classifyLdapError(context, err);
    }
  }

  async search(baseDN: string, search: LdapSearch): Promise<Entry[]> {
    const options: SearchOptions = {
      scope: search.scope,
      filter: search.filter,
      attributes: search.attributes,
      ...(search.binaryAttributes ? { explicitBufferAttributes: search.binaryAttributes } : {}),
    };
    return this.run(`ldap search at ${baseDN} for ${search.filter} failed`, async (client) => {
      if (!search.pageSize) return (await client.search(baseDN, options)).searchEntries;
      const entries: Entry[] = [];
      const pages = client.searchPaginated(baseDN, { ...options, paged: { pageSize: search.pageSize } });
      for await (const page of pages) {
        if (search.signal?.aborted) throw new TransientError("Aborted", "the listing was aborted");
        entries.push(...page.searchEntries);
      }
      return entries;
    });
  }

  add(dn: string, attributes: Attribute[] | Record<string, string | string[]>): Promise<void> {
    return this.run(`ldap add of ${dn} failed`, (client) => client.add(dn, attributes));
  }

  modify(dn: string, changes: Change[]): Promise<void> {
    return this.run(`ldap modify of ${dn} failed`, (client) => client.modify(dn, changes));
  }

  del(dn: string): Promise<void> {
    return this.run(`ldap delete of ${dn} failed`, (client) => client.del(dn));
  }

  /** An extended operation; `what` names it for messages (the value may hold a secret). */
  async exop(what: string, oid: string, value: Buffer): Promise<void> {
    await this.run(`ldap ${what} failed`, (client) => client.exop(oid, value));
  }

  /**
   * Connects and binds afresh with the configured credentials on a separate connection (a bind
   * on the shared one would race with requests in flight): the Target `Connected` check.
   */
  async check(): Promise<void> {
    try {
      const client = await this.connectAs(this.settings.bindDN, this.settings.bindPassword);
      await client.unbind().catch(() => undefined);
    } catch (err) {
      throw classifyLdapError(`ldap bind to ${this.settings.url} as ${this.settings.bindDN} failed`, err);
    }
  }

  async close(): Promise<void> {
    const pending = this.bound;
    this.bound = undefined;
    if (pending) await (await pending.catch(() => undefined))?.unbind().catch(() => undefined);
  }
}
