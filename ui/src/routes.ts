// Hash routes. Pure: parse and format, no DOM.
//
// The recording screens hang off `record`: "Before recording" (device,
// level check) and "Listening mode" live behind screens/record.ts; add
// sub-steps as new route names here and a case in main.ts's SCREENS.

export type Route =
  | { name: "cases" }
  | { name: "case"; id: string }
  | { name: "handover"; caseId: string }
  | { name: "custody"; caseId: string }
  | { name: "session"; id: string }
  | { name: "record"; sessionId: string }
  | { name: "review"; sessionId: string }
  | { name: "export"; sessionId: string }
  | { name: "verify" }
  | { name: "receive" }
  | { name: "about" };

export const HOME: Route = { name: "cases" };

const ID = "([A-Za-z0-9_-]+)";
const PATTERNS: [RegExp, (m: RegExpMatchArray) => Route][] = [
  [/^\/?$/, () => HOME],
  [/^\/cases$/, () => ({ name: "cases" })],
  [new RegExp(`^/cases/${ID}$`), (m) => ({ name: "case", id: m[1]! })],
  [new RegExp(`^/cases/${ID}/handover$`), (m) => ({ name: "handover", caseId: m[1]! })],
  [new RegExp(`^/cases/${ID}/custody$`), (m) => ({ name: "custody", caseId: m[1]! })],
  [new RegExp(`^/sessions/${ID}$`), (m) => ({ name: "session", id: m[1]! })],
  [new RegExp(`^/sessions/${ID}/record$`), (m) => ({ name: "record", sessionId: m[1]! })],
  [new RegExp(`^/sessions/${ID}/review$`), (m) => ({ name: "review", sessionId: m[1]! })],
  [new RegExp(`^/sessions/${ID}/export$`), (m) => ({ name: "export", sessionId: m[1]! })],
  [/^\/verify$/, () => ({ name: "verify" })],
  [/^\/receive$/, () => ({ name: "receive" })],
  [/^\/about$/, () => ({ name: "about" })],
];

/** The route of a location hash (`#/cases/abc`); unknown hashes go home. */
export function parseRoute(hash: string): Route {
  const path = decodeURIComponent(hash.replace(/^#/, ""));
  for (const [re, make] of PATTERNS) {
    const m = path.match(re);
    if (m) return make(m);
  }
  return HOME;
}

export function routeHash(route: Route): string {
  switch (route.name) {
    case "cases":
      return "#/cases";
    case "case":
      return `#/cases/${encodeURIComponent(route.id)}`;
    case "handover":
      return `#/cases/${encodeURIComponent(route.caseId)}/handover`;
    case "custody":
      return `#/cases/${encodeURIComponent(route.caseId)}/custody`;
    case "session":
      return `#/sessions/${encodeURIComponent(route.id)}`;
    case "record":
      return `#/sessions/${encodeURIComponent(route.sessionId)}/record`;
    case "review":
      return `#/sessions/${encodeURIComponent(route.sessionId)}/review`;
    case "export":
      return `#/sessions/${encodeURIComponent(route.sessionId)}/export`;
    case "verify":
      return "#/verify";
    case "receive":
      return "#/receive";
    case "about":
      return "#/about";
  }
}

/** Routes that need no unlocked vault: anyone may verify a bundle. */
export function isPublic(route: Route): boolean {
  return route.name === "about" || route.name === "verify";
}
