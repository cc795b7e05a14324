import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { envMetadata, resolveEnvMetadata } from "../../../lib/export/mlflow/env-metadata";
import { getLastActiveTrace, setTraceClient, startSpan } from "../../../lib/index";
import { MemoryClient } from "../../../lib/export/clients/memory-client";
import { environmentMetadata, setEnvironmentMetadataProvider } from "../../../lib/tracing/environment";

const SHA_A = "0123456789abcdef0123456789abcdef01234567";
const SHA_B = "89abcdef0123456789abcdef0123456789abcdef";

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "env-metadata-"));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface GitDirSpec {
  head: string;
  loose?: Record<string, string>;
  packed?: Record<string, string>;
  config?: string;
}

/** Writes the files git itself would keep in a git dir (no `git` binary needed). */
function writeGitDir(gitDir: string, spec: GitDirSpec): string {
  fs.mkdirSync(path.join(gitDir, "objects"), { recursive: true });
  fs.mkdirSync(path.join(gitDir, "refs", "heads"), { recursive: true });
  fs.writeFileSync(path.join(gitDir, "HEAD"), `${spec.head}\n`);
  for (const [ref, sha] of Object.entries(spec.loose ?? {})) {
    fs.mkdirSync(path.dirname(path.join(gitDir, ref)), { recursive: true });
    fs.writeFileSync(path.join(gitDir, ref), `${sha}\n`);
  }
  if (spec.packed !== undefined) {
    const lines = Object.entries(spec.packed).map(([ref, sha]) => `${sha} ${ref}`);
    fs.writeFileSync(path.join(gitDir, "packed-refs"), `# pack-refs with: peeled fully-peeled sorted \n${lines.join("\n")}\n`);
  }
  if (spec.config !== undefined) fs.writeFileSync(path.join(gitDir, "config"), spec.config);
  return gitDir;
}

/** A working tree at `tmp/<name>` with a `.git` directory. */
function makeRepo(name: string, spec: GitDirSpec): string {
  const work = path.join(tmp, name);
  writeGitDir(path.join(work, ".git"), spec);
  return work;
}

function git(cwd: string): Record<string, string | undefined> {
  const m = resolveEnvMetadata({ cwd, argv: ["node", "app.js"], env: {}, username: () => "tester" });
  return {
    commit: m["mlflow.source.git.commit"],
    branch: m["mlflow.source.git.branch"],
    repoURL: m["mlflow.source.git.repoURL"],
  };
}

const remoteConfig = (url: string): string => `[core]\n\tbare = false\n[remote "origin"]\n\turl = ${url}\n`;

describe("resolveEnvMetadata: user and source", () => {
  it("takes the user from MLFLOW_TRACKING_USERNAME before any login name", () => {
    const m = resolveEnvMetadata({ cwd: tmp, env: { MLFLOW_TRACKING_USERNAME: "alice", USER: "bob" }, username: () => "root" });
    expect(m["mlflow.user"]).toBe("alice");
  });

  it("falls back to LOGNAME/USER like Python's getpass, then to the login-name lookup", () => {
    expect(resolveEnvMetadata({ cwd: tmp, env: { MLFLOW_TRACKING_USERNAME: "", USER: "bob" }, username: () => "root" })["mlflow.user"]).toBe("bob");
    expect(resolveEnvMetadata({ cwd: tmp, env: { LOGNAME: "carol", USER: "bob" }, username: () => "root" })["mlflow.user"]).toBe("carol");
    expect(resolveEnvMetadata({ cwd: tmp, env: {}, username: () => "root" })["mlflow.user"]).toBe("root");
  });

  it("reports the user as 'unknown' when the login-name lookup throws", () => {
    const failing = (): string => {
      throw new Error("no passwd entry");
    };
    expect(resolveEnvMetadata({ cwd: tmp, env: {}, username: failing })["mlflow.user"]).toBe("unknown");
  });

  it("names the main script from argv[1] and reports the source type LOCAL", () => {
    const m = resolveEnvMetadata({ cwd: tmp, argv: ["/usr/bin/node", "/srv/app/main.js", "--flag"], env: {} });
    expect(m["mlflow.source.name"]).toBe("/srv/app/main.js");
    expect(m["mlflow.source.type"]).toBe("LOCAL");
  });

  it("names the source '<console>' when there is no script (REPL, node -e)", () => {
    expect(resolveEnvMetadata({ cwd: tmp, argv: ["node"], env: {} })["mlflow.source.name"]).toBe("<console>");
    expect(resolveEnvMetadata({ cwd: tmp, argv: ["node", ""], env: {} })["mlflow.source.name"]).toBe("<console>");
  });

  it("returns the keys in Python's order", () => {
    expect(Object.keys(resolveEnvMetadata({ cwd: tmp, env: {} }))).toEqual([
      "mlflow.user",
      "mlflow.source.name",
      "mlflow.source.type",
      "mlflow.source.git.commit",
      "mlflow.source.git.repoURL",
      "mlflow.source.git.branch",
    ]);
  });
});

