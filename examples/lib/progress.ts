// What a person sees while a model trains: a progress bar (cli-progress) with the epoch, the
// running loss and the speed, and one line per finished epoch. When stdout is not a terminal (a
// pipe, a log file, CI) there is no bar and no control characters: only the per-epoch lines.
import cliProgress from "cli-progress";

export interface ProgressOptions {
  /** e.g. "mnist" */
  label: string;
  epochs: number;
  /** minibatches (or steps) per epoch */
  stepsPerEpoch: number;
  /** what the speed counts, per second (default "ex": examples) */
  unit?: string;
  /** what an epoch is called (default "epoch"); a run of one epoch shows no counter */
  period?: string;
  /** force the bar on or off (default: on when stdout is a TTY) */
  bar?: boolean;
}

export class TrainingProgress {
  private readonly multi: cliProgress.MultiBar | undefined;
  private readonly bar: cliProgress.SingleBar | undefined;
  private readonly unit: string;
  private readonly started = performance.now();
  private epochStarted = performance.now();
  private epochItems = 0;
  private items = 0;
  private steps = 0;
  private smoothLoss = NaN;
  private epochNo = 1;
  private lastDraw = 0;
  private lastSpeed = "…";

  constructor(private readonly o: ProgressOptions) {
    this.unit = o.unit ?? "ex";
    if (o.bar ?? Boolean(process.stdout.isTTY)) {
      this.multi = new cliProgress.MultiBar(
        {
          format: `${o.label} |${o.epochs > 1 ? ` ${o.period ?? "epoch"} {epoch}` : ""} {bar} {percentage}% | loss {loss} | {speed} | ETA {eta_formatted}`,
          barCompleteChar: "\u2588",
          barIncompleteChar: "\u2591",
          barsize: 24,
          hideCursor: true,
          clearOnComplete: true,
          stream: process.stdout,
          fps: 8,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar = this.multi.create(o.epochs * o.stepsPerEpoch, 0, this.payload());
    }
  }

  /** After each step: its loss and how many examples (or items) it processed. */
  step(loss: number, items = 1): void {
    this.steps++;
    this.items += items;
    this.epochItems += items;
    this.smoothLoss = Number.isNaN(this.smoothLoss) ? loss : 0.95 * this.smoothLoss + 0.05 * loss;
    if (this.bar) {
      this.bar.update(this.steps, this.payload());
      this.draw(false);
    }
  }

  /** Training loops are synchronous, so cli-progress's own timer never fires while they run: draw here, at most 8 times a second. */
  private draw(now: boolean): void {
    const t = performance.now();
    if (now || t - this.lastDraw > 125) {
      this.lastDraw = t;
      this.multi!.update();
    }
  }

  /** After each epoch: prints `epoch k/N  <summary>  <speed>  <elapsed>` (above the bar on a terminal). */
  epoch(epoch: number, summary: string): void {
    const secs = (performance.now() - this.epochStarted) / 1000;
    const counter = this.o.epochs > 1 ? `  ${this.o.period ?? "epoch"} ${String(epoch).padStart(String(this.o.epochs).length)}/${this.o.epochs}` : "";
    this.lastSpeed = rate(this.epochItems / secs, this.unit);
    const line = `${this.o.label}${counter}  ${summary}  ${this.lastSpeed}  ${this.elapsed()}`;
    this.epochNo = Math.min(epoch + 1, this.o.epochs);
    this.epochStarted = performance.now();
    this.epochItems = 0;
    if (this.multi) {
      this.multi.log(line + "\n");
      this.bar!.update(this.steps, this.payload());
      this.draw(true);
    } else {
      console.log(line);
    }
  }

  /** Removes the bar (the epoch lines stay). */
  stop(): void {
    this.multi?.stop();
  }

  /** Seconds since the progress started. */
  seconds(): number {
    return (performance.now() - this.started) / 1000;
  }

  private elapsed(): string {
    return `${this.seconds().toFixed(1)}s`;
  }

  private payload() {
    const secs = (performance.now() - this.epochStarted) / 1000;
    return {
      epoch: `${this.epochNo}/${this.o.epochs}`,
      loss: Number.isNaN(this.smoothLoss) ? "-" : this.smoothLoss.toPrecision(4),
      speed: secs > 0.2 && this.epochItems > 0 ? rate(this.epochItems / secs, this.unit) : this.lastSpeed,
    };
  }
}

function rate(perSecond: number, unit: string): string {
  const v = perSecond >= 100 ? perSecond.toFixed(0) : perSecond.toPrecision(3);
  return `${v} ${unit}/s`;
}
