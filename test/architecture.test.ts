import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const page = readFileSync(join(root, 'docs/architecture.md'), 'utf8');
const rooms = [...page.matchAll(/^\| `(src\/[^`]+)` \|/gm)].map((match) => match[1]);

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    // Generated code (Prisma's client, codegen's typed documents) is not written by hand.
    if (entry.isDirectory()) return path === 'src/generated' || entry.name === 'gql' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(path) ? [path] : [];
  });
}

describe('docs/architecture.md and src/', () => {
  test('every room the page names exists, and every directory and top-level file of src/ is named', () => {
    expect(rooms.length).toBeGreaterThan(10);
    for (const room of rooms)
      expect(statSync(join(root, room.replace(/\/$/, ''))).isFile() || room.endsWith('/')).toBe(true);
    const entries = readdirSync(join(root, 'src'), { withFileTypes: true }).map(
      (entry) => `src/${entry.name}${entry.isDirectory() ? '/' : ''}`,
    );
    expect(entries.filter((entry) => !rooms.includes(entry))).toEqual([]);
  });

  test('no source file is longer than 300 lines', () => {
    const long = sourceFiles('src')
      .map((file) => ({ file, lines: readFileSync(join(root, file), 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > 300);
    expect(long).toEqual([]);
  });

  test('errors are defined in src/errors.ts only', () => {
    const elsewhere = sourceFiles('src').filter(
      (file) => file !== 'src/errors.ts' && /class \w+ extends \w*Error\b/.test(readFileSync(join(root, file), 'utf8')),
    );
    expect(elsewhere).toEqual([]);
  });

  test("the explorer's page imports nothing of the gateway: it reaches data only through GraphQL", () => {
    const imports = sourceFiles('src/explorer/ui').flatMap((file) =>
      [...readFileSync(join(root, file), 'utf8').matchAll(/from '([^']+)'/g)].map((match) => match[1]),
    );
    expect(imports.length).toBeGreaterThan(10);
    expect(imports.filter((path) => !/^(\.\/|react$|react-dom\/client$)/.test(path))).toEqual([]);
  });

  test('db/ never imports the domain (memory/)', () => {
    const offenders = sourceFiles('src/db').filter((file) =>
      /from '\.\.\/memory\//.test(readFileSync(join(root, file), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
