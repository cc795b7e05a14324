/**
 * The environment metadata MLflow's Python SDK stores in every trace's `trace_metadata`:
 * user, source script and the git commit, branch and remote of the working directory
 * (Python: `mlflow/tracing/utils/environment.py` `resolve_env_metadata`). Git data is read from
 * the repository's files; `git` is never spawned.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { diag } from "../../internal/diagnostics";

const UNKNOWN_USER = "unknown";
/** Python's `getpass.getuser()` checks these before the password database. */
const USER_ENV_VARS = ["LOGNAME", "USER", "LNAME", "USERNAME"] as const;
const HEAD_LIMIT = 4096;
/** Caps packed-refs and config reads; packed-refs is sorted, so `refs/heads/` lines come first. */
const FILE_LIMIT = 4 << 20;
const MAX_PARENT_LEVELS = 256;
const MAX_SYMREF_HOPS = 5;
const OBJECT_ID = /^(?:[0-9a-fA-F]{64}|[0-9a-fA-F]{40})$/;

/**
 * Resolves the environment metadata now, without caching. Never throws: a value that cannot be
 * found falls back to `"unknown"` (user) or `""` (git keys), as in MLflow's Python SDK.
 *
 * Every option defaults to the current process: `cwd` (where the git repository search starts),
 * `argv` (`argv[1]` is the main script), `env`, and `username` (the login-name lookup used when
 * neither `MLFLOW_TRACKING_USERNAME` nor `LOGNAME`/`USER`/`LNAME`/`USERNAME` is set).
 *
 * @example
 * ```ts
 * resolveEnvMetadata({ cwd: "/srv/app", argv: ["node", "/srv/app/main.js"], env: {} });
 * // { "mlflow.user": "deploy", "mlflow.source.name": "/srv/app/main.js", "mlflow.source.type": "LOCAL",
 * //   "mlflow.source.git.commit": "3f2a…", "mlflow.source.git.repoURL": "https://github.com/org/app.git",
 * //   "mlflow.source.git.branch": "main" }
 * ```
 */
export function resolveEnvMetadata(
  options: { cwd?: string; argv?: readonly string[]; env?: NodeJS.ProcessEnv; username?: () => string } = {},
): Record<string, string> {
  const env = options.env ?? process.env;
  const argv = options.argv ?? process.argv;
  const script = argv[1];
  const git = gitMetadata(options.cwd);
  return {
    "mlflow.user": resolveUser(env, options.username ?? (() => os.userInfo().username)),
    "mlflow.source.name": typeof script === "string" && script !== "" ? script : "<console>",
    "mlflow.source.type": "LOCAL",
    "mlflow.source.git.commit": git.commit,
    "mlflow.source.git.repoURL": git.repoURL,
    "mlflow.source.git.branch": git.branch,
  };
}

let cached: Readonly<Record<string, string>> | undefined;

/**
 * The environment metadata of this process, resolved on first call and cached (the same frozen
 * object afterwards). Never throws.
 *
 * @example
 * ```ts
 * const traceMetadata = { ...envMetadata(), "mlflow.trace_schema.version": "3" };
 * ```
 */
export function envMetadata(): Readonly<Record<string, string>> {
  if (cached === undefined) {
    let resolved: Record<string, string>;
    try {
      resolved = resolveEnvMetadata();
    } catch (err) {
      diag("debug", "Could not resolve environment metadata", err);
      resolved = { "mlflow.user": UNKNOWN_USER, "mlflow.source.name": "<console>", "mlflow.source.type": "LOCAL" };
    }
    cached = Object.freeze(resolved);
  }
  return cached;
}

function resolveUser(env: NodeJS.ProcessEnv, username: () => string): string {
  const explicit = env["MLFLOW_TRACKING_USERNAME"];
  if (explicit) return explicit;
  for (const name of USER_ENV_VARS) {
    const value = env[name];
    if (value) return value;
  }
  try {
    return username() || UNKNOWN_USER;
  } catch {
    return UNKNOWN_USER;
  }
}

interface GitMetadata {
  commit: string;
  branch: string;
  repoURL: string;
}

