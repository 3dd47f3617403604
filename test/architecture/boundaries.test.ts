// Where code may run: renderer code reaches the main side only through the contract, only the Electron shell
// imports 'electron', the TypeScript projects make a renderer import of main code a compile error, and the
// preload hands the page one object, `api`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf, sourceFiles } from './sourceImports';

const root = resolve(import.meta.dirname, '../..');
const inside = (path: string, folder: string) => !relative(join(root, folder), path).startsWith('..');
const isElectron = (spec: string) => spec === 'electron' || spec.startsWith('electron/');
const isNodeBuiltin = (spec: string) => spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]!);

describe('renderer imports', () => {
  const files = sourceFiles(join(root, 'renderer'), ['.ts', '.svelte']);

  it('are seen by the scanner (the contract import of the client layer is found)', () => {
    expect(files.some((f) => f.endsWith('.svelte'))).toBe(true);
    const client = files.find((f) => f.endsWith(join('lib', 'electronClient.ts')))!;
    expect(importsOf(client)).toContain('../../../contract/rpc');
  });

  it('never reach main/, native/, preload/, node builtins or electron', () => {
    const violations: string[] = [];
    for (const file of files) {
      for (const spec of importsOf(file)) {
        const target = spec.startsWith('.') ? resolve(dirname(file), spec) : null;
        const forbidden =
          isElectron(spec) ||
          isNodeBuiltin(spec) ||
          (target !== null && ['main', 'native', 'preload'].some((folder) => inside(target, folder)));
        if (forbidden) violations.push(`${relative(root, file)} imports ${spec}`);
      }
    }
    expect(violations).toEqual([]);
  });
});

describe("imports of 'electron' on the node side", () => {
  it('come only from main/electron/', () => {
    const files = ['main', 'native', 'contract'].flatMap((folder) => sourceFiles(join(root, folder), ['.ts']));
    expect(files.length).toBeGreaterThan(0);
    const importers = files.filter((file) => importsOf(file).some(isElectron)).map((f) => relative(root, f));
    expect(importers.length).toBeGreaterThan(0);
    expect(importers.filter((f) => !f.startsWith(join('main', 'electron') + sep))).toEqual([]);
  });
});

describe('the web TypeScript project', () => {
  /** Type-checks one probe file as part of a copy of tsconfig.web.json; returns tsc's output ('' when clean). */
  function compileProbe(importLine: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'evgap-boundary-'));
    try {
      const web = JSON.parse(readFileSync(join(root, 'tsconfig.web.json'), 'utf8')) as { include: string[] };
      const tsconfig = {
        extends: join(root, 'tsconfig.web.json'),
        compilerOptions: { noEmit: true, rootDir: resolve('/'), tsBuildInfoFile: join(dir, 'probe.tsbuildinfo') },
        include: [...web.include.map((pattern) => join(root, pattern)), 'probe.ts'],
      };
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
      writeFileSync(join(dir, 'probe.ts'), `${importLine}\nexport const probe = imported;\n`);
      execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], {
        encoding: 'utf8',
      });
      return '';
    } catch (error) {
      return String((error as { stdout?: string }).stdout ?? error);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const from = (file: string) => relative(tmpdir(), join(root, file)).split(sep).join('/');

  it('compiles a renderer-side file that imports the contract', () => {
    expect(compileProbe(`import { apiMethods as imported } from '../${from('contract/api')}';`)).toBe('');
  });

  it('refuses a renderer-side import of main code with TS6307', () => {
    const output = compileProbe(`import { catalogFile as imported } from '../${from('main/paths')}';`);
    expect(output).toMatch(/error TS6307: File '.*main[\\/]paths\.ts' is not listed within the file list of project/);
  });
});

describe('the preload', () => {
  it("exposes exactly one object to the page, named 'api', and never ipcRenderer", () => {
    const source = readFileSync(join(root, 'preload', 'index.ts'), 'utf8');
    const exposed = [...source.matchAll(/exposeInMainWorld\(\s*['"]([^'"]*)['"]\s*,\s*([^)]*)\)/g)];
    expect(exposed.map((m) => m[1])).toEqual(['api']);
    expect(source.match(/exposeInMainWorld/g)).toHaveLength(1);
    expect(exposed[0]![2]).not.toMatch(/ipcRenderer/);
  });
});
