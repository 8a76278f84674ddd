// Which locals an expression reads, and through which positions derivatives flow.
import type { Expr } from "../ir/ir.js";
import { isConstantMath } from "../5-differentiate/rules.js";

const NON_DIFF_BIN = new Set(["<", "<=", ">", ">=", "==", "!=", "===", "!==", "&&", "||", "??", "&", "|", "^", "<<", ">>", ">>>", "in", "instanceof"]);

const INDEX_METHODS = new Set(["indexOf", "lastIndexOf", "findIndex", "findLastIndex", "includes", "some", "every"]);

/** Locals read where a derivative can flow (operands of arithmetic, not indices or conditions). */
export function diffReads(e: Expr, out: Set<string> = new Set()): Set<string> {
  switch (e.k) {
    case "var": out.add(e.name); break;
    case "bin": if (!NON_DIFF_BIN.has(e.op)) { diffReads(e.a, out); diffReads(e.b, out); } break;
    case "un": if (e.op === "-" || e.op === "+") diffReads(e.a, out); break;
    case "math": if (!isConstantMath(e.fn)) for (const a of e.args) diffReads(a, out); break;
    case "cond": diffReads(e.a, out); diffReads(e.b, out); break;
    case "index": diffReads(e.obj, out); break;
    case "prop": if (e.name !== "length") diffReads(e.obj, out); break;
    case "call":
      if (!e.noGrad) for (const a of e.args) diffReads(a, out);
      if (e.receiver && e.fn) diffReads(e.receiver, out);
      // a method we cannot see into (`xs.at(-1)`, `m.get(k)`) reads its receiver: reported, never
      // dropped; the index-valued ones have a zero derivative
      else if (!e.fn && !e.rule && !e.noGrad && e.callee.k === "prop" && !INDEX_METHODS.has(e.callee.name)) diffReads(e.callee.obj, out);
      break;
    // an unknown constructor's arguments count too, so an active one is reported, never dropped
    case "new": for (const a of e.args) diffReads(a, out); break;
    case "array": for (const a of e.elems) diffReads(a, out); break;
    case "object": for (const [, a] of e.props) diffReads(a, out); break;
    default: break;
  }
  return out;
}

/** Whether any local diffReads(e) would list is in `names`, without building that set (asked of
 * every operand backprop meets, so each subexpression was walked again at every level above it). */
export function someDiffRead(e: Expr, names: ReadonlySet<string>): boolean {
  switch (e.k) {
    case "var": return names.has(e.name);
    case "bin": return !NON_DIFF_BIN.has(e.op) && (someDiffRead(e.a, names) || someDiffRead(e.b, names));
    case "un": return (e.op === "-" || e.op === "+") && someDiffRead(e.a, names);
    case "math": return !isConstantMath(e.fn) && e.args.some((a) => someDiffRead(a, names));
    case "cond": return someDiffRead(e.a, names) || someDiffRead(e.b, names);
    case "index": return someDiffRead(e.obj, names);
    case "prop": return e.name !== "length" && someDiffRead(e.obj, names);
    case "call":
      if (!e.noGrad && e.args.some((a) => someDiffRead(a, names))) return true;
      if (e.receiver && e.fn) return someDiffRead(e.receiver, names);
      return !e.fn && !e.rule && !e.noGrad && e.callee.k === "prop" && !INDEX_METHODS.has(e.callee.name) && someDiffRead(e.callee.obj, names);
    case "new": return e.args.some((a) => someDiffRead(a, names));
    case "array": return e.elems.some((a) => someDiffRead(a, names));
    case "object": return e.props.some(([, a]) => someDiffRead(a, names));
    default: return false;
  }
}

/** Every local an expression reads. */
export function allReads(e: Expr, out: Set<string> = new Set()): Set<string> {
  switch (e.k) {
    case "var": out.add(e.name); break;
    case "bin": allReads(e.a, out); allReads(e.b, out); break;
    case "un": allReads(e.a, out); break;
    case "math": for (const a of e.args) allReads(a, out); break;
    case "cond": allReads(e.c, out); allReads(e.a, out); allReads(e.b, out); break;
    case "index": allReads(e.obj, out); allReads(e.index, out); break;
    case "prop": allReads(e.obj, out); break;
    case "call": case "new": allReads(e.callee, out); for (const a of e.args) allReads(a, out); break;
    case "array": for (const a of e.elems) allReads(a, out); break;
    case "object": for (const [, a] of e.props) allReads(a, out); break;
    default: break;
  }
  return out;
}
