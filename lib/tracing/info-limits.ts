/**
 * MLflow's length limits on trace tags and metadata, applied as Python's `TraceInfo.to_proto`
 * applies them before every export: keys and metadata values cut at 250 characters, tag values at
 * 4096, with no marker. The server refuses a record whose trace name is longer, losing the trace.
 */

/** `MAX_CHARS_IN_TRACE_INFO_METADATA`: metadata keys and values, and tag keys. */
export const MAX_METADATA_LENGTH = 250;
/** `MAX_CHARS_IN_TRACE_INFO_TAGS_VALUE`. */
export const MAX_TAG_VALUE_LENGTH = 4096;

/**
 * The first `max` characters of `text`, counted as Python counts them (a character outside the
 * BMP is one, and its surrogate pair is never split).
 */
export function cutToCharacters(text: string, max: number): string {
  if (text.length <= max) return text;
  let units = 0;
  for (let chars = 0; chars < max && units < text.length; chars++) {
    const code = text.charCodeAt(units);
    const next = text.charCodeAt(units + 1);
    units += code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
  }
  return units >= text.length ? text : text.slice(0, units);
}

/** Adds `entries` to `target` with keys and values within the metadata limits. */
export function putMetadata(target: Record<string, string>, entries: Readonly<Record<string, string>>): void {
  for (const key of Object.keys(entries)) target[cutToCharacters(key, MAX_METADATA_LENGTH)] = cutToCharacters(entries[key] as string, MAX_METADATA_LENGTH);
}

/** The trace's tags: its name, then `tags` (which may replace it), within the tag limits. */
export function traceTags(name: string, tags: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = { "mlflow.traceName": cutToCharacters(name, MAX_TAG_VALUE_LENGTH) };
  if (tags === undefined) return out;
  for (const key of Object.keys(tags)) out[cutToCharacters(key, MAX_METADATA_LENGTH)] = cutToCharacters(tags[key] as string, MAX_TAG_VALUE_LENGTH);
  return out;
}
