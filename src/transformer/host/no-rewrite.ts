// Which files a bundler plugin can pass through without a Program.
//
// A file without a grad/valueAndGrad/vjp site can still change: it may declare a function that a
// site in another file differentiates, and that derivative is inserted next to the function
// (test/fixtures/cross-file/lib.ts). So "no import of backprop-ts" is not enough; what is enough is
// that every site is a call and every differentiated function has a parameter list, or is an arrow,
// or is a class: a file with no `(`, no `=>` and no `class` (a barrel, a types-only or data module)
// comes out the same whatever the Program says.
const MAY_CALL_OR_DECLARE = /[(]|=>|\bclass\b/;

export function cannotNeedRewrite(text: string): boolean {
  return !MAY_CALL_OR_DECLARE.test(text);
}