interface GitDirs {
  /** Per-worktree directory: HEAD lives here. */
  gitDir: string;
  /** Shared directory: refs, packed-refs and config live here. */
  commonDir: string;
}

function gitMetadata(cwd: string | undefined): GitMetadata {
  const none = { commit: "", branch: "", repoURL: "" };
  try {
    const dirs = findGitDirs(path.resolve(cwd ?? process.cwd()));
    if (dirs === undefined) return none;
    const head = readSmall(path.join(dirs.gitDir, "HEAD"), HEAD_LIMIT)?.trim() ?? "";
    const ref = symbolicTarget(head);
    return {
      commit: (ref === undefined ? (OBJECT_ID.test(head) ? head : "") : resolveRef(dirs, ref)).toLowerCase(),
      branch: ref === undefined ? "" : refShortName(ref),
      repoURL: firstRemoteUrl(path.join(dirs.commonDir, "config")),
    };
  } catch (err) {
    diag("debug", "Could not read git metadata", err);
    return none;
  }
}

/** Mirrors GitPython's `Repo(path, search_parent_directories=True)`. */
function findGitDirs(start: string): GitDirs | undefined {
  let dir = start;
  for (let level = 0; level < MAX_PARENT_LEVELS; level++) {
    const dotGit = path.join(dir, ".git");
    const stat = statOrUndefined(dotGit);
    if (stat?.isDirectory()) {
      const dirs = gitDirs(dotGit);
      if (dirs !== undefined) return dirs;
    } else if (stat?.isFile()) {
      // Like git, an unusable .git file ends the search instead of falling back to a parent.
      const target = /^gitdir: (.+)$/.exec(readSmall(dotGit, HEAD_LIMIT)?.replace(/[\r\n]+$/, "") ?? "")?.[1];
      return target === undefined ? undefined : gitDirs(path.resolve(dir, target));
    } else if (stat !== undefined) {
      return undefined;
    }
    const bare = gitDirs(dir);
    if (bare !== undefined) return bare;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

/** A directory is a git dir when HEAD is valid and the common dir holds `objects/` and `refs/`. */
function gitDirs(gitDir: string): GitDirs | undefined {
  const head = readSmall(path.join(gitDir, "HEAD"), HEAD_LIMIT);
  if (head === undefined) return undefined;
  const validHead = /^ref:\s*refs\//.test(head) || /^(?:[0-9a-fA-F]{64}|[0-9a-fA-F]{40})/.test(head);
  if (!validHead) return undefined;
  let commonDir = gitDir;
  const commonFile = readSmall(path.join(gitDir, "commondir"), HEAD_LIMIT);
  if (commonFile !== undefined) {
    const relative = commonFile.replace(/[\r\n]+$/, "");
    if (relative === "") return undefined;
    commonDir = path.resolve(gitDir, relative);
  }
  const isDir = (name: string): boolean => statOrUndefined(path.join(commonDir, name))?.isDirectory() === true;
  return isDir("objects") && isDir("refs") ? { gitDir, commonDir } : undefined;
}

function symbolicTarget(content: string): string | undefined {
  return content.startsWith("ref:") ? content.slice(4).trim() : undefined;
}

/** GitPython's `Reference.name`: the path without its first two segments (`refs/heads/`). */
function refShortName(ref: string): string {
  const parts = ref.split("/");
  return parts.length < 3 ? ref : parts.slice(2).join("/");
}

/** The object id a ref points to (following symbolic refs), or `""` when unborn or unreadable. */
function resolveRef(dirs: GitDirs, ref: string): string {
  let current = ref;
  for (let hop = 0; hop < MAX_SYMREF_HOPS; hop++) {
    if (!/^refs\//.test(current) || current.split("/").some((part) => part === ".." || part === "")) return "";
    const loose = readSmall(path.join(dirs.commonDir, current), HEAD_LIMIT)?.trim();
    if (loose === undefined) return packedRef(dirs.commonDir, current);
    const next = symbolicTarget(loose);
    if (next === undefined) return OBJECT_ID.test(loose) ? loose : "";
    current = next;
  }
  return "";
}

function packedRef(commonDir: string, ref: string): string {
  const packed = readSmall(path.join(commonDir, "packed-refs"), FILE_LIMIT);
  if (packed === undefined) return "";
  for (const line of packed.split("\n")) {
    if (line.startsWith("#") || line.startsWith("^")) continue;
    const space = line.indexOf(" ");
    if (space > 0 && line.slice(space + 1).trimEnd() === ref) {
      const id = line.slice(0, space);
      return OBJECT_ID.test(id) ? id : "";
    }
  }
  return "";
}

/** The last `url` of the first `[remote "…"]` section, as GitPython's `next(repo.remotes).url`. */
function firstRemoteUrl(configFile: string): string {
  const config = readSmall(configFile, FILE_LIMIT);
  if (config === undefined) return "";
  let first: string | undefined;
  let inFirst = false;
  let url: string | undefined;
  for (const raw of config.split("\n")) {
    const line = raw.trim();
    const section = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]/.exec(line);
    if (section !== null) {
      const remote = section[1]?.toLowerCase() === "remote" ? section[2] : undefined;
      if (remote !== undefined && first === undefined) first = remote;
      inFirst = remote !== undefined && remote === first;
      continue;
    }
    const entry = inFirst ? /^url\s*=\s*(.*)$/i.exec(line) : null;
    if (entry?.[1] !== undefined) url = configValue(entry[1]);
  }
  return url === undefined ? "" : stripCredentials(url);
}

/** A git config value: quotes removed, escapes resolved, trailing `#`/`;` comments dropped. */
function configValue(raw: string): string {
  let out = "";
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === "\\" && i + 1 < raw.length) {
      const n = raw[++i];
      out += n === "n" ? "\n" : n === "t" ? "\t" : n;
    } else if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "#" || c === ";")) break;
    else out += c;
  }
  return out.trim();
}

