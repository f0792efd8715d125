import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildGatewaySchema, printGatewaySchema } from '../src/schema';

/** `npm run schema` writes schema.graphql; `npm run schema:check` fails when the committed file is stale. */
async function emit(check: boolean): Promise<void> {
  const file = join(__dirname, '..', '..', 'schema.graphql');
  const sdl = printGatewaySchema(await buildGatewaySchema());
  if (!check) {
    writeFileSync(file, sdl);
    process.stdout.write(`wrote ${file}\n`);
    return;
  }
  let committed = '';
  try {
    committed = readFileSync(file, 'utf8');
  } catch {
    // A missing file is stale too.
  }
  if (committed !== sdl) {
    process.stderr.write('schema.graphql differs from what the code emits: run `npm run schema` and commit it.\n');
    process.exit(1);
  }
  process.stdout.write('schema.graphql is up to date\n');
}

emit(process.argv.includes('--check')).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
