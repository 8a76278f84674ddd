// Child processes for integration tests: async (so parallel test files do not block each other),
// with an environment cleaned of the npm-script and Vitest variables of the outer run.
import { spawn } from "node:child_process";

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(VITEST|TINYPOOL|npm_package_|npm_lifecycle_|INIT_CWD$|NODE_OPTIONS$|npm_config_(local_prefix|prefix|global)$)/.test(k)) continue;
    env[k] = v;
  }
  return env;
}

export function run(cmd: string, args: string[], cwd: string, timeoutMs = 300_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** run, and throw with the whole output unless it exits 0 */
export async function ok(cmd: string, args: string[], cwd: string, timeoutMs?: number): Promise<RunResult> {
  const r = await run(cmd, args, cwd, timeoutMs);
  if (r.code !== 0) {
    throw new Error(`\`${cmd} ${args.join(" ")}\` in ${cwd} exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  }
  return r;
}

export const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
export const NPX = process.platform === "win32" ? "npx.cmd" : "npx";
