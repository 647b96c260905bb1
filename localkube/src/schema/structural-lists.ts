// CRD schema checks of x-kubernetes-list-type / list-map-keys / map-type annotations.
import { childPath, indexPath, invalid, notSupported, required } from "./errors.js";
import type { FieldCause, JSONSchemaProps } from "./types.js";

function checkListMapKeys(s: JSONSchemaProps, path: string, out: FieldCause[]): void {
  const keys = s["x-kubernetes-list-map-keys"] ?? [];
  if (keys.length === 0)
    out.push(
      required(
        childPath(path, "x-kubernetes-list-map-keys"),
        "must not be empty if x-kubernetes-list-type is map",
      ),
    );
  const items = Array.isArray(s.items) ? undefined : s.items;
  if (items === undefined) {
    out.push(required(childPath(path, "items"), "must have a schema if x-kubernetes-list-type is map"));
    return;
  }
  if (items.type !== "object") {
    out.push(
      invalid(
        childPath(childPath(path, "items"), "type"),
        items.type ?? "",
        "must be object if parent array's x-kubernetes-list-type is map",
      ),
    );
    return;
  }
  const seen = new Set<string>();
  for (const k of keys) {
    const prop = items.properties?.[k];
    if (prop === undefined) {
      out.push(
        invalid(
          childPath(path, "x-kubernetes-list-map-keys"),
          keys,
          "entries must all be names of item properties",
        ),
      );
    } else if (prop.type === "array" || prop.type === "object") {
      const typePath = childPath(indexPath(childPath(childPath(path, "items"), "properties"), k), "type");
      out.push(
        invalid(
          typePath,
          items.type,
          "must be a scalar type if parent array's x-kubernetes-list-type is map",
        ),
      );
    }
    if (seen.has(k))
      out.push(
        invalid(childPath(path, "x-kubernetes-list-map-keys"), keys, "must not contain duplicate entries"),
      );
    seen.add(k);
  }
}

function checkMapType(s: JSONSchemaProps, path: string, out: FieldCause[]): void {
  const mapType = s["x-kubernetes-map-type"];
  if (mapType === undefined) return;
  if (s.type !== "object") {
    const detail = "must be object if x-kubernetes-map-type is specified";
    out.push(
      s.type ? invalid(childPath(path, "type"), s.type, detail) : required(childPath(path, "type"), detail),
    );
  }
  if (mapType !== "atomic" && mapType !== "granular") {
    out.push(notSupported(childPath(path, "x-kubernetes-map-type"), mapType, ["atomic", "granular"]));
  }
}

export function checkListAndMapTypes(s: JSONSchemaProps, path: string, out: FieldCause[]): void {
  const listType = s["x-kubernetes-list-type"];
  const keys = s["x-kubernetes-list-map-keys"] ?? [];
  if (listType !== undefined && !["atomic", "set", "map"].includes(listType)) {
    out.push(notSupported(childPath(path, "x-kubernetes-list-type"), listType, ["atomic", "set", "map"]));
  }
  if (listType !== undefined && s.type !== "array") {
    out.push(invalid(childPath(path, "x-kubernetes-list-type"), listType, "must only be used on type=array"));
  }
  if (keys.length > 0 && listType === undefined) {
    out.push(
      required(
        childPath(path, "x-kubernetes-list-type"),
        "must be map if x-kubernetes-list-map-keys is non-empty",
      ),
    );
  } else if (keys.length > 0 && listType !== "map") {
    out.push(
      invalid(
        childPath(path, "x-kubernetes-list-type"),
        listType,
        "must be map if x-kubernetes-list-map-keys is non-empty",
      ),
    );
  }
  if (listType === "map") checkListMapKeys(s, path, out);
  checkMapType(s, path, out);
}
