import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const page = readFileSync(join(root, 'docs/architecture.md'), 'utf8');
const rows = [...page.matchAll(/^\| `(src\/[^`]+)` \|.*\| ([^|]+) \|$/gm)].map((match) => ({
  room: match[1],
  mayImport: match[2].trim(),
}));
const rooms = rows.map((row) => row.room);

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

  test('one module writes memory rows: the memory store (db/memoryStore.ts and its add statements), in SQL', () => {
    const sqlWrite =
      /(INSERT INTO|UPDATE|DELETE FROM)\s+(memories|memory_events|memory_words|entities|memory_entities|entity_relations|end_users|llm_usage)\b/;
    const prismaWrite = /\.(memory|memoryEvent|endUser|llmUsage)\.(create|update|upsert|delete)\w*\(/;
    const store = [
      'src/db/addMemorySql.ts',
      'src/db/entitySql.ts',
      'src/db/memoryStore.ts',
      'src/db/memoryWordsSql.ts',
      'src/db/relationSql.ts',
    ];
    const writers = sourceFiles('src').filter((file) => {
      const text = readFileSync(join(root, file), 'utf8');
      return sqlWrite.test(text) || prismaWrite.test(text);
    });
    expect(writers.sort()).toEqual(store);
    // The store's deletions are named by table (erasure): every end-user table is among them.
    expect(readFileSync(join(root, 'src/db/memoryStore.ts'), 'utf8')).toMatch(/DELETE FROM \$\{Prisma\.raw\(table\)\}/);
  });

  test('every import of every file is one its room may make (the "may import" column)', () => {
    const rules = rowsByRoom();
    const checked: string[] = [];
    const broken: string[] = [];
    for (const file of sourceFiles('src')) {
      const rule = rules(file);
      for (const target of importsOf(file)) {
        checked.push(`${file} → ${target}`);
        if (!rule.allows(target)) broken.push(`${file} imports ${target} (${rule.room} may import: ${rule.text})`);
      }
    }
    expect(checked.length).toBeGreaterThan(300);
    expect(broken).toEqual([]);
  });

  test('the rule check catches an import its room may not make', () => {
    const rules = rowsByRoom();
    expect(rules('src/db/memoryStore.ts').allows('memory/userMemories.ts')).toBe(false);
    expect(rules('src/schema/memory.ts').allows('db/scope.ts')).toBe(false);
    expect(rules('src/mcp/tools.ts').allows('memory/userMemories.ts')).toBe(false);
    expect(rules('src/explorer/ui/App.tsx').allows('http/staticPage.ts')).toBe(false);
    expect(rules('src/explorer/page.ts').allows('http/staticPage.ts')).toBe(true);
    expect(rules('src/schema/memory.ts').allows('app/memoryCalls.ts')).toBe(true);
  });
});

/** The files of src/ a file imports (relative imports, resolved, as paths under src/). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((match) => match[1]);
  return specifiers.map((specifier) =>
    relative(join(root, 'src'), resolve(dirname(join(root, file)), specifier)).replace(/\.js$/, '.ts'),
  );
}

/** The row of a file's room (the longest room path that holds it), and what it allows. */
function rowsByRoom() {
  return (file: string) => {
    const row = rows
      .filter(({ room }) => (room.endsWith('/') ? file.startsWith(room) : file === room))
      .sort((a, b) => b.room.length - a.room.length)[0];
    if (!row) throw new Error(`${file} is in no room of docs/architecture.md`);
    const own = row.room.replace(/^src\//, '');
    const everything = /^everything/.test(row.mayImport);
    const allowed = [...row.mayImport.matchAll(/`([^`]+)`/g)].map((match) => match[1]);
    const except = /never (.*)$/.exec(row.mayImport)?.[1];
    const forbidden = except ? [...except.matchAll(/`([^`]+)`/g)].map((match) => match[1]) : [];
    const within = (target: string, path: string) => (path.endsWith('/') ? target.startsWith(path) : target === path);
    return {
      room: row.room,
      text: row.mayImport,
      allows: (target: string) => {
        const sameRoom = own.endsWith('/') ? target.startsWith(own) : target === own;
        const alwaysAllowed = target === 'errors.ts' || target === 'model.ts';
        if (forbidden.some((path) => within(target, path))) return false;
        return sameRoom || alwaysAllowed || everything || allowed.some((path) => within(target, path));
      },
    };
  };
}
