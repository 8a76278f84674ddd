// IR → TypeScript nodes. Everything the hosts print or splice comes out of here.
import type * as TS from "typescript";
import { RUNTIME_LOCAL, type TypeScript } from "../api.js";
import type { Expr, OStmt } from "../ir/ir.js";

export class Emitter {
  private f: TS.NodeFactory;
  /** whether anything emitted so far names the runtime (`$bp.…`): the file then needs its import */
  usesRuntime = false;
  constructor(private ts: TypeScript) {
    this.f = ts.factory;
  }

  statements(list: OStmt[]): TS.Statement[] {
    return list.map((s) => this.statement(s));
  }

  statement(s: OStmt): TS.Statement {
    const node = this.bare(s);
    const note = "note" in s ? s.note : undefined;
    if (note) for (const line of note.split("\n")) this.ts.addSyntheticLeadingComment(node, this.ts.SyntaxKind.SingleLineCommentTrivia, ` ${line}`, true);
    return node;
  }

  private bare(s: OStmt): TS.Statement {
    const { f, ts } = this;
    switch (s.k) {
      case "let":
        return f.createVariableStatement(undefined, f.createVariableDeclarationList(
          [f.createVariableDeclaration(s.name, undefined, undefined, s.init && this.expr(s.init))],
          s.konst ? ts.NodeFlags.Const : ts.NodeFlags.Let));
      case "set": {
        const target = this.expr(s.target);
        if (s.op === "+=" && s.value.k === "num" && s.value.v === 1) return f.createExpressionStatement(f.createPostfixIncrement(target));
        // x = x + 1  →  x++
        if (s.op === "=" && s.target.k === "var" && s.value.k === "bin" && (s.value.op === "+" || s.value.op === "-") && s.value.a.k === "var" &&
          s.value.a.name === s.target.name && s.value.b.k === "num" && s.value.b.v === 1)
          return f.createExpressionStatement(s.value.op === "+" ? f.createPostfixIncrement(target) : f.createPostfixDecrement(target));
        const op = s.op === "=" ? ts.SyntaxKind.EqualsToken : s.op === "+=" ? ts.SyntaxKind.PlusEqualsToken : ts.SyntaxKind.MinusEqualsToken;
        return f.createExpressionStatement(f.createBinaryExpression(target, op, this.expr(s.value)));
      }
      case "do":
        return f.createExpressionStatement(this.expr(s.e));
      case "if":
        return f.createIfStatement(this.expr(s.c), this.block(s.then), s.else.length > 0 ? this.elseBranch(s.else) : undefined);
      case "while":
        return f.createWhileStatement(this.expr(s.c), this.block(s.body));
      case "countdown": {
        const counter = f.createIdentifier(s.name);
        const init = s.from
          ? f.createVariableDeclarationList([f.createVariableDeclaration(s.name, undefined, undefined, this.expr(s.from))], ts.NodeFlags.Let)
          : undefined;
        return f.createForStatement(init, f.createBinaryExpression(counter, ts.SyntaxKind.GreaterThanToken, f.createNumericLiteral(0)),
          f.createPostfixDecrement(counter), this.block(s.body));
      }
      case "return":
        return f.createReturnStatement(s.e && this.expr(s.e));
      case "throw":
        return f.createThrowStatement(this.expr(s.e));
      case "fn":
        return f.createFunctionDeclaration(undefined, undefined, s.name, undefined,
          s.params.map((p) => typeof p === "string"
            ? f.createParameterDeclaration(undefined, undefined, p)
            : f.createParameterDeclaration(undefined, undefined, p.name, undefined, undefined, this.expr(p.init))), undefined, this.block(s.body));
      case "save": case "restore":
        throw new Error("unresolved save/restore marker reached the emitter");
    }
  }

  private elseBranch(list: OStmt[]): TS.Statement {
    // `else if` chains read better than nested blocks
    if (list.length === 1 && list[0].k === "if" && !list[0].note) return this.statement(list[0]);
    return this.block(list);
  }

