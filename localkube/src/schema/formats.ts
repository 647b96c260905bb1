// String formats that kube-apiserver validates on custom resources. apiextensions strips every
// other format before validating (int32, int64, float, double, ... are never checked).

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// go-openapi strfmt: "<date>T<hh:mm:ss>[.frac](Z|±hh:mm)", case-insensitive, offset required.
const TIME_OF_DAY = /^(\d{2}):(\d{2}):(\d{2})(.\d+)?(z|[+-]\d{2}:\d{2})$/;
const UUID_ANY = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const UUID_V = (v: string, variant: string): RegExp =>
  new RegExp(`^[0-9a-f]{8}-?[0-9a-f]{4}-?${v}[0-9a-f]{3}-?${variant}[0-9a-f]{3}-?[0-9a-f]{12}$`, "i");
const HOSTNAME =
  /^[a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)(\.[a-zA-Z0-9\p{S}\p{L}](-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)*\.?$/u;
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/;
const MAC = /^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$|^([0-9a-fA-F]{4}\.){2}[0-9a-fA-F]{4}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const GO_DURATION = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$|^0$/;
const HUMAN_DURATION =
  /^\s*\d+\s*(ns|us|ms|s|m|h|d|w|second|seconds|minute|minutes|hour|hours|day|days|week|weeks)\s*$/;
const HEX_COLOR = /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const RGB_COLOR = /^rgb\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*\)$/;
const BSON_OBJECT_ID = /^[0-9a-fA-F]{24}$/;

function validCalendarDate(y: string, m: string, d: string): boolean {
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return (
    date.getUTCFullYear() === Number(y) &&
    date.getUTCMonth() === Number(m) - 1 &&
    date.getUTCDate() === Number(d)
  );
}

export function isDate(s: string): boolean {
  const m = DATE.exec(s);
  return m !== null && validCalendarDate(m[1]!, m[2]!, m[3]!);
}

export function isDateTime(s: string): boolean {
  const [date, time] = s.toLowerCase().split("t");
  if (date === undefined || time === undefined || !isDate(date)) return false;
  const m = TIME_OF_DAY.exec(time);
  return m !== null && m[1]! <= "23" && m[2]! <= "59" && m[3]! <= "59";
}

function isIPv4(s: string): boolean {
  const parts = s.split(".");
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255 && !/^0\d/.test(p));
}

function isIPv6(s: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || !s.includes(":")) return false;
  const halves = s.split("::");
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === "" ? [] : h.split(":")));
  const last = groups[groups.length - 1] ?? "";
  const v4 = last.includes(".");
  if (v4 && !isIPv4(last)) return false;
  const hexGroups = v4 ? groups.slice(0, -1) : groups;
  if (!hexGroups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const count = hexGroups.length + (v4 ? 2 : 0);
  return halves.length === 2 ? count < 8 : count === 8;
}

function isCIDR(s: string): boolean {
  const [ip, bits, ...rest] = s.split("/");
  if (rest.length > 0 || ip === undefined || bits === undefined || !/^\d{1,3}$/.test(bits)) return false;
  if (isIPv4(ip)) return Number(bits) <= 32;
  return isIPv6(ip) && Number(bits) <= 128;
}

function isURI(s: string): boolean {
  try {
    new URL(s);
    return true;
  } catch {
    return /^\/|^[^:\s]+$/.test(s) && !/\s/.test(s);
  }
}

const CHECKS: Record<string, (s: string) => boolean> = {
  "date-time": isDateTime,
  datetime: isDateTime,
  date: isDate,
  byte: (s) => BASE64.test(s),
  uuid: (s) => UUID_ANY.test(s),
  uuid3: (s) => UUID_V("3", "[0-9a-f]").test(s),
  uuid4: (s) => UUID_V("4", "[89ab]").test(s),
  uuid5: (s) => UUID_V("5", "[89ab]").test(s),
  email: (s) => EMAIL.test(s),
  hostname: (s) => s.length <= 255 && HOSTNAME.test(s),
  ipv4: isIPv4,
  ipv6: isIPv6,
  cidr: isCIDR,
  mac: (s) => MAC.test(s),
  uri: isURI,
  duration: (s) => GO_DURATION.test(s) || HUMAN_DURATION.test(s),
  hexcolor: (s) => HEX_COLOR.test(s),
  rgbcolor: (s) => RGB_COLOR.test(s),
  bsonobjectid: (s) => BSON_OBJECT_ID.test(s),
  password: () => true,
  isbn: (s) => /^(?:\d[- ]?){9}[\dXx]$|^(?:\d[- ]?){13}$/.test(s),
  isbn10: (s) => /^(?:\d[- ]?){9}[\dXx]$/.test(s),
  isbn13: (s) => /^(?:\d[- ]?){13}$/.test(s),
  creditcard: (s) => /^\d{13,19}$/.test(s.replace(/[- ]/g, "")),
  ssn: (s) => /^\d{3}[- ]?\d{2}[- ]?\d{4}$/.test(s),
};

/** Whether Kubernetes validates this format on custom resources (others are stripped). */
export function isSupportedFormat(format: string | undefined): format is string {
  return format !== undefined && format in CHECKS;
}

/** Whether `value` conforms to the (supported) `format`. */
export function conformsToFormat(format: string, value: string): boolean {
  const check = CHECKS[format];
  return check === undefined || check(value);
}
