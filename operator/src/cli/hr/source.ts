/**
 * Reads an HR export (CSV with a header row, or JSON: an array of objects) into records of
 * column -> text value, each with the line it starts on. Pure: takes the file's text.
 */
import { isMap, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { CsvError, parseCsv } from "./csv.js";

export interface HrRecord {
  /** 1-based line of the record in the export. */
  line: number;
  /** Column (CSV header, or JSON key path such as "manager.id") -> value as text. */
  values: Record<string, string>;
}

/** A problem with one record (or the file: line 0), naming the field when there is one. */
export interface RecordProblem {
  line: number;
  field?: string;
  column?: string;
  message: string;
}

export interface HrExport {
  columns: string[];
  records: HrRecord[];
  /** Problems with single records; the other records are still read. */
  problems: RecordProblem[];
  /** A problem that stops the whole file from being read (bad syntax, no header). */
  fatal?: RecordProblem;
}

const unreadable = (line: number, message: string): HrExport => ({
  columns: [],
  records: [],
  problems: [],
  fatal: { line, message },
});

export type ExportFormat = "csv" | "json";

export function formatOf(fileName: string, declared?: ExportFormat): ExportFormat {
  if (declared) return declared;
  return /\.json$/i.test(fileName) ? "json" : "csv";
}

export function readExport(text: string, format: ExportFormat): HrExport {
  return format === "json" ? readJson(text) : readCsvExport(text);
}

function readCsvExport(text: string): HrExport {
  let rows;
  try {
    rows = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvError) return unreadable(err.line, err.reason);
    throw err;
  }
  const [header, ...body] = rows;
  if (!header) return unreadable(1, "the file is empty");
  const columns = header.fields.map((name) => name.trim());
  const problems: RecordProblem[] = [];
  const records: HrRecord[] = [];
  for (const row of body) {
    if (row.fields.length !== columns.length) {
      problems.push({
        line: row.line,
        message: `has ${row.fields.length} fields, the header has ${columns.length}`,
      });
      continue;
    }
    const values: Record<string, string> = {};
    columns.forEach((column, i) => (values[column] = (row.fields[i] ?? "").trim()));
    records.push({ line: row.line, values });
  }
  return { columns, records, problems };
}

/** Flattens a JSON record into "a.b" key paths with text values; null is left out. */
function flatten(value: unknown, prefix: string, out: Record<string, string>): void {
  if (value === null || value === undefined) return;
  if (typeof value === "object" && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, out);
    return;
  }
  out[prefix] = (Array.isArray(value) ? value.join(",") : String(value)).trim();
}

function readJson(text: string): HrExport {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const [error] = doc.errors;
  if (error) {
    const line = error.linePos?.[0].line ?? 1;
    return unreadable(line, `not valid JSON: ${error.code}`);
  }
  const items = recordList(doc.contents);
  if (!items) {
    return unreadable(1, "expected an array of records (or an object with one array)");
  }
  const records: HrRecord[] = [];
  const problems: RecordProblem[] = [];
  const columns = new Set<string>();
  for (const item of items) {
    const line = lineCounter.linePos(item.range?.[0] ?? 0).line;
    if (!isMap(item)) {
      problems.push({ line, message: "a record must be an object" });
      continue;
    }
    const values: Record<string, string> = {};
    flatten(item.toJSON(), "", values);
    Object.keys(values).forEach((key) => columns.add(key));
    records.push({ line, values });
  }
  return { columns: [...columns], records, problems };
}

/** The array of records: the document itself, or the only array-valued property of an object. */
function recordList(contents: Node | null): Node[] | undefined {
  if (isSeq(contents)) return contents.items as Node[];
  if (isMap(contents)) {
    const arrays = contents.items.filter((pair) => isSeq(pair.value));
    if (arrays.length === 1 && isSeq(arrays[0]?.value)) return arrays[0].value.items as Node[];
  }
  return undefined;
}
