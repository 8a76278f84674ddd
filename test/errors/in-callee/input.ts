import { grad } from "backprop-ts";

// the construct is in a function that the differentiated one calls: the diagnostic points there
function helper(x: number): number {
  try {
    return x * x;
  } finally {
    void 0;
  }
}

function f(x: number): number {
  return helper(x) * 3;
}

export const df = grad(f);
