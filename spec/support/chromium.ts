/**
 * Headless Chromium for browser tests: the system's Chromium (installed by
 * scripts/ensure-chromium.js when missing), driven by playwright-core — never Playwright's own
 * downloaded browsers. Pages may only reach loopback: any other host is refused before it leaves
 * the browser, so a test cannot touch the internet.
 */
import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { chromium, type Browser, type BrowserContext } from "playwright-core";

const ROOT = resolve(__dirname, "..", "..");
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

// Chromium's own background traffic (component updates, sync, QUIC probes) would only be refused
// by a closed network, many connections at a time.
const QUIET_FLAGS = [
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

interface ExecError {
  status?: number | null;
  stderr?: string | Buffer;
  message?: string;
}

/**
 * The path of a Chromium binary, installing Debian's `chromium` first when none is found
 * (see scripts/ensure-chromium.js). Throws with the script's own explanation when it cannot.
 *
 * @example
 * const executablePath = ensureChromium(); // "/usr/bin/chromium"
 */
export function ensureChromium(): string {
  const known = process.env["MLFLOW_TEST_CHROMIUM"];
  if (known) return known;
  let out: string;
  try {
    out = execFileSync(process.execPath, [join(ROOT, "scripts", "ensure-chromium.js")], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      encoding: "utf8",
      timeout: 10 * 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    const e = err as ExecError;
    const stderr = String(e.stderr ?? "")
      .trim()
      .split("\n")
      .slice(-15)
      .join("\n");
    throw new Error(`scripts/ensure-chromium.js could not provide a Chromium for the browser test (exit ${e.status ?? "?"}):\n${stderr || e.message}`);
  }
  const path = out.trim().split("\n").pop() ?? "";
  if (path === "") throw new Error("scripts/ensure-chromium.js printed no Chromium path.");
  process.env["MLFLOW_TEST_CHROMIUM"] = path;
  return path;
}

/**
 * Launches headless Chromium (ensuring it is installed). Close it with `browser.close()`.
 *
 * @example
 * const browser = await launchChromium();
 * const context = await newLoopbackContext(browser);
 * await browser.close();
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: ensureChromium(), headless: true, args: QUIET_FLAGS, timeout: 30_000 });
}

/** Options of {@link newLoopbackContext}. */
export interface LoopbackContextOptions {
  readonly width?: number;
  readonly height?: number;
  /** `localStorage` entries set before any page script runs (e.g. to dismiss first-visit popups). */
  readonly localStorage?: Readonly<Record<string, string>>;
  /** Receives every refused non-loopback URL. */
  readonly onBlocked?: (url: string) => void;
}

/**
 * A fresh browser context whose pages can only reach loopback hosts.
 *
 * @example
 * const page = await (await newLoopbackContext(browser)).newPage();
 * await page.goto(server.url);
 */
export async function newLoopbackContext(browser: Browser, options: LoopbackContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1600, height: options.height ?? 1000 } });
  await context.route(
    (url) => /^(https?|wss?):$/.test(url.protocol) && !LOOPBACK_HOSTS.has(url.hostname),
    async (route) => {
      options.onBlocked?.(route.request().url());
      await route.abort("blockedbyclient");
    },
  );
  const entries = Object.entries(options.localStorage ?? {});
  if (entries.length > 0) {
    const script = entries.map(([key, value]) => `localStorage.setItem(${JSON.stringify(key)}, ${JSON.stringify(value)});`).join("\n");
    await context.addInitScript({ content: script });
  }
  return context;
}
