import cliProgress from 'cli-progress';
import type { Progress } from '@ddopt/experiments';

/** A progress sink drawing one cli-progress bar per phase on stderr (a plain line per phase when not a TTY). */
export function barProgress(experimentId: string): Progress & { stop(): void } {
  let bar: cliProgress.SingleBar | undefined;
  const tty = Boolean(process.stderr.isTTY);
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  return {
    start(total, label) {
      stop();
      if (!tty) {
        process.stderr.write(`[${experimentId}] ${label} (${total})\n`);
        return;
      }
      bar = new cliProgress.SingleBar(
        { format: `${experimentId.padEnd(18)} {bar} {percentage}% | {value}/{total} | ETA {eta_formatted} | ${label}`, stream: process.stderr, hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0);
    },
    tick(amount = 1) {
      bar?.increment(amount);
    },
    stop,
  };
}