describe("resolveEnvMetadata: git", () => {
  it("reads the branch and commit of a loose ref", () => {
    const repo = makeRepo("r", { head: "ref: refs/heads/main", loose: { "refs/heads/main": SHA_A } });
    expect(git(repo)).toEqual({ commit: SHA_A, branch: "main", repoURL: "" });
  });

  it("keeps slashes in branch names", () => {
    const repo = makeRepo("r", { head: "ref: refs/heads/feature/x", loose: { "refs/heads/feature/x": SHA_B } });
    expect(git(repo)).toEqual({ commit: SHA_B, branch: "feature/x", repoURL: "" });
  });

  it("finds the commit in packed-refs when the loose ref is absent", () => {
    const repo = makeRepo("r", {
      head: "ref: refs/heads/main",
      packed: { "refs/heads/dev": SHA_B, "refs/heads/main": SHA_A, "refs/tags/v1": SHA_B },
    });
    expect(git(repo)).toEqual({ commit: SHA_A, branch: "main", repoURL: "" });
  });

  it("prefers the loose ref over a stale packed-refs line", () => {
    const repo = makeRepo("r", { head: "ref: refs/heads/main", loose: { "refs/heads/main": SHA_B }, packed: { "refs/heads/main": SHA_A } });
    expect(git(repo).commit).toBe(SHA_B);
  });

  it("reports the commit and no branch for a detached HEAD", () => {
    const repo = makeRepo("r", { head: SHA_B, loose: { "refs/heads/main": SHA_A } });
    expect(git(repo)).toEqual({ commit: SHA_B, branch: "", repoURL: "" });
  });

  it("reports the branch but no commit for an unborn branch", () => {
    const repo = makeRepo("r", { head: "ref: refs/heads/dev" });
    expect(git(repo)).toEqual({ commit: "", branch: "dev", repoURL: "" });
  });

  it("searches parent directories from a nested working directory", () => {
    const repo = makeRepo("r", { head: "ref: refs/heads/main", loose: { "refs/heads/main": SHA_A } });
    const nested = path.join(repo, "src", "deep");
    fs.mkdirSync(nested, { recursive: true });
    expect(git(nested)).toEqual({ commit: SHA_A, branch: "main", repoURL: "" });
  });

  it("skips a .git directory that is not a repository and keeps searching upwards", () => {
    const repo = makeRepo("r", { head: "ref: refs/heads/main", loose: { "refs/heads/main": SHA_A } });
    const inner = path.join(repo, "vendor", "lib");
    fs.mkdirSync(path.join(inner, ".git"), { recursive: true });
    fs.writeFileSync(path.join(inner, ".git", "HEAD"), "ref: refs/heads/other\n");
    expect(git(inner)).toEqual({ commit: SHA_A, branch: "main", repoURL: "" });
  });

  it("follows a worktree's .git file to its gitdir and reads refs and config from the commondir", () => {
    const main = makeRepo("main", {
      head: "ref: refs/heads/main",
      loose: { "refs/heads/main": SHA_A },
      packed: { "refs/heads/feat": SHA_B },
      config: remoteConfig("https://example.com/org/app.git"),
    });
    const adminDir = path.join(main, ".git", "worktrees", "wt");
    fs.mkdirSync(adminDir, { recursive: true });
    fs.writeFileSync(path.join(adminDir, "HEAD"), "ref: refs/heads/feat\n");
    fs.writeFileSync(path.join(adminDir, "commondir"), "../..\n");
    const worktree = path.join(tmp, "wt");
    fs.mkdirSync(worktree);
    fs.writeFileSync(path.join(worktree, ".git"), `gitdir: ${adminDir}\n`);
    expect(git(worktree)).toEqual({ commit: SHA_B, branch: "feat", repoURL: "https://example.com/org/app.git" });
  });

  it("follows a submodule's relative .git file to a gitdir without commondir", () => {
    const parent = makeRepo("parent", { head: "ref: refs/heads/main", loose: { "refs/heads/main": SHA_A } });
    writeGitDir(path.join(parent, ".git", "modules", "sub"), { head: SHA_B, config: remoteConfig("git@example.com:org/sub.git") });
    const sub = path.join(parent, "sub");
    fs.mkdirSync(sub);
    fs.writeFileSync(path.join(sub, ".git"), "gitdir: ../.git/modules/sub\n");
    expect(git(sub)).toEqual({ commit: SHA_B, branch: "", repoURL: "git@example.com:org/sub.git" });
  });

  it("stops at a .git file that does not point to a repository, like git", () => {
    const repo = makeRepo("r", { head: "ref: refs/heads/main", loose: { "refs/heads/main": SHA_A } });
    const inner = path.join(repo, "broken");
    fs.mkdirSync(inner);
    fs.writeFileSync(path.join(inner, ".git"), "gitdir: ../nowhere\n");
    expect(git(inner)).toEqual({ commit: "", branch: "", repoURL: "" });
  });

  it("takes the last url of the first remote section, as GitPython does", () => {
    const repo = makeRepo("r", {
      head: "ref: refs/heads/main",
      config: [
        "[core]",
        "\tbare = false",
        '[remote "upstream"]',
        "\turl = https://example.com/first.git",
        "\tfetch = +refs/heads/*:refs/remotes/upstream/*",
        '\turl = "https://example.com/second.git" ; push mirror',
        '[remote "origin"]',
        "\turl = https://example.com/origin.git",
      ].join("\n"),
    });
    expect(git(repo).repoURL).toBe("https://example.com/second.git");
  });

  it.each([
    ["https://user:token@github.com/org/app.git", "https://github.com/org/app.git"],
    ['"https://x-access-token:ghp_abc@github.com/org/app.git?ref=1#top"', "https://github.com/org/app.git?ref=1#top"],
    ["HTTPS://u:p@Example.com:8443/app.git", "https://Example.com:8443/app.git"],
    ["ssh://git@github.com/org/app.git", "ssh://github.com/org/app.git"],
    ["git@github.com:org/app.git", "git@github.com:org/app.git"],
    ["https://github.com/org/app.git", "https://github.com/org/app.git"],
    ["https://[::1/app.git", ""],
  ])("records the remote %s as %j (Python's credential stripping)", (url, expected) => {
    const repo = makeRepo("r", { head: "ref: refs/heads/main", config: remoteConfig(url) });
    expect(git(repo).repoURL).toBe(expected);
  });

  it("reports empty git keys outside any repository or for a missing directory", () => {
    expect(git(tmp)).toEqual({ commit: "", branch: "", repoURL: "" });
    expect(git(path.join(tmp, "does", "not", "exist"))).toEqual({ commit: "", branch: "", repoURL: "" });
  });

  it("ignores refs that would escape the git directory", () => {
    const repo = makeRepo("r", { head: "ref: refs/heads/../../../secret" });
    fs.writeFileSync(path.join(tmp, "secret"), `${SHA_A}\n`);
    expect(git(repo).commit).toBe("");
  });
});

describe("envMetadata", () => {
  it("resolves once and returns the same frozen object afterwards", () => {
    const first = envMetadata();
    expect(envMetadata()).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(first).toEqual(resolveEnvMetadata());
    expect(first["mlflow.source.type"]).toBe("LOCAL");
  });
});

describe("trace metadata", () => {
  afterEach(() => setTraceClient(undefined));

  it("records the environment metadata the export side resolves, as MLflow's Python SDK does", () => {
    setTraceClient(new MemoryClient());
    startSpan({ name: "root" }, () => "done");
    expect(getLastActiveTrace()?.info.metadata).toMatchObject({ ...envMetadata(), "mlflow.trace_schema.version": "3" });
  });

  it("is empty in the tracing core until the export side registers its provider", () => {
    setEnvironmentMetadataProvider(undefined);
    try {
      expect(environmentMetadata()).toEqual({});
    } finally {
      setEnvironmentMetadataProvider(envMetadata);
    }
  });
});
