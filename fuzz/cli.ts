// Command line of the fuzzer (run through fuzz/run.mjs):
//   npm run fuzz -- --count N --seed S [--batch B] [--points P] [--no-noopt] [--shrink] [--out DIR]
//   npm run fuzz -- --program S:I        one program: print it, check it, show the verdict
export async function main(argv: string[]): Promise<number> {
  const { runCli } = await import("./campaign.js");
  return runCli(argv);
}
