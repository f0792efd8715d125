import { readFileSync } from 'node:fs';
import { parseManifest } from './manifest';

/** The documents of every manifest file, and what kept any file from being read (each problem names its file). */
export function readManifestFiles(files: readonly string[]): { readonly documents: Map<string, string>; readonly problems: readonly string[] } {
  const documents = new Map<string, string>();
  const problems: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      problems.push(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}).`);
      continue;
    }
    try {
      for (const [hash, document] of parseManifest(text, file)) documents.set(hash, document);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return { documents, problems };
}
