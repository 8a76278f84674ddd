// Types for the `mnist` package (it ships none): 10 000 handwritten digits, 28×28 grey levels in
// [0, 1], kept as one flat array per digit class.
declare module "mnist" {
  interface Digit {
    /** which digit, 0–9 */
    id: number;
    /** how many samples of this digit the package ships */
    length: number;
    /** all samples of this digit, back to back, 784 numbers each */
    raw: number[];
    /** sample `which` (784 numbers) */
    get(which: number): number[];
  }
  const mnist: Digit[] & {
    set(training: number, test: number): { training: { input: number[]; output: number[] }[]; test: { input: number[]; output: number[] }[] };
  };
  export default mnist;
}
