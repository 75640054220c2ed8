// Case search: accent-, case- and spacing-insensitive, every word must match.

/** Lower case, without diacritics, single spaces. */
export function normalise(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

/** True when every word of `query` occurs in one of `fields`. */
export function matches(query: string, fields: (string | null | undefined)[]): boolean {
  const words = normalise(query).split(" ").filter(Boolean);
  if (words.length === 0) return true;
  const haystack = normalise(fields.filter((f): f is string => typeof f === "string").join(" "));
  return words.every((w) => haystack.includes(w));
}

export function filterBy<T>(items: T[], query: string, fields: (item: T) => (string | null | undefined)[]): T[] {
  return items.filter((item) => matches(query, fields(item)));
}
