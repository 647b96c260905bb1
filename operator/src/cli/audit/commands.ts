/** The audit commands: `roster access`, `roster why USER`, `roster orphans`, `roster plan [TARGET]`. */
import {
  outputFormat,
  parseCommand,
  positionals,
  stringFlag,
  UsageError,
  type GlobalFlags,
} from "../args.js";
import { connect, readSnapshot, type Snapshot } from "../cluster.js";
import type { CliIo, Command } from "../command.js";
import { renderJson, renderRows, renderYaml, type OutputFormat } from "../output.js";
import { ACCESS_COLUMNS, accessRows } from "./access.js";
import { findUser, keyOf, targetFilter, targetMatches, type TargetFilter } from "./common.js";
import { ORPHAN_COLUMNS, orphanRows } from "./orphans.js";
import { PLAN_COLUMNS, planNotes, planRows, planViews } from "./plan.js";
import { explain } from "./why.js";
import { renderWhy } from "./why-render.js";

const COMMON_FLAGS = `  -o, --output table|json|yaml|csv   output format (default table)
      --kubeconfig FILE              kubeconfig (default $KUBECONFIG, then ~/.kube/config)
      --context NAME                 kubeconfig context (default the current one)
`;

async function snapshot(flags: GlobalFlags): Promise<Snapshot> {
  const client = connect(flags);
  try {
    return await readSnapshot(client);
  } finally {
    client.close();
  }
}

const NAMESPACE_OPTION = { namespace: { type: "string", short: "n" } } as const;

/** The Target filter from --target / a TARGET argument and -n; a disagreement is a usage error. */
function filterOf(target: string | undefined, namespace: string | boolean | undefined): TargetFilter {
  const filter = targetFilter(target, stringFlag(namespace));
  if (!filter)
    throw new UsageError(`target ${JSON.stringify(target)} is not in namespace ${String(namespace)}`);
  return filter;
}

function noneFound(io: CliIo, format: OutputFormat, what: string): boolean {
  if (format === "table") io.err(`No ${what} found.\n`);
  return format === "table";
}

export const accessCommand: Command = {
  name: "access",
  summary: "List every account: target, state, roles, granting AccessGrants, since and until when",
  help: `List every account Roster manages, with the grants that give it.

Usage: roster access [--user USER] [--target [NAMESPACE/]TARGET] [-o table|json|yaml|csv]

Flags:
      --user USER       only this User (object name or username)
      --target TARGET   only this Target (namespace/name, or a name in any namespace)
  -n, --namespace NS    only Targets in this namespace
${COMMON_FLAGS}`,
  run: async (args, io) => {
    const parsed = parseCommand(args, {
      user: { type: "string" },
      target: { type: "string" },
      ...NAMESPACE_OPTION,
    });
    positionals(parsed, []);
    const format = outputFormat(parsed.values.output);
    const v = parsed.values;
    const filter = { user: stringFlag(v.user), target: filterOf(stringFlag(v.target), v.namespace) };
    const snap = await snapshot(parsed.values);
    if (filter.user !== undefined && !findUser(snap.users, filter.user)) {
      io.err(`error: user ${JSON.stringify(filter.user)} not found\n`);
      return 1;
    }
    const rows = accessRows(snap, filter);
    if (rows.length === 0 && noneFound(io, format, "accounts")) return 0;
    io.out(renderRows(format, ACCESS_COLUMNS, rows));
    return 0;
  },
};

export const whyCommand: Command = {
  name: "why",
  summary: "Explain a User's access target by target: which grants match and why, what expires next",
  help: `Explain why a User has the access they have.

Usage: roster why USER [-n NAMESPACE] [-o table|json|yaml]

For every Target: the AccessGrants that select the User (named explicitly, or by a label
selector, shown with the matching labels), each grant's phase and window, and the next change.

Flags:
  -n, --namespace NS                 only Targets in this namespace
${COMMON_FLAGS}`,
  run: async (args, io) => {
    const parsed = parseCommand(args, NAMESPACE_OPTION);
    const [name] = positionals(parsed, ["USER"]);
    const format = outputFormat(parsed.values.output, ["table", "json", "yaml"]);
    const snap = await snapshot(parsed.values);
    const user = findUser(snap.users, name as string);
    if (!user) {
      io.err(`error: user ${JSON.stringify(name)} not found\n`);
      return 1;
    }
    const explanation = explain(snap, user, io.now(), filterOf(undefined, parsed.values.namespace));
    if (format === "json") io.out(renderJson(explanation));
    else if (format === "yaml") io.out(renderYaml(explanation));
    else io.out(renderWhy(explanation));
    return 0;
  },
};

export const orphansCommand: Command = {
  name: "orphans",
  summary: "List orphaned accounts and accounts that collide with ones Roster does not own",
  help: `List accounts no User wants any more (orphans, from the Targets' status) and accounts
Roster does not own that hold a User's name (conflicts, from the Users' status).

Usage: roster orphans [--target [NAMESPACE/]TARGET] [-n NAMESPACE] [-o table|json|yaml|csv]

Flags:
      --target TARGET   only this Target
  -n, --namespace NS    only Targets in this namespace
${COMMON_FLAGS}`,
  run: async (args, io) => {
    const parsed = parseCommand(args, { target: { type: "string" }, ...NAMESPACE_OPTION });
    positionals(parsed, []);
    const format = outputFormat(parsed.values.output);
    const filter = filterOf(stringFlag(parsed.values.target), parsed.values.namespace);
    const rows = orphanRows(await snapshot(parsed.values), filter);
    if (rows.length === 0 && noneFound(io, format, "orphaned or conflicting accounts")) return 0;
    io.out(renderRows(format, ORPHAN_COLUMNS, rows));
    return 0;
  },
};

export const planCommand: Command = {
  name: "plan",
  summary: "Show the pending operations of Targets in Plan mode or held by the safety limits",
  help: `Show the operations Roster would run on Targets in Plan mode, or held back by the
safety limits, as published in the Targets' status.plan.

Usage: roster plan [[NAMESPACE/]TARGET] [-n NAMESPACE] [-o table|json|yaml|csv]

Flags:
  -n, --namespace NS                 only Targets in this namespace
${COMMON_FLAGS}`,
  run: async (args, io) => {
    const parsed = parseCommand(args, NAMESPACE_OPTION);
    const [target] = positionals(parsed, ["TARGET"], 1);
    const format = outputFormat(parsed.values.output);
    const filter = filterOf(target, parsed.values.namespace);
    const snap = await snapshot(parsed.values);
    if (target !== undefined && !snap.targets.some((t) => targetMatches(filter, keyOf(t)))) {
      io.err(`error: target ${JSON.stringify(target)} not found\n`);
      return 1;
    }
    const views = planViews(snap, filter);
    if (format === "json" || format === "yaml") {
      io.out(format === "json" ? renderJson({ items: views }) : renderYaml({ items: views }));
      return 0;
    }
    const rows = planRows(views);
    if (rows.length === 0 && noneFound(io, format, "pending operations")) return 0;
    io.out(renderRows(format, PLAN_COLUMNS, rows));
    if (format === "table") io.out(`\n${planNotes(views).join("\n")}\n`);
    return 0;
  },
};
