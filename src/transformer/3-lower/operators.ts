// Which TypeScript operator token is which IR operator. The tables are built from the SyntaxKind of
// the compiler instance in use (ts-patch's and ours may number tokens differently), once per instance.
import type { TypeScript } from "../api.js";

export interface OperatorTables {
  /** `a op b` */
  BIN: Partial<Record<number, string>>;
  /** `a op= b`: the operator applied before the write */
  COMPOUND: Partial<Record<number, string>>;
}

const tables = new WeakMap<TypeScript, OperatorTables>();

export function operatorTables(ts: TypeScript): OperatorTables {
  let t = tables.get(ts);
  if (!t) tables.set(ts, (t = build(ts.SyntaxKind)));
  return t;
}

function build(K: TypeScript["SyntaxKind"]): OperatorTables {
  const BIN: Partial<Record<number, string>> = {
    [K.PlusToken]: "+", [K.MinusToken]: "-", [K.AsteriskToken]: "*", [K.SlashToken]: "/", [K.PercentToken]: "%",
    [K.AsteriskAsteriskToken]: "**", [K.LessThanToken]: "<", [K.LessThanEqualsToken]: "<=", [K.GreaterThanToken]: ">",
    [K.GreaterThanEqualsToken]: ">=", [K.EqualsEqualsToken]: "==", [K.ExclamationEqualsToken]: "!=",
    [K.EqualsEqualsEqualsToken]: "===", [K.ExclamationEqualsEqualsToken]: "!==", [K.AmpersandToken]: "&",
    [K.BarToken]: "|", [K.CaretToken]: "^", [K.LessThanLessThanToken]: "<<", [K.GreaterThanGreaterThanToken]: ">>",
    [K.GreaterThanGreaterThanGreaterThanToken]: ">>>", [K.InKeyword]: "in", [K.InstanceOfKeyword]: "instanceof",
  };
  const COMPOUND: Partial<Record<number, string>> = {
    [K.PlusEqualsToken]: "+", [K.MinusEqualsToken]: "-", [K.AsteriskEqualsToken]: "*", [K.SlashEqualsToken]: "/",
    [K.PercentEqualsToken]: "%", [K.AsteriskAsteriskEqualsToken]: "**", [K.AmpersandEqualsToken]: "&",
    [K.BarEqualsToken]: "|", [K.CaretEqualsToken]: "^", [K.LessThanLessThanEqualsToken]: "<<",
    [K.GreaterThanGreaterThanEqualsToken]: ">>", [K.GreaterThanGreaterThanGreaterThanEqualsToken]: ">>>",
  };
  return { BIN, COMPOUND };
}
