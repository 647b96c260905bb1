/**
 * A small Dockerfile reader for static checks: joins line continuations, drops comments and
 * parser directives, expands build ARGs in FROM lines, and groups instructions by stage.
 * It understands what Roster's Dockerfile uses, not the whole Dockerfile grammar.
 */
export interface Instruction {
  keyword: string;
  /** The raw argument text after the keyword, continuations joined with spaces. */
  args: string;
}

export interface Stage {
  /** The image reference after ARG expansion. */
  image: string;
  name: string | undefined;
  instructions: Instruction[];
}

export interface Dockerfile {
  stages: Stage[];
  /** Global ARGs declared before the first FROM, with their defaults. */
  args: Record<string, string>;
}

function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let current = "";
  for (const raw of text.split(/\r?\n/)) {
    const trimmed = raw.trim();
    if (trimmed.startsWith("#")) continue;
    if (trimmed.endsWith("\\")) {
      current += `${trimmed.slice(0, -1).trim()} `;
      continue;
    }
    current += trimmed;
    if (current.trim()) lines.push(current.trim());
    current = "";
  }
  if (current.trim()) lines.push(current.trim());
  return lines;
}

function expand(value: string, args: Record<string, string>): string {
  return value.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => {
    const name = (a ?? b) as string;
    return args[name] ?? "";
  });
}

export function parseDockerfile(text: string): Dockerfile {
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of logicalLines(text)) {
    const match = /^(\S+)\s*(.*)$/.exec(line);
    if (!match) continue;
    const keyword = (match[1] ?? "").toUpperCase();
    const rest = match[2] ?? "";
    if (keyword === "FROM") {
      const [image = "", as, name] = rest.split(/\s+/);
      stages.push({
        image: expand(image, args),
        name: as?.toUpperCase() === "AS" ? name : undefined,
        instructions: [],
      });
    } else if (keyword === "ARG" && stages.length === 0) {
      const [name = "", value = ""] = rest.split("=");
      args[name.trim()] = value.trim();
    } else {
      stages.at(-1)?.instructions.push({ keyword, args: rest });
    }
  }
  return { stages, args };
}

/** The instructions of `stage` with this keyword. */
export function instructionsOf(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.keyword === keyword.toUpperCase());
}

/** An exec-form (JSON array) argument, or undefined for shell form. */
export function execForm(args: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.every((p) => typeof p === "string") ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export interface CopyInstruction {
  from: string | undefined;
  sources: string[];
  destination: string;
}

/** COPY's flags (--from, --chown ...) split from its sources and destination. */
export function parseCopy(args: string): CopyInstruction {
  const words = args.split(/\s+/).filter(Boolean);
  let from: string | undefined;
  const paths: string[] = [];
  for (const word of words) {
    if (word.startsWith("--from=")) from = word.slice("--from=".length);
    else if (!word.startsWith("--")) paths.push(word);
  }
  return { from, sources: paths.slice(0, -1), destination: paths.at(-1) ?? "" };
}
