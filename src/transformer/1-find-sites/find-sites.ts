// Finds grad/valueAndGrad/vjp calls the way typia does: through the type checker, so an aliased or
// namespace import works and a user's own function named `grad` is left alone.
import type * as TS from "typescript";
import type { TypeScript } from "../api.js";
import { runtimeExportOf } from "../2-resolve/runtime-symbols.js";

export type SiteApi = "grad" | "valueAndGrad" | "vjp";

export interface Site {
  call: TS.CallExpression;
  api: SiteApi;
  /** the differentiated function as written at the site */
  target: TS.Expression | undefined;
  /** undefined: all parameters; a number: that one alone; an array: those */
  wrt: number | number[] | undefined;
  /** set when `wrt` is not a literal index or array of literal indices */
  wrtError?: TS.Node;
}

const APIS = new Set<string>(["grad", "valueAndGrad", "vjp"]);
/** Cheap text test before walking a file: every site names one of these or imports the package. */
const MAYBE_SITE = /grad|Grad|vjp|backprop-ts/;

export function findSites(ts: TypeScript, checker: TS.TypeChecker, file: TS.SourceFile): Site[] {
  if (file.isDeclarationFile || !MAYBE_SITE.test(file.text)) return [];
  const sites: Site[] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isCallExpression(node)) {
      const api = runtimeExportOf(ts, checker, node.expression);
      if (api && APIS.has(api)) sites.push(site(ts, node, api as SiteApi));
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return sites;
}

function site(ts: TypeScript, call: TS.CallExpression, api: SiteApi): Site {
  const [target, wrtNode] = call.arguments;
  const s: Site = { call, api, target, wrt: undefined };
  if (!wrtNode) return s;
  const index = (n: TS.Expression): number | undefined => {
    // -1 is a literal too (and then out of range, not "not a literal")
    if (ts.isPrefixUnaryExpression(n) && n.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(n.operand)) return -Number(n.operand.text);
    return ts.isNumericLiteral(n) && Number.isInteger(Number(n.text)) ? Number(n.text) : undefined;
  };
  let w: TS.Expression = wrtNode;
  while (ts.isAsExpression(w) || ts.isParenthesizedExpression(w) || ts.isSatisfiesExpression(w)) w = w.expression;
  if (ts.isArrayLiteralExpression(w)) {
    const list = w.elements.map(index);
    if (list.every((i): i is number => i !== undefined)) s.wrt = list;
    else s.wrtError = wrtNode;
  } else {
    const i = index(w);
    if (i !== undefined) s.wrt = i;
    else s.wrtError = wrtNode;
  }
  return s;
}
