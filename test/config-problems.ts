import { ConfigError, loadConfig } from '../src/config';

/** The problems loadConfig reports for `env`, as the start-up message lists them; none for a good one. */
export function configProblems(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
