import { fork } from 'node:child_process';
import { join } from 'node:path';
import { RunningTarget, TargetInfo, TargetSpec, startTargetHere } from './targets';

/**
 * Where the servers under test run. autocannon needs a core of its own to load a server that
 * answers in tens of microseconds, so by default each target gets its own process and the
 * bench process only generates load; `--in-process` puts them all in the bench process.
 */
export type Layout = 'child-processes' | 'in-process';

export function layoutFromArgs(argv: readonly string[] = process.argv): Layout {
  return argv.includes('--in-process') ? 'in-process' : 'child-processes';
}

export const LAYOUT_NOTE: Record<Layout, string> = {
  'child-processes': 'autocannon runs in the bench process; each server under test and the Zoom simulator run in child processes of their own',
  'in-process': 'autocannon, every server under test and the Zoom simulator share the bench process (--in-process)',
};

/** Extra node flags for the targets, e.g. BENCH_TARGET_NODE_FLAGS="--cpu-prof --cpu-prof-dir=prof". */
function targetFlags(): string[] {
  return (process.env.BENCH_TARGET_NODE_FLAGS ?? '').split(' ').filter((flag) => flag !== '');
}

function startChild(spec: TargetSpec): Promise<RunningTarget> {
  const child = fork(join(__dirname, 'target-process.js'), [], {
    execArgv: targetFlags(),
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${spec.kind} target exited with ${code} before it was ready`)));
    child.once('message', (message: { ready?: TargetInfo; failed?: string }) => {
      if (message.failed !== undefined || message.ready === undefined) {
        reject(new Error(`${spec.kind} target failed: ${message.failed ?? 'no answer'}`));
        return;
      }
      resolve({
        ...message.ready,
        close: async () => {
          if (child.connected) child.disconnect();
          await exited;
        },
      });
    });
    child.send(spec);
  });
}

export function startTarget(spec: TargetSpec, layout: Layout): Promise<RunningTarget> {
  return layout === 'in-process' ? startTargetHere(spec) : startChild(spec);
}
