// Test helper: lists source files under a folder and the module specifiers each one imports (static imports,
// re-exports, dynamic import() and require()), for the boundary tests.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const specifier = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;

export function sourceFiles(dir: string, extensions: string[]): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path, extensions));
    else if (extensions.some((ext) => entry.name.endsWith(ext))) files.push(path);
  }
  return files;
}

export function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(specifier)].map((match) => match[1]!);
}