  block(list: OStmt[]): TS.Block {
    return this.f.createBlock(this.statements(list), true);
  }

  expr(e: Expr): TS.Expression {
    const { f, ts } = this;
    switch (e.k) {
      case "num": return this.number(e.v);
      case "lit": return this.literal(e.text);
      case "var": return f.createIdentifier(e.name);
      case "free": return this.path(e.path);
      case "bin": return f.createBinaryExpression(this.operand(e.a, e.op, "left"), binaryToken(ts, e.op), this.operand(e.b, e.op, "right"));
      case "un": {
        if (e.op === "typeof") return f.createTypeOfExpression(this.expr(e.a));
        const op = { "-": ts.SyntaxKind.MinusToken, "+": ts.SyntaxKind.PlusToken, "!": ts.SyntaxKind.ExclamationToken, "~": ts.SyntaxKind.TildeToken }[e.op];
        return f.createPrefixUnaryExpression(op as TS.PrefixUnaryOperator, this.expr(e.a));
      }
      case "math": return f.createCallExpression(this.path(`Math.${e.fn}`), undefined, e.args.map((a) => this.expr(a)));
      case "cond": return f.createConditionalExpression(this.expr(e.c), f.createToken(ts.SyntaxKind.QuestionToken), this.expr(e.a), f.createToken(ts.SyntaxKind.ColonToken), this.expr(e.b));
      case "index": return f.createElementAccessExpression(this.expr(e.obj), this.expr(e.index));
      case "prop": return f.createPropertyAccessExpression(this.expr(e.obj), e.name);
      case "call":
        if (e.getter) return this.expr(e.callee);
        return f.createCallExpression(this.callee(e.callee), undefined, e.args.map((a) => this.expr(a)));
      case "new":
        if (e.newTarget) return f.createCallExpression(this.expr({ k: "free", path: "Reflect.construct" }), undefined,
          [this.expr(e.callee), f.createArrayLiteralExpression(e.args.map((a) => this.expr(a))), this.expr({ k: "free", path: e.newTarget })]);
        return f.createNewExpression(this.expr(e.callee), undefined, e.args.map((a) => this.expr(a)));
      case "array": return f.createArrayLiteralExpression(e.elems.map((a) => this.expr(a)));
      case "object": return f.createObjectLiteralExpression(e.props.map(([k, val]) =>
        val.k === "var" && val.name === k ? f.createShorthandPropertyAssignment(k) : f.createPropertyAssignment(k, this.expr(val))));
      case "arrow": return f.createArrowFunction(undefined, undefined,
        e.params.map((p) => f.createParameterDeclaration(undefined, undefined, p)), undefined,
        f.createToken(ts.SyntaxKind.EqualsGreaterThanToken), this.arrowBody(e.body));
    }
  }

  private arrowBody(body: OStmt[]): TS.ConciseBody {
    if (body.length === 1 && body[0].k === "return" && body[0].e && !body[0].note) {
      const e = this.expr(body[0].e);
      return this.ts.isObjectLiteralExpression(e) ? this.f.createParenthesizedExpression(e) : e;
    }
    return this.block(body);
  }

  private callee(e: Expr): TS.Expression {
    const node = this.expr(e);
    // (a ?? b)(x): a callee that is not a plain access needs parentheses
    return this.ts.isIdentifier(node) || this.ts.isPropertyAccessExpression(node) || this.ts.isElementAccessExpression(node) || this.ts.isCallExpression(node)
      ? node : this.f.createParenthesizedExpression(node);
  }

