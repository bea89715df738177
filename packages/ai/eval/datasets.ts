import { fileURLToPath, pathToFileURL } from 'node:url';

/** The shared datasets folder (`/work/shared/datasets` beside the repository); SIGNALBOX_DATASETS overrides it. */
export const DATASETS = process.env.SIGNALBOX_DATASETS ?? fileURLToPath(new URL('../../../../shared/datasets', import.meta.url));

/**
 * When the module at `moduleUrl` is the script node was started with (`npx tsx packages/ai/eval/pii.ts`), runs
 * its evaluation on the datasets and prints the report as JSON; imported by `run.ts`, it does nothing. Not
 * awaited at the top level, so the module also loads where top-level await cannot.
 */
export function printWhenRunDirectly(moduleUrl: string, evaluate: (datasets: string) => Promise<unknown>): void {
  if (!process.argv[1] || pathToFileURL(process.argv[1]).href !== moduleUrl) return;
  evaluate(DATASETS).then(
    (report) => console.log(JSON.stringify(report, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
