// Shared bits of the integration scenarios: the user program of the spec and file writing.
import * as fs from "node:fs";
import * as path from "node:path";

/** SPEC's first example; must print 18 once transformed. */
export const MAIN = 'import { grad } from "backprop-ts";\nconsole.log(grad((x: number) => x ** 2 + 3)(9));\n';

export function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

export const json = (v: unknown) => JSON.stringify(v, null, 2);
