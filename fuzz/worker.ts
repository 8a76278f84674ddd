// Entry of the worker that runs one batch of generated code (bundled together with it): checks
// each requested program and posts one message per program, so a hang is pinned to its program.
import { parentPort, workerData } from "node:worker_threads";
import type { Program } from "./ast.js";
import { checkProgram, type CheckOptions, type Entry, type Result } from "./check.js";

export interface WorkerInput {
  items: { name: string; prog: Program }[];
  options: CheckOptions;
}

export type WorkerMessage = { kind: "start"; name: string } | { kind: "result"; result: Result } | { kind: "done" };

export function workerMain(opt: Record<string, Entry>, noopt: Record<string, Entry> | undefined): void {
  const input = workerData as WorkerInput;
  const post = (m: WorkerMessage) => parentPort!.postMessage(m);
  for (const { name, prog } of input.items) {
    post({ kind: "start", name });
    let result: Result;
    const entry = opt[name];
    if (!entry) result = { name, outcome: "fail", cls: "checker", detail: `no entry ${name} in the built module` };
    else {
      try {
        result = checkProgram(name, prog, entry, noopt?.[name], input.options);
      } catch (e) {
        result = { name, outcome: "fail", cls: "checker", detail: e instanceof Error ? e.stack ?? e.message : String(e) };
      }
    }
    post({ kind: "result", result });
  }
  post({ kind: "done" });
}
