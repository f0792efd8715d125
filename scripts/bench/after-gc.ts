const MB = 1024 * 1024;

/** The process's memory in MB after two full GCs (the process runs with `--expose-gc`): heap alone, or heap and buffers. */
export function memoryAfterGcMb(withBuffers = false): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('memory scenarios need node --expose-gc');
  gc();
  gc();
  const { heapUsed, external } = process.memoryUsage();
  return (heapUsed + (withBuffers ? external : 0)) / MB;
}
