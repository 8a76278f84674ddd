// Loss curves as SVG files, drawn by Observable Plot. Plot needs a DOM to build its SVG in; linkedom
// gives it one in Node without a browser. The output is deterministic (same data → same file), so
// the committed pictures only change when the numbers do.
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export interface Series {
  /** shown at the end of the line */
  name: string;
  /** [x, y] points, in order of x */
  points: [number, number][];
  /** drawn as a line (default) or as dots */
  kind?: "line" | "dots";
}

export interface CurveOptions {
  title: string;
  x?: string;
  y?: string;
  /** logarithmic y axis (default true: losses fall over decades) */
  logY?: boolean;
  width?: number;
  height?: number;
}

const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];

/** The SVG text of a chart with one line (or set of dots) per series and a legend at the top right. */
export function lineChartSvg(series: Series[], o: CurveOptions): string {
  const { document } = parseHTML("<!doctype html><html><body></body></html>");
  const logY = o.logY ?? true;
  const marks = series.flatMap((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const data = s.points.map(([x, y]) => ({ x, y }));
    const legend = Plot.text([`${s.kind === "dots" ? "\u25cb" : "\u2014"} ${s.name}`], {
      frameAnchor: "top-right", dx: -4, dy: 4 + 16 * i, fill: color, textAnchor: "end", fontSize: 12,
    });
    return [
      s.kind === "dots"
        ? Plot.dot(data, { x: "x", y: "y", stroke: color, r: 2.5 })
        : Plot.lineY(data, { x: "x", y: "y", stroke: color, strokeWidth: 1.6 }),
      legend,
    ];
  });
  const svg = Plot.plot({
    document: document as unknown as Plot.PlotOptions["document"],
    width: o.width ?? 640,
    height: o.height ?? 320,
    marginTop: 48,
    marginBottom: 44,
    marginRight: 20,
    marginLeft: 70,
    style: { fontSize: "12px" },
    x: { label: o.x ?? "epoch", grid: true, labelAnchor: "center", labelArrow: "none" },
    y: { label: o.y ?? "loss", type: logY ? "log" : "linear", grid: true, tickFormat: "~g", labelAnchor: "center", labelArrow: "none" },
    marks: [...marks, Plot.text([o.title], { frameAnchor: "top-left", dx: -60, dy: -34, fontWeight: "bold", fontSize: 14 })],
  }) as unknown as { outerHTML: string };
  let text = svg.outerHTML;
  if (!/^<svg[^>]*xmlns=/.test(text)) text = text.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"');
  // a white background so the picture reads on dark pages too
  text = text.replace(/(<svg[^>]*>)/, '$1<rect width="100%" height="100%" fill="white"/>');
  return text + "\n";
}

/** Writes the chart to `file` (creating its folder) and returns the path. */
export function saveLineChart(file: string, series: Series[], o: CurveOptions): string {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, lineChartSvg(series, o));
  return file;
}
