// What a person sees: the loss-curve SVGs and the progress output of the examples.
import { afterEach, describe, expect, it, vi } from "vitest";
import { lineChartSvg } from "../../examples/lib/plot.js";
import { TrainingProgress } from "../../examples/lib/progress.js";

describe("loss curves", () => {
  const series = [
    { name: "train", points: [[1, 1], [2, 0.5], [3, 0.2]] as [number, number][] },
    { name: "held-out", points: [[1, 0.9], [3, 0.3]] as [number, number][], kind: "dots" as const },
  ];

  it("are standalone SVG files with the title, legend and a background", () => {
    const svg = lineChartSvg(series, { title: "A title", y: "loss" });
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('<rect width="100%" height="100%" fill="white"/>');
    expect(svg).toContain("A title");
    expect(svg).toContain("train");
    expect(svg).toContain("held-out");
    expect(svg).toContain("<path"); // the line
    expect(svg).toContain("<circle"); // the dots
  });

  it("are deterministic (committed pictures change only when the numbers do)", () => {
    expect(lineChartSvg(series, { title: "t" })).toBe(lineChartSvg(series, { title: "t" }));
  });
});

describe("progress", () => {
  afterEach(() => vi.restoreAllMocks());

  it("without a terminal prints one plain line per epoch and no control characters", () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((s: string) => void lines.push(s));
    const p = new TrainingProgress({ label: "demo", epochs: 2, stepsPerEpoch: 3, bar: false });
    for (let e = 1; e <= 2; e++) {
      for (let s = 0; s < 3; s++) p.step(1 / (e + s), 10);
      p.epoch(e, `loss ${(1 / e).toFixed(2)}`);
    }
    p.stop();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^demo {2}epoch 1\/2 {2}loss 1\.00 {2}[\d.]+ ex\/s {2}[\d.]+s$/);
    expect(lines[1]).toMatch(/^demo {2}epoch 2\/2 /);
    expect(lines.join("")).not.toMatch(/\x1b/);
  });
});
