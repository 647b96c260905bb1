/**
 * Output in kubectl's habits: an aligned table by default, or JSON, YAML or CSV of the same rows
 * for scripts. Pure: returns the text to print.
 */
import { stringify } from "yaml";

export const OUTPUT_FORMATS = ["table", "json", "yaml", "csv"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function isOutputFormat(value: string): value is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(value);
}

export type Cell = string | number | boolean | readonly string[] | null | undefined;
export type Row = Record<string, Cell>;

export interface Column {
  header: string;
  key: string;
}

const NONE = "<none>";

function tableCell(value: Cell): string {
  if (value === undefined || value === null || value === "") return NONE;
  if (Array.isArray(value)) return value.length === 0 ? NONE : value.join(",");
  return String(value);
}

/** Columns separated by three spaces, each as wide as its widest cell; no trailing spaces. */
export function renderTable(columns: readonly Column[], rows: readonly Row[]): string {
  const cells = [
    columns.map((c) => c.header),
    ...rows.map((row) => columns.map((c) => tableCell(row[c.key]))),
  ];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => (line[i] ?? "").length)));
  return cells
    .map((line) =>
      line
        .map((cell, i) => (i === line.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join("   ")
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join("");
}

function csvField(value: Cell): string {
  const text =
    value === undefined || value === null ? "" : Array.isArray(value) ? value.join(";") : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV with a header row of the column keys; lists are joined with ';'. */
export function renderCsv(columns: readonly Column[], rows: readonly Row[]): string {
  const lines = [
    columns.map((c) => csvField(c.key)),
    ...rows.map((row) => columns.map((c) => csvField(row[c.key]))),
  ];
  return lines.map((fields) => `${fields.join(",")}\r\n`).join("");
}

/** JSON with undefined cells left out; a trailing newline. */
export function renderJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function renderYaml(value: unknown): string {
  return stringify(JSON.parse(JSON.stringify(value)) as unknown, { lineWidth: 0 });
}

/** Rows in the requested format; JSON and YAML wrap them as `{ items: [...] }`. */
export function renderRows(format: OutputFormat, columns: readonly Column[], rows: readonly Row[]): string {
  switch (format) {
    case "table":
      return renderTable(columns, rows);
    case "csv":
      return renderCsv(columns, rows);
    case "json":
      return renderJson({ items: rows });
    case "yaml":
      return renderYaml({ items: rows });
  }
}
