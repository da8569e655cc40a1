// ffmpeg, the one program the audio features run: it measures loudness (its `ebur128` filter, an
// EBU R128 meter with true peak) and encodes the compressed copies listeners stream (AAC). It is
// optional: without it the site runs and takes uploads as before, and songs stay unmeasured (the
// player plays them at unity gain) and uncompressed. FFMPEG_PATH names it; it is looked for once.
import { spawn } from 'node:child_process';

/** Why ffmpeg could not do what was asked: not installed, or it failed on this input. */
export class AudioToolError extends Error {
  override name = 'AudioToolError';
}

export interface RunOptions {
  /** Written to ffmpeg's standard input (`-i pipe:0`). */
  input?: Buffer;
  signal?: AbortSignal;
  /** ffmpeg is killed after this long (a broken file must not hold a request or a backfill forever). */
  timeoutMs?: number;
}

export interface Ffmpeg {
  /** Whether ffmpeg is there, with what Stereodose needs of it (the ebur128 filter, the AAC encoder). */
  available(): Promise<boolean>;
  /** Runs ffmpeg with these arguments; resolves with what it printed, throws AudioToolError when it fails. */
  run(args: readonly string[], options?: RunOptions): Promise<string>;
}

const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;
/** The end of what ffmpeg says is enough to find the meter's summary or the reason it failed. */
const KEEP_LOG_CHARS = 64 * 1024;

export function createFfmpeg(command: string): Ffmpeg {
  let probe: Promise<boolean> | undefined;

  function run(args: readonly string[], { input, signal, timeoutMs = DEFAULT_TIMEOUT_MS }: RunOptions = {}): Promise<string> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new AudioToolError('stopped'));
      const child = spawn(command, ['-hide_banner', '-nostats', '-loglevel', 'info', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
      let log = '';
      const keep = (chunk: string) => {
        log = (log + chunk).slice(-KEEP_LOG_CHARS);
      };
      // Listings (-filters, -encoders) come on stdout; everything else, the meter's summary too, on stderr.
      child.stdout.setEncoding('utf8').on('data', keep);
      child.stderr.setEncoding('utf8').on('data', keep);
      const stop = () => child.kill('SIGKILL');
      const timer = setTimeout(stop, timeoutMs);
      signal?.addEventListener('abort', stop, { once: true });
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', stop);
      };
      child.once('error', (err) => {
        done();
        reject(new AudioToolError(`could not run ${command}: ${err.message}`));
      });
      child.once('close', (code, killed) => {
        done();
        if (code === 0) return resolve(log);
        const why = killed ? `stopped (${signal?.aborted ? 'cancelled' : 'took too long'})` : `exit ${code}`;
        reject(new AudioToolError(`ffmpeg failed (${why}): ${log.trim().split('\n').slice(-3).join(' / ')}`));
      });
      // A child that dies early closes its stdin under us: that is the close event's to report.
      child.stdin.on('error', () => {});
      child.stdin.end(input);
    });
  }

  return {
    available() {
      probe ??= Promise.all([run(['-filters']), run(['-encoders'])]).then(
        ([filters, encoders]) => /\sebur128\s/.test(filters) && /\saac\s/.test(encoders),
        () => false,
      );
      return probe;
    },
    run,
  };
}
