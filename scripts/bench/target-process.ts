import 'reflect-metadata';
import { TargetSpec, startTargetHere } from './targets';

/**
 * Child-process entry: starts the target the parent sends, reports its URL, and exits when
 * the parent disconnects (an orderly exit, so that `--cpu-prof` gets written).
 */

process.once('message', (spec: TargetSpec) => {
  startTargetHere(spec)
    .then(({ close: _close, ...info }) => process.send?.({ ready: info }))
    .catch((error: unknown) => {
      process.send?.({ failed: error instanceof Error ? error.stack ?? error.message : String(error) });
      process.exit(1);
    });
});
process.once('disconnect', () => process.exit(0));