/**
 * Python's `_strip_credentials_from_url` (built on `urllib.parse.urlsplit`): only URLs with a scheme
 * and userinfo in the authority are rewritten, so scp-style `git@host:org/repo.git` stays as is,
 * while `ssh://git@host/repo` loses its `git@`. An unbalanced `[`/`]` makes Python fail → `""`.
 */
function stripCredentials(url: string): string {
  const clean = url.replace(/^[\x00-\x20]+/, "").replace(/[\t\r\n]/g, "");
  const colon = clean.indexOf(":");
  const scheme = clean.slice(0, colon);
  if (colon <= 0 || !/^[A-Za-z][A-Za-z0-9+.-]*$/.test(scheme)) return url;
  const rest = clean.slice(colon + 1);
  if (!rest.startsWith("//")) return url;
  const end = rest.slice(2).search(/[/?#]/);
  const netloc = end < 0 ? rest.slice(2) : rest.slice(2, end + 2);
  if (netloc.includes("[") !== netloc.includes("]")) return "";
  if (!netloc.includes("@")) return url;
  const tail = end < 0 ? "" : rest.slice(end + 2);
  const hash = tail.indexOf("#");
  const fragment = hash < 0 ? "" : tail.slice(hash + 1);
  const beforeHash = hash < 0 ? tail : tail.slice(0, hash);
  const question = beforeHash.indexOf("?");
  const query = question < 0 ? "" : beforeHash.slice(question + 1);
  const pathPart = question < 0 ? beforeHash : beforeHash.slice(0, question);
  const hostPort = netloc.slice(netloc.lastIndexOf("@") + 1);
  return `${scheme.toLowerCase()}://${hostPort}${pathPart}${query ? `?${query}` : ""}${fragment ? `#${fragment}` : ""}`;
}

function statOrUndefined(file: string): fs.Stats | undefined {
  return fs.statSync(file, { throwIfNoEntry: false });
}

/** Reads at most `limit` bytes of a regular file as UTF-8, or `undefined` when it cannot be read. */
function readSmall(file: string, limit: number): string | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, "r");
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return undefined;
    const buffer = Buffer.alloc(Math.min(stat.size, limit));
    const read = fs.readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.toString("utf8", 0, read);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeQuietly(fd);
  }
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // Nothing to recover: the read already succeeded or failed.
  }
}
