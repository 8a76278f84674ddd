// One ts.Program per build, shared by every file a bundler plugin transforms.
// A new Program costs 130–450 ms, a shared one ~10 ms per file (DESIGN.md), so we only rebuild when
// the text a bundler hands us differs from the Program's copy (watch mode, Vite dev) or a file is
// not in the Program yet; rebuilds pass `oldProgram` and reuse every unchanged SourceFile object.
import * as fs from "node:fs";
import * as path from "node:path";
import type * as TS from "typescript";
import type { TypeScript } from "../api.js";
import { loadTsconfig } from "./load-tsconfig.js";

export interface ProgramCacheOptions {
  /** path to tsconfig.json (relative to `root`); default: nearest tsconfig.json from `root` upward */
  tsconfig?: string;
  /** default process.cwd() */
  root?: string;
}

export class ProgramCache {
  /** how many Programs were created (tests and measurements read it) */
  programsCreated = 0;
  private program: TS.Program | undefined;
  private config: { options: TS.CompilerOptions; rootNames: string[] } | undefined;
  private readonly extraRoots = new Set<string>();
  /** text the bundler gave us, which wins over the disk */
  private readonly overlay = new Map<string, string>();
  /** SourceFiles kept across rebuilds so unchanged files (and lib .d.ts) are never reparsed */
  private readonly sourceFiles = new Map<string, TS.SourceFile>();
  /** mtimes of user files read from disk, checked once per build (esbuild watch rebuilds) */
  private readonly mtimes = new Map<string, number>();
  private stale = false;
  private checkDisk = false;

  constructor(
    private readonly ts: TypeScript,
    private readonly opts: ProgramCacheOptions = {},
  ) {}

  /** The shared Program and its SourceFile for `fileName` holding exactly `text`. */
  get(fileName: string, text: string): { program: TS.Program; sourceFile: TS.SourceFile } | undefined {
    const name = normalize(fileName);
    if (this.checkDisk) this.scanDisk();
    let sf = this.program?.getSourceFile(name);
    if (!this.program || this.stale || !sf || sf.text !== text) {
      if (!sf && !this.isConfigRoot(name)) this.extraRoots.add(name);
      this.overlay.set(name, text);
      this.rebuild();
      sf = this.program!.getSourceFile(name);
    }
    return sf ? { program: this.program!, sourceFile: sf } : undefined;
  }

  /**
   * A file the host did not ask `get` for (it cannot need a rewrite) but whose text other files may
   * see through their imports: kept for the next rebuild, which happens only when a file that needs
   * the Program asks for it.
   */
  noteText(fileName: string, text: string): void {
    const name = normalize(fileName);
    const sf = this.program?.getSourceFile(name);
    if (sf ? sf.text === text : this.overlay.get(name) === text) return;
    this.overlay.set(name, text);
    if (sf) this.stale = true;
  }

  /** Watch hook: `fileName` changed on disk; reread it on the next rebuild. */
  fileChanged(fileName: string): void {
    const name = normalize(fileName);
    this.overlay.delete(name);
    this.sourceFiles.delete(name);
    this.stale = true;
  }

  /** A new build starts (esbuild rebuild): compare user files' mtimes once before the next use. */
  buildStarted(): void {
    if (this.program) this.checkDisk = true;
  }

  private scanDisk(): void {
    this.checkDisk = false;
    for (const [name, mtime] of this.mtimes) {
      let now = -1;
      try { now = fs.statSync(name).mtimeMs; } catch { /* deleted */ }
      if (now !== mtime && !this.overlay.has(name)) {
        this.sourceFiles.delete(name);
        this.mtimes.delete(name);
        this.stale = true;
      }
    }
  }

  private isConfigRoot(name: string): boolean {
    return this.loadConfig().rootNames.includes(name);
  }

  private loadConfig(): { options: TS.CompilerOptions; rootNames: string[] } {
    return (this.config ??= loadTsconfig(this.ts, this.opts.root ?? process.cwd(), this.opts.tsconfig));
  }

  private rebuild(): void {
    const ts = this.ts;
    const config = this.loadConfig();
    // We only read types and nodes; never emit or write build info.
    const options: TS.CompilerOptions = { ...config.options, noEmit: true, incremental: false, composite: false };
    const host = ts.createCompilerHost(options, true);
    const readFromDisk = host.getSourceFile.bind(host);
    const readFile = host.readFile.bind(host);
    host.readFile = (f) => this.overlay.get(normalize(f)) ?? readFile(f);
    host.getSourceFile = (fileName, languageVersion, onError, shouldCreateNew) => {
      const name = normalize(fileName);
      const cached = this.sourceFiles.get(name);
      const text = this.overlay.get(name);
      if (text !== undefined) {
        if (cached && cached.text === text) return cached;
        const sf = ts.createSourceFile(fileName, text, languageVersion, true);
        this.sourceFiles.set(name, sf);
        return sf;
      }
      if (cached && !shouldCreateNew) return cached;
      const sf = readFromDisk(fileName, languageVersion, onError, shouldCreateNew);
      if (sf) {
        this.sourceFiles.set(name, sf);
        if (!name.includes("/node_modules/")) {
          try { this.mtimes.set(name, fs.statSync(name).mtimeMs); } catch { /* virtual lib file */ }
        }
      }
      return sf;
    };
    const rootNames = [...new Set([...config.rootNames, ...this.extraRoots])];
    this.program = ts.createProgram({ rootNames, options, host, oldProgram: this.program });
    this.programsCreated++;
    this.stale = false;
  }
}

/** Absolute, forward slashes, no bundler query (`?v=123`) — the form TS uses for file names. */
export function normalize(fileName: string): string {
  return path.resolve(fileName.replace(/[?#].*$/, "")).replace(/\\/g, "/");
}
