// Hands out readable names that collide with nothing the user wrote (nor with a keyword:
// the adjoint of `o` cannot be `do`).
const RESERVED = new Set([
  "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "enum",
  "export", "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof", "new", "null",
  "return", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with", "yield",
  "let", "static", "implements", "interface", "package", "private", "protected", "public", "await", "arguments",
  "eval", "undefined", "NaN", "Infinity",
]);

export class Names {
  /** taken names besides the reserved ones (kept apart: every function and pass copies its set) */
  private used: Set<string>;
  constructor(taken: Iterable<string> = []) {
    this.used = new Set(taken);
  }
  clone(): Names {
    return new Names(this.used);
  }
  take(name: string): void {
    this.used.add(name);
  }
  has(name: string): boolean {
    return RESERVED.has(name) || this.used.has(name);
  }
  /** `base` if free, else base2, base3, ... */
  fresh(base: string): string {
    let name = base;
    for (let i = 2; this.has(name); i++) name = `${base}${i}`;
    this.used.add(name);
    return name;
  }
  /** a numbered family: loop1, loop2, ... (numbered even for the first, so it reads as one of many) */
  numbered(base: string): string {
    let i = 1;
    while (this.has(`${base}${i}`)) i++;
    const name = `${base}${i}`;
    this.used.add(name);
    return name;
  }
}