  /**
   * Our own parentheses for binary operands: TypeScript's factory treats `*` as associative and
   * would print `a * (b * c)` as `a * b * c`, which rounds differently (and `a * (b % c)` as
   * `a * b % c`, which is wrong). The forward sweep must compute exactly what the user wrote.
   */
  private operand(e: Expr, op: string, side: "left" | "right"): TS.Expression {
    const node = this.expr(e);
    const p = PRECEDENCE[op];
    let wrap = false;
    if (e.k === "cond" || e.k === "arrow") wrap = true;
    else if (e.k === "bin") {
      const q = PRECEDENCE[e.op];
      wrap = q < p || (q === p && (side === "right" ? op !== "**" : op === "**"));
      // `??` cannot be mixed with `||`/`&&` without parentheses
      if ((op === "??") !== (e.op === "??") && (["??", "||", "&&"].includes(op) && ["??", "||", "&&"].includes(e.op))) wrap = true;
    } else if (op === "**" && side === "left" && (e.k === "un" || (e.k === "num" && (e.v < 0 || Object.is(e.v, -0))))) wrap = true;
    return wrap ? this.f.createParenthesizedExpression(node) : node;
  }

  private number(x: number): TS.Expression {
    const { f, ts } = this;
    if (Number.isNaN(x)) return f.createIdentifier("NaN");
    if (x === Infinity) return f.createIdentifier("Infinity");
    if (x === -Infinity) return f.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, f.createIdentifier("Infinity"));
    if (x < 0 || Object.is(x, -0)) return f.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, this.number(-x));
    return f.createNumericLiteral(String(x));
  }

  private literal(text: string): TS.Expression {
    const { f } = this;
    switch (text) {
      case "true": return f.createTrue();
      case "false": return f.createFalse();
      case "null": return f.createNull();
      case "undefined": return f.createIdentifier("undefined");
    }
    if (text.startsWith('"')) return f.createStringLiteral(JSON.parse(text) as string);
    return f.createIdentifier(text);
  }

  private path(p: string): TS.Expression {
    const parts = p.split(".");
    if (parts[0] === RUNTIME_LOCAL) this.usesRuntime = true;
    let node: TS.Expression = this.f.createIdentifier(parts[0]);
    for (const part of parts.slice(1)) node = this.f.createPropertyAccessExpression(node, part);
    return node;
  }
}

const PRECEDENCE: Record<string, number> = {
  "**": 14, "*": 13, "/": 13, "%": 13, "+": 12, "-": 12, "<<": 11, ">>": 11, ">>>": 11,
  "<": 10, "<=": 10, ">": 10, ">=": 10, in: 10, instanceof: 10, "==": 9, "!=": 9, "===": 9, "!==": 9,
  "&": 8, "^": 7, "|": 6, "&&": 5, "||": 4, "??": 4,
};

// built once per TypeScript instance, not once per binary expression
const binaryTokens = new WeakMap<TypeScript, Record<string, TS.BinaryOperator>>();

function binaryToken(ts: TypeScript, op: string): TS.BinaryOperator {
  let table = binaryTokens.get(ts);
  if (!table) binaryTokens.set(ts, (table = binaryTokenTable(ts)));
  return table[op];
}

function binaryTokenTable(ts: TypeScript): Record<string, TS.BinaryOperator> {
  const K = ts.SyntaxKind;
  return {
    "+": K.PlusToken, "-": K.MinusToken, "*": K.AsteriskToken, "/": K.SlashToken, "%": K.PercentToken,
    "**": K.AsteriskAsteriskToken, "<": K.LessThanToken, "<=": K.LessThanEqualsToken, ">": K.GreaterThanToken,
    ">=": K.GreaterThanEqualsToken, "==": K.EqualsEqualsToken, "!=": K.ExclamationEqualsToken,
    "===": K.EqualsEqualsEqualsToken, "!==": K.ExclamationEqualsEqualsToken, "&&": K.AmpersandAmpersandToken,
    "||": K.BarBarToken, "??": K.QuestionQuestionToken, "&": K.AmpersandToken, "|": K.BarToken, "^": K.CaretToken,
    "<<": K.LessThanLessThanToken, ">>": K.GreaterThanGreaterThanToken, ">>>": K.GreaterThanGreaterThanGreaterThanToken,
    in: K.InKeyword, instanceof: K.InstanceOfKeyword,
  };
}
