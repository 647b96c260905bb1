/**
 * uidNumber allocation that never hands out a number twice, even after accounts are deleted: a
 * counter entry (a posixGroup whose gidNumber holds the next free uidNumber) is advanced with an
 * atomic compare-and-swap modify (delete the value read, add the next one). A concurrent
 * allocator makes the delete fail with noSuchAttribute; we then re-read and try again.
 * The counter starts above the highest uidNumber already used under the users base DN, and a
 * number some other tool has taken meanwhile is skipped, so an allocated number is never in use.
 */
import { Attribute, Change } from "ldapts";
import { TransientError } from "../../errors.js";
import { childDN, rdnValue } from "../shared/ldap-dn.js";
import { firstValue } from "../shared/ldap-entry.js";
import { equalityFilter } from "../shared/ldap-escape.js";
import { LdapResult, ldapResultCode } from "../shared/ldap-errors.js";
import type { LdapTransport } from "../shared/ldap-transport.js";
import type { PosixSettings } from "./config.js";

const COUNTER_ATTRIBUTE = "gidNumber";
const MAX_ATTEMPTS = 50;

export function counterDN(posix: PosixSettings, usersBaseDN: string): string {
  return posix.counterDN ?? childDN("cn", "roster-uidnumber", usersBaseDN);
}

export class UidNumberAllocator {
  constructor(
    private readonly transport: LdapTransport,
    private readonly dn: string,
    private readonly firstUidNumber: number,
    private readonly usersBaseDN: string,
    private readonly pageSize: number,
  ) {}

  /** The uidNumbers of accounts under the users base DN. */
  private async numbersInUse(filter: string): Promise<number[]> {
    const entries = await this.transport.search(this.usersBaseDN, {
      scope: "sub",
      filter,
      attributes: ["uidNumber"],
      pageSize: this.pageSize,
    });
    return entries.map((entry) => Number(firstValue(entry, "uidNumber"))).filter(Number.isFinite);
  }

  private async read(): Promise<number | undefined> {
    try {
      const [entry] = await this.transport.search(this.dn, {
        scope: "base",
        filter: "(objectClass=*)",
        attributes: [COUNTER_ATTRIBUTE],
      });
      const value = entry ? firstValue(entry, COUNTER_ATTRIBUTE) : undefined;
      return value === undefined ? undefined : Number(value);
    } catch (err) {
      if (ldapResultCode(err) === LdapResult.noSuchObject) return undefined;
      throw err;
    }
  }

  private async createCounter(): Promise<void> {
    const highest = Math.max(this.firstUidNumber - 1, ...(await this.numbersInUse("(uidNumber=*)")));
    try {
      await this.transport.add(this.dn, {
        objectClass: ["posixGroup"],
        cn: [rdnValue(this.dn)],
        [COUNTER_ATTRIBUTE]: [String(highest + 1)],
        description: ["Next uidNumber Roster allocates; never lower this value."],
      });
    } catch (err) {
      if (ldapResultCode(err) !== LdapResult.entryAlreadyExists) throw err;
    }
  }

  /** Reserves and returns the next uidNumber. */
  async next(): Promise<number> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const current = await this.read();
      if (current === undefined) {
        await this.createCounter();
        continue;
      }
      const swap = [
        new Change({
          operation: "delete",
          modification: new Attribute({ type: COUNTER_ATTRIBUTE, values: [String(current)] }),
        }),
        new Change({
          operation: "add",
          modification: new Attribute({ type: COUNTER_ATTRIBUTE, values: [String(current + 1)] }),
        }),
      ];
      try {
        await this.transport.modify(this.dn, swap);
      } catch (err) {
        if (ldapResultCode(err) !== LdapResult.noSuchAttribute) throw err;
        continue;
      }
      const taken = await this.numbersInUse(equalityFilter("uidNumber", String(current)));
      if (taken.length === 0) return current;
    }
    throw new TransientError("UidNumberContention", `uidNumber counter ${this.dn} kept changing under us`);
  }
}
