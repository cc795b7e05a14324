/**
 * Finds the Databricks host and token for a `databricks` / `databricks://<profile>` tracking URI:
 * `DATABRICKS_HOST` + `DATABRICKS_TOKEN` first (for the default profile), else the profile in
 * `~/.databrickscfg` (or `$DATABRICKS_CONFIG_FILE`). Only personal access tokens are supported.
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../errors";

/** Where a Databricks workspace is and how to authenticate to it. */
export interface DatabricksTarget {
  readonly host: string;
  readonly token: string;
  /** For messages: `environment` or `profile <name> in <file>`. */
  readonly source: string;
}

/**
 * Parses an INI file the way Python's `configparser` does for `.databrickscfg`: `[section]`,
 * `key = value` (or `key: value`), `#`/`;` comments, keys of `[DEFAULT]` inherited by every section.
 */
export function parseIni(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header !== null) {
      const name = (header[1] ?? "").trim();
      current = sections.get(name) ?? new Map<string, string>();
      sections.set(name, current);
      continue;
    }
    const eq = line.search(/[=:]/);
    if (eq <= 0 || current === undefined) continue;
    current.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
  }
  const defaults = sections.get("DEFAULT");
  if (defaults !== undefined) {
    for (const [name, values] of sections) {
      if (name === "DEFAULT") continue;
      for (const [key, value] of defaults) if (!values.has(key)) values.set(key, value);
    }
  }
  return sections;
}

function normaliseHost(host: string): string {
  const withScheme = /^https?:\/\//i.test(host) ? host : `https://${host}`;
  return withScheme.replace(/\/+$/, "");
}

/**
 * Resolves host and token for a Databricks profile (`undefined` = the default profile).
 *
 * @example
 * const { host } = resolveDatabricksTarget("staging");
 */
export function resolveDatabricksTarget(profile: string | undefined, env: NodeJS.ProcessEnv = process.env): DatabricksTarget {
  const envHost = env["DATABRICKS_HOST"];
  const envToken = env["DATABRICKS_TOKEN"];
  if (profile === undefined && envHost && envToken) {
    return { host: normaliseHost(envHost), token: envToken, source: "environment" };
  }
  const file = env["DATABRICKS_CONFIG_FILE"] || join(homedir(), ".databrickscfg");
  const name = profile ?? (env["DATABRICKS_CONFIG_PROFILE"] || "DEFAULT");
  let text: string | undefined;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    text = undefined;
  }
  const section = text === undefined ? undefined : parseIni(text).get(name);
  const host = section?.get("host") ?? (profile === undefined ? envHost : undefined);
  const token = section?.get("token") ?? (profile === undefined ? envToken : undefined);
  if (host && token) return { host: normaliseHost(host), token, source: `profile ${name} in ${file}` };

  const missing = host ? "token" : "host";
  const where =
    text === undefined
      ? `${file} does not exist or cannot be read`
      : section === undefined
        ? `${file} has no [${name}] profile`
        : `profile [${name}] in ${file} has no ${missing}`;
  // One of the pair set is the likeliest slip: name the variable to add rather than both.
  if (profile === undefined && Boolean(envHost) !== Boolean(envToken)) {
    const [set, unset] = envHost ? ["DATABRICKS_HOST", "DATABRICKS_TOKEN"] : ["DATABRICKS_TOKEN", "DATABRICKS_HOST"];
    throw new ConfigError(
      `Cannot connect to Databricks: ${set} is set but ${unset} is not: set ${unset} too, or add "${missing}" to the ` +
        `[${name}] profile of ${file} (${where}; only personal access tokens are supported).`,
    );
  }
  throw new ConfigError(
    `Cannot connect to Databricks: ${where}. Set DATABRICKS_HOST and DATABRICKS_TOKEN, ` +
      `or add "host" and "token" to the [${name}] profile of ${file} (only personal access tokens are supported).`,
  );
}
