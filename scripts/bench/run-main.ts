/** Runs a benchmark as a script: its table on stdout, or its failure on stderr with exit code 1. */
export function runAsScript(bench: () => Promise<string>): void {
  bench()
    .then((table) => process.stdout.write(`${table}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exit(1);
    });
}
