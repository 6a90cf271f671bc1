/**
 * The e2e harness: the real Pulumi CLI (built by scripts/engine.sh) driven through the Automation
 * API, with a local file backend and a passphrase secrets provider in a temporary folder, no update
 * checks and no plugin downloads.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, PulumiCommand, type EngineEvent, type Stack } from "@pulumi/pulumi/automation";

export const REPO = path.resolve(__dirname, "../..");

let engine: string | undefined;

/** The engine root (holding bin/pulumi), built or reused by scripts/engine.sh. */
export function engineRoot(): string {
  if (engine) return engine;
  if (process.env.PULUMI_FREEBSD_ENGINE_ROOT && fs.existsSync(path.join(process.env.PULUMI_FREEBSD_ENGINE_ROOT, "bin/pulumi"))) {
    engine = process.env.PULUMI_FREEBSD_ENGINE_ROOT;
  } else {
    const out = execFileSync("bash", [path.join(REPO, "scripts/engine.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    engine = out.trim().split("\n").pop()!;
  }
  return engine;
}

/** A stack under test with everything it captured. */
export interface TestStack {
  stack: Stack;
  name: string;
  workDir: string;
  stateDir: string;
  /** Every line of CLI output and every engine event of every operation, for secret checks. */
  output: string[];
  events: EngineEvent[];
  /** `pulumi stack export` as a user runs it (the Automation API's exportStack adds --show-secrets). */
  exportState(): string;
  /** Removes the stack's config file from the project and the temp folders. */
  dispose(): Promise<void>;
}

/** Options of {@link newStack}. */
export interface StackOptions {
  /** Project folder, default the repo root (its own Pulumi.yaml program). */
  workDir?: string;
  /** Plain config values (objects are passed as JSON, which the program's getObject reads). */
  config?: Record<string, unknown>;
  /** Secret config values. */
  secrets?: Record<string, string>;
}

/** Creates a fresh stack on a fresh local backend. */
export async function newStack(opts: StackOptions = {}): Promise<TestStack> {
  const root = engineRoot();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pf-e2e-"));
  const stateDir = path.join(tmp, "state");
  const home = path.join(tmp, "home");
  fs.mkdirSync(stateDir);
  fs.mkdirSync(home);
  const name = `e2e-${path.basename(tmp).slice(7).toLowerCase().replace(/[^a-z0-9]/g, "")}`;
  const workDir = opts.workDir ?? REPO;
  const pulumiCommand = await PulumiCommand.get({ root });
  const envVars = {
    PULUMI_BACKEND_URL: `file://${stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_HOME: home,
    PATH: `${path.join(root, "bin")}:${process.env.PATH}`,
  };
  const stack = await LocalWorkspace.createStack(
    { stackName: name, workDir },
    { pulumiCommand, pulumiHome: home, envVars, secretsProvider: "passphrase" },
  );
  for (const [k, v] of Object.entries(opts.config ?? {})) {
    await stack.setConfig(k, { value: typeof v === "string" ? v : JSON.stringify(v) });
  }
  for (const [k, v] of Object.entries(opts.secrets ?? {})) await stack.setConfig(k, { value: v, secret: true });
  const output: string[] = [];
  const events: EngineEvent[] = [];
  return {
    stack,
    name,
    workDir,
    stateDir,
    output,
    events,
    exportState: () =>
      execFileSync(path.join(root, "bin/pulumi"), ["stack", "export", "--stack", name], {
        cwd: workDir,
        env: { ...process.env, ...envVars },
        encoding: "utf8",
      }),
    async dispose() {
      try {
        await stack.workspace.removeStack(name, { force: true });
      } catch {
        /* already gone */
      }
      fs.rmSync(path.join(workDir, "stacks", `Pulumi.${name}.yaml`), { force: true });
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Hooks that record output and events of one operation into the stack's logs. */
export function capture(t: TestStack) {
  return {
    onOutput: (s: string) => t.output.push(s),
    onEvent: (e: EngineEvent) => t.events.push(e),
  };
}

/** Counts of an operation summary, e.g. { same: 4, update: 1 }. */
export function changes(summary: Record<string, number> | undefined): Record<string, number> {
  return Object.fromEntries(Object.entries(summary ?? {}).filter(([k, n]) => k !== "same" && n > 0));
}

/** Runs `up` and asserts it succeeded; returns the result. */
export async function up(t: TestStack, extra: { refresh?: boolean } = {}) {
  const r = await t.stack.up({ ...capture(t), ...extra, color: "never" });
  return r;
}

/**
 * A stack whose program is `source` (CommonJS), in a temporary project that uses this
 * checkout's build: `require(PF)` gives the package's exports (dist/index.js). For resources
 * that the repo's own fleet program does not declare yet.
 */
export async function newProgramStack(source: string, opts: Omit<StackOptions, "workDir"> = {}): Promise<TestStack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pf-prog-"));
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: pf-e2e\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n");
  fs.writeFileSync(path.join(dir, "index.js"), `const PF = ${JSON.stringify(path.join(REPO, "dist/index.js"))};\n${source}`);
  const t = await newStack({ ...opts, workDir: dir });
  const dispose = t.dispose;
  t.dispose = async () => {
    await dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return t;
}
