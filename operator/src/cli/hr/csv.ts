/**
 * A small RFC 4180 CSV parser: comma-separated fields, optional double quotes around a field,
 * `""` for a quote inside a quoted field, line breaks (CRLF or LF) inside quoted fields. Each
 * record carries the line it starts on, so validation can name it. A UTF-8 byte order mark is
 * dropped and blank lines are skipped. Pure.
 */

export interface CsvRecord {
  /** 1-based line number of the record's first character in the file. */
  line: number;
  fields: string[];
}

export class CsvError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = "CsvError";
  }
}

interface Cursor {
  text: string;
  pos: number;
  line: number;
}

/** Reads a quoted field starting at the opening quote; leaves the cursor after the closing quote. */
function quotedField(cur: Cursor): string {
  const startLine = cur.line;
  let value = "";
  cur.pos += 1;
  for (;;) {
    const next = cur.text.indexOf('"', cur.pos);
    if (next < 0) throw new CsvError(startLine, "a quoted field is never closed");
    const chunk = cur.text.slice(cur.pos, next);
    cur.line += countNewlines(chunk);
    value += chunk;
    if (cur.text[next + 1] === '"') {
      value += '"';
      cur.pos = next + 2;
      continue;
    }
    cur.pos = next + 1;
    return value;
  }
}

/** Reads an unquoted field up to the next comma or line break. */
function plainField(cur: Cursor): string {
  let end = cur.pos;
  while (end < cur.text.length && !",\r\n".includes(cur.text[end] as string)) {
    if (cur.text[end] === '"') throw new CsvError(cur.line, "a quote inside an unquoted field");
    end += 1;
  }
  const value = cur.text.slice(cur.pos, end);
  cur.pos = end;
  return value;
}

function countNewlines(text: string): number {
  let n = 0;
  for (const ch of text) if (ch === "\n") n += 1;
  return n;
}

/** Consumes a line break (CRLF, LF or a lone CR) if the cursor is on one. */
function lineBreak(cur: Cursor): boolean {
  if (cur.text.startsWith("\r\n", cur.pos)) cur.pos += 2;
  else if (cur.text[cur.pos] === "\n" || cur.text[cur.pos] === "\r") cur.pos += 1;
  else return false;
  cur.line += 1;
  return true;
}

function readRecord(cur: Cursor): string[] {
  const fields: string[] = [];
  for (;;) {
    fields.push(cur.text[cur.pos] === '"' ? quotedField(cur) : plainField(cur));
    if (cur.pos >= cur.text.length || lineBreak(cur)) return fields;
    if (cur.text[cur.pos] === ",") {
      cur.pos += 1;
      continue;
    }
    throw new CsvError(cur.line, "unexpected text after a closing quote");
  }
}

/** Parses CSV text into records (header included). Throws CsvError naming the line. */
export function parseCsv(input: string): CsvRecord[] {
  const cur: Cursor = { text: input.replace(/^\uFEFF/, ""), pos: 0, line: 1 };
  const records: CsvRecord[] = [];
  while (cur.pos < cur.text.length) {
    if (lineBreak(cur)) continue;
    const line = cur.line;
    const fields = readRecord(cur);
    records.push({ line, fields });
  }
  return records;
}
