// Fuzz reproducer: `npm run fuzz -- --seed 100 --start 112 --count 1` (program 100:112), shrunk from 41 lines.
// Fails (value):
//   valueAndGrad(main)([[-1.9139248132705688],-1.1811955366283655]).value is 1.9300529291002437,
//   main returns 1.930052929100244
// point: [[-1.9139248132705688],-1.1811955366283655]
// Bug (fixed in 220d1a4): same root cause: `b *= 1.5 * atan(u)` is emitted as `b = b * 1.5 * atan(u)`, so the forward 
//   sweep rounds differently from `main` (valueAndGrad's value must be exactly main's).
// test/fuzz/fuzz.test.ts checks `main` here against forward mode and finite differences (fuzz/check.ts).

export function main(xs: number[], b: number): number {
  b *= 1.5 * Math.atan(xs[0 % 1]);
  return b;
}
