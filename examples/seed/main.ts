// The two headline examples of Haskell's backprop, in TypeScript.
import { grad } from "backprop-ts";

// d/dx (x² + 3) at 9
console.log(grad((x: number) => x ** 2 + 3)(9)); // 18

// each argument has its own type: a number and an array of any length
const sumOfSquaresOver = (x: number, xs: number[]) => xs.map((v) => v ** 2).reduce((a, b) => a + b, 0) / x;
console.log(JSON.stringify(grad(sumOfSquaresOver)(9, [1, 6, 2])));
// [-0.5061728395061729,[0.2222222222222222,1.3333333333333333,0.4444444444444444]]

// a loop, differentiated with respect to both the point and the coefficients
function poly(x: number, cs: number[]): number {
  let y = 0;
  for (let i = 0; i < cs.length; i++) y = y * x + cs[i];
  return y;
}
console.log(JSON.stringify(grad(poly)(2, [1, 2, 3]))); // [6,[4,2,1]]
