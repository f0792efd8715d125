import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config';

const root = join(__dirname, '..', '..');
const declared: readonly string[] = Object.values(CONFIG_VARIABLES).flat();

/** The names in the first column of the table under README's "## Configuration". */
function readmeTableNames(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Configuration\n');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end);
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...line.split('|')[1].matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((match) => match[1]));
}

/** Every NAME= line of .env.example, commented out or not. */
function envExampleNames(): string[] {
  return readFileSync(join(root, '.env.example'), 'utf8')
    .split('\n')
    .map((line) => /^(?:# )?([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
}

describe('the documented settings', () => {
  it('are the variables the sections declare, each once', () => {
    expect(new Set(declared).size).toBe(declared.length);
    expect(declared).toContain('ZOOM_SIMULATOR');
    expect(declared).not.toContain('ZOOM_SESSION_DETAILS_PER_MINUTE');
  });

  it('declared lists are what loadConfig reads, no more and no less', () => {
    const read = new Set<string>();
    const spy = new Proxy<Record<string, string | undefined>>({}, {
      get: (_target, name) => {
        if (typeof name === 'string') read.add(name);
        return undefined;
      },
    });
    loadConfig(spy);
    expect([...read].sort()).toEqual([...declared].sort());
  });

  it("README's configuration table documents every variable read, and only those", () => {
    const documented = readmeTableNames();
    expect(documented.filter((name) => !declared.includes(name))).toEqual([]);
    expect(declared.filter((name) => !documented.includes(name))).toEqual([]);
    expect(new Set(documented).size).toBe(documented.length);
  });

  it('.env.example lists every variable read, and only those', () => {
    expect([...envExampleNames()].sort()).toEqual([...declared].sort());
  });
});
