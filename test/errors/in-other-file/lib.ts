// a construct that cannot be differentiated, in another module than the grad site
export function helper(x: number): number {
  let y = x;
  try {
    y = Math.sqrt(x);
  } catch {
    y = 0;
  }
  return y;
}
