/** Label and field selectors, parsed once per request and matched against objects. */
import { badRequest } from "./errors.js";
import type { KubeObject, ResourceType } from "./kinds/types.js";

type LabelRequirement =
  | { op: "=" | "!="; key: string; value: string }
  | { op: "in" | "notin"; key: string; values: string[] }
  | { op: "exists" | "!exists"; key: string };

export type LabelSelector = LabelRequirement[];

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?)?$/;

/** Splits on commas that are not inside parentheses. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      terms.push(current);
      current = "";
    } else current += ch;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter((t) => t.length > 0);
}

function checkKey(key: string, raw: string): string {
  if (!KEY.test(key)) throw badRequest(`unable to parse requirement: invalid label key "${key}" in "${raw}"`);
  return key;
}

function checkValue(value: string): string {
  if (!VALUE.test(value) || value.length > 63)
    throw badRequest(`unable to parse requirement: invalid label value: "${value}"`);
  return value;
}

function parseLabelTerm(term: string): LabelRequirement {
  const setMatch = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(term);
  if (setMatch) {
    const values = (setMatch[3] ?? "").split(",").map((v) => checkValue(v.trim()));
    return { op: setMatch[2] as "in" | "notin", key: checkKey(setMatch[1] ?? "", term), values };
  }
  const eq = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
  if (eq) {
    const op = eq[2] === "!=" ? "!=" : "=";
    return { op, key: checkKey(eq[1] ?? "", term), value: checkValue((eq[3] ?? "").trim()) };
  }
  if (term.startsWith("!")) return { op: "!exists", key: checkKey(term.slice(1).trim(), term) };
  if (/^\S+$/.test(term)) return { op: "exists", key: checkKey(term, term) };
  throw badRequest(`unable to parse requirement: found '${term}', expected: identifier`);
}

export function parseLabelSelector(text: string | undefined): LabelSelector {
  if (!text) return [];
  return splitTerms(text).map(parseLabelTerm);
}

export function matchesLabels(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return selector.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case "=":
        return has && v === r.value;
      case "!=":
        return !has || v !== r.value;
      case "in":
        return has && r.values.includes(v as string);
      case "notin":
        return !has || !r.values.includes(v as string);
      case "exists":
        return has;
      case "!exists":
        return !has;
    }
  });
}

export interface FieldRequirement {
  field: string;
  op: "=" | "!=";
  value: string;
}
export type FieldSelector = FieldRequirement[];

export function parseFieldSelector(text: string | undefined, rt: ResourceType): FieldSelector {
  if (!text) return [];
  const allowed = new Set(["metadata.name", ...rt.selectableFields]);
  if (rt.namespaced) allowed.add("metadata.namespace");
  return splitTerms(text).map((term) => {
    const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    const field = (m[1] ?? "").trim();
    if (!allowed.has(field)) throw badRequest(`field label not supported: ${field}`);
    return { field, op: m[2] === "!=" ? "!=" : "=", value: (m[3] ?? "").trim() };
  });
}

/** Reads a dotted field path; `source` on Events is the source component. */
export function fieldValue(object: KubeObject, field: string): string {
  if (field === "source") {
    const src = (object as { source?: { component?: string } }).source;
    return src?.component ?? "";
  }
  let current: unknown = object;
  for (const part of field.split(".")) {
    if (current === null || typeof current !== "object") return "";
    current = (current as Record<string, unknown>)[part];
  }
  if (current === undefined || current === null) return "";
  return typeof current === "string" ? current : JSON.stringify(current);
}

export function matchesFields(selector: FieldSelector, object: KubeObject): boolean {
  return selector.every((r) => {
    const v = fieldValue(object, r.field);
    return r.op === "=" ? v === r.value : v !== r.value;
  });
}

export interface Selection {
  labels: LabelSelector;
  fields: FieldSelector;
  namespace?: string;
}

export function matches(selection: Selection, object: KubeObject): boolean {
  if (selection.namespace !== undefined && object.metadata.namespace !== selection.namespace) return false;
  return matchesLabels(selection.labels, object.metadata.labels) && matchesFields(selection.fields, object);
}

export function hasSelectors(selection: Selection): boolean {
  return selection.labels.length > 0 || selection.fields.length > 0;
}
