import type { LiveGeneration } from './live-generation';

/** In process the state is lost only with the process: the mark lives as long as it. */
export class MemoryLiveGeneration implements LiveGeneration {
  private id: string | null = null;

  async read(): Promise<string | null> {
    return this.id;
  }

  async mark(id: string): Promise<void> {
    this.id = id;
  }

  async forget(id: string): Promise<void> {
    if (this.id === id) this.id = null;
  }
}
