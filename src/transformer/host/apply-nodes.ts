// Apply a FileRewrite to a SourceFile as nodes, inside a ts transformation context (the tspc host).
// Synthesized nodes get the original's text range so TS's emitter maps them in source maps.
import type * as TS from "typescript";
import { RUNTIME_LOCAL, RUNTIME_MODULE, type FileRewrite, type TypeScript } from "../api.js";

export function applyRewriteToNodes(
  ts: TypeScript,
  context: TS.TransformationContext,
  sourceFile: TS.SourceFile,
  rewrite: FileRewrite,
): TS.SourceFile {
  const { factory } = context;
  const { replacements, insertAfter } = rewrite;
  if (replacements.size === 0 && insertAfter.size === 0 && !rewrite.needsRuntimeImport) return sourceFile;

  // Keys are nodes of the Program's SourceFile; an earlier transformer may have handed us copies.
  const lookup = <V>(map: Map<TS.Node, V>, node: TS.Node): V | undefined =>
    map.get(node) ?? map.get(ts.getOriginalNode(node));

  // Only the keys and the nodes around them are visited: every other subtree is returned as it is
  // (a file's generated code is a few statements; walking all of its nodes cost more than that).
  const around = new Set<TS.Node>();
  for (const key of [...replacements.keys(), ...insertAfter.keys()])
    for (let n: TS.Node | undefined = key; n && !around.has(n); n = n.parent) around.add(n);
  const mayHoldKey = (node: TS.Node) =>
    (node.flags & ts.NodeFlags.Synthesized) !== 0 || around.has(node) || around.has(ts.getOriginalNode(node));

  const visit = (node: TS.Node): TS.VisitResult<TS.Node> => {
    if (!mayHoldKey(node)) return node;
    const replacement = lookup(replacements, node);
    if (replacement) return positioned(ts, replacement, node);
    const visited = ts.visitEachChild(node, visit, context);
    const extra = lookup(insertAfter, node);
    if (!extra || extra.length === 0) return visited;
    // visitNodes flattens arrays, so the statements land right after `node` in its own list
    // (SourceFile, Block, ModuleBlock, CaseClause/DefaultClause).
    return [visited, ...extra.map((s) => anchored(ts, s, node))];
  };

  let statements = ts.visitNodes(sourceFile.statements, visit, ts.isStatement);
  if (rewrite.needsRuntimeImport && !hasRuntimeImport(ts, sourceFile)) {
    const imp = factory.createImportDeclaration(
      undefined,
      factory.createImportClause(undefined, undefined, factory.createNamespaceImport(factory.createIdentifier(RUNTIME_LOCAL))),
      factory.createStringLiteral(RUNTIME_MODULE),
    );
    // after prologue directives ("use strict"), before everything else
    let i = 0;
    while (i < statements.length && isPrologue(ts, statements[i]!)) i++;
    statements = factory.createNodeArray([...statements.slice(0, i), imp, ...statements.slice(i)]);
  }
  return factory.updateSourceFile(sourceFile, statements);
}

/** The replacement takes the site's range, so diagnostics and source maps point at the call. */
function positioned<T extends TS.Node>(ts: TypeScript, made: T, original: TS.Node): T {
  if (made.pos < 0 && ts.getOriginalNode(made) === made) {
    ts.setTextRange(made, original);
    ts.setOriginalNode(made, original);
  }
  return made;
}

/** Inserted declarations map to the statement they follow; without a text range, so the
 * anchor's own comments (JSDoc) are not emitted a second time in front of them. */
function anchored(ts: TypeScript, made: TS.Statement, anchor: TS.Node): TS.Statement {
  if (made.pos < 0 && ts.getSourceMapRange(made).pos < 0) ts.setSourceMapRange(made, anchor);
  return made;
}

function hasRuntimeImport(ts: TypeScript, sf: TS.SourceFile): boolean {
  return sf.statements.some(
    (s) =>
      ts.isImportDeclaration(s) &&
      ts.isStringLiteral(s.moduleSpecifier) &&
      s.moduleSpecifier.text === RUNTIME_MODULE &&
      !!s.importClause?.namedBindings &&
      ts.isNamespaceImport(s.importClause.namedBindings) &&
      s.importClause.namedBindings.name.text === RUNTIME_LOCAL,
  );
}

function isPrologue(ts: TypeScript, s: TS.Statement): boolean {
  return ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression);
}
