// The analysis as the commands run it: a progress bar on a terminal (cli-progress, as the import's),
// nothing when the output goes to a file or a pipe.
import { Presets, SingleBar } from 'cli-progress';
import type { AnalysisFilter } from './audio.repository.js';
import type { AnalysisReport, AudioService } from './audio.service.js';

export async function analyzeWithProgress(audio: AudioService, filter: AnalysisFilter, signal: AbortSignal, label = 'Analyzing'): Promise<AnalysisReport> {
  const bar = process.stderr.isTTY
    ? new SingleBar({ format: `${label} [{bar}] {percentage}% | {value}/{total} songs | {eta_formatted} left`, stream: process.stderr }, Presets.shades_classic)
    : undefined;
  let begun = false;
  try {
    return await audio.analyzeAll(filter, {
      signal,
      onProgress(through, total) {
        if (!begun) bar?.start(total, 0);
        begun = true;
        bar?.update(through);
      },
    });
  } finally {
    bar?.stop();
  }
}
