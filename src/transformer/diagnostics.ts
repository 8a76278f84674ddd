// Every message the transformer can report, in one table. BP1xxx: a construct that cannot be
// differentiated; BP2xxx: a wrong use of the API; BP9xxx: our own failure.
import type * as TS from "typescript";
import type { BpDiagnostic } from "./api.js";
import type { Loc } from "./ir/ir.js";

export interface Diag {
  code: number;
  message: string;
  at: TS.Node | Loc;
}

const d = (code: number, text: (...args: string[]) => string) => (at: TS.Node | Loc, ...args: string[]): Diag => ({ code, message: text(...args), at });

export const diag = {
  generator: d(1001, () => "cannot differentiate a generator function: its body runs lazily, outside the gradient call. Return an array instead."),
  async: d(1002, () => "cannot differentiate an async function or `for await`: the gradient must be computed synchronously."),
  noBody: d(1003, (name) => `cannot differentiate '${name}': it has no body that backprop-ts can see (a declared or external function). Write it in TypeScript in this program, or wrap it with withGradient to give its derivative.`),
  unsupported: d(1004, (what) => `cannot differentiate ${what}: it is not supported inside differentiated functions.`),
  partialFields: d(1004, (what, type) => `cannot differentiate ${what}: its type ${type} has fields that only some values have (optional fields, or fields of only some members of a union), and the copy would add the missing ones as undefined. Narrow the value first (\`if (s.kind === "circle")\`), or copy the fields by name.`),
  destructuringParam: d(1005, () => "cannot differentiate a function with a destructured parameter yet: take the value as one parameter and read its fields."),
  restParam: d(1006, () => "cannot differentiate a function with a rest parameter: take an array parameter instead."),
  destructuring: d(1007, () => "cannot differentiate destructuring yet: read the elements or fields one by one."),
  closure: d(1008, () => "cannot differentiate a function expression inside a differentiated function yet: declare it at module level and call it by name."),
  outerWrite: d(1009, (name) => `cannot differentiate an assignment to '${name}', a variable outside the differentiated function: the gradient would run it again. Return the value instead.`),
  elementWrite: d(1010, () => "cannot differentiate an assignment to an array element or object field yet: build the value in a local number variable."),
  nestedGrad: d(1011, () => "cannot differentiate a call of grad/valueAndGrad/vjp inside a differentiated function (higher-order derivatives are not supported)."),
  localFunction: d(1012, (name) => `cannot differentiate a call of '${name}', a function defined inside another function: move it to module level.`),
  tryCatch: d(1013, () => "cannot differentiate try/catch/finally: an exception would leave the adjoint sweep half done. Check the condition with `if` instead."),
  nestedFunction: d(1014, (name) => `cannot differentiate the nested function declaration '${name}' yet: move it to module level.`),
  opaqueCall: d(1015, (name) => `cannot differentiate this call of '${name}': backprop-ts cannot see its body and it has no withGradient rule, yet its result depends on the differentiated inputs. Wrap it with withGradient, or stopGradient its arguments.`),
  structuredLocal: d(1016, (name) => `cannot differentiate '${name}': a local variable holding an array or record that depends on the differentiated inputs is not supported yet. Index the parameter directly.`),
  unknownType: d(1017, (name, why) => `cannot differentiate through '${name}': ${why || "its type is any or unknown, so its shape is not known at build time. Give it a type"}.`),
  mutatingCallee: d(1018, (name, param, via) => `cannot differentiate this call of '${name}': it writes into its argument '${param}'${via ? ` (through its call of '${via}')` : ""}, and the gradient recomputes the call from its arguments. Copy the value inside '${name}' before changing it.`),
  calleeWriteReadByAdjoint: d(1018, (name, arg, param) => `cannot differentiate this call of '${name}': it writes into '${arg}' (its parameter '${param}'), whose contents the gradient reads as they were before the call (only this function's own writes are saved and restored). Pass it a copy (e.g. \`${arg}.slice()\`), or make the write in this function itself.`),
  unnamedFunction: d(1019, () => "cannot differentiate an anonymous default-exported function: its derivative needs a name to live under. Name it: `export default function f(...)`."),
  overridden: d(1020, (member, sub) => `cannot differentiate '${member}' here: the subclass ${sub} overrides it, so which body runs is known only at run time (methods and getters are differentiated from the declared type of the value). Give the value the type of the class whose member runs.`),
  unionMember: d(1020, (member, owners) => `cannot differentiate '${member}' here: the value's type is a union whose members each have their own '${member}' (${owners}), so which body runs is known only at run time. Narrow the value first (\`if (s instanceof Circle)\`).`),
  notNumberResult: d(2001, (api, type) => `${api} needs a function returning number, but this function returns ${type}. Use vjp for other outputs.`),
  wrtNotLiteral: d(2002, () => "the wrt argument must be a literal index (0) or a literal array of indices ([0, 2]), so the gradient can be generated at build time."),
  wrtOutOfRange: d(2003, (i, n) => `wrt index ${i} is out of range: the function has ${n} parameter(s).`),
  unknownTarget: d(2004, (api) => `${api} needs a function it can see at build time: an inline arrow or function expression, a function declaration, a const bound to an arrow, or an import of one.`),
  internal: d(9000, (what) => `internal error in backprop-ts: ${what}. Please report it with this file.`),
};

export function toBpDiagnostic(x: Diag): BpDiagnostic {
  if ("kind" in x.at) {
    const node = x.at;
    const sf = node.getSourceFile();
    const start = node.getStart(sf);
    const { line, character } = sf.getLineAndCharacterOfPosition(start);
    return { fileName: sf.fileName, start, length: node.end - start, line: line + 1, column: character + 1, code: x.code, message: x.message };
  }
  const loc = x.at;
  return { fileName: loc.fileName, start: loc.start, length: loc.length, line: loc.line, column: loc.col, code: x.code, message: x.message };
}
