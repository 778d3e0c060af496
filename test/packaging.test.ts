import semver from 'semver';
import { readFileSync } from 'node:fs';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

/** The image a platform team would accept (`npm run lint:docker` checks the syntax in CI). */
describe('the Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const final = stages.at(-1)!;

  test('builds in stages and ships production dependencies and compiled code only', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(final).toMatch(/COPY --from=\w+ \/app\/dist \.\/dist/);
    expect(final).not.toMatch(/COPY \. \.|COPY src /);
  });

  test('runs as a non-root user, with node as PID 1 on the compiled gateway, and a HEALTHCHECK on /ready', () => {
    expect(final).toMatch(/^USER (?!root)\w+/m);
    expect(final).toMatch(/^CMD \["node", .*"dist\/main\.js"\]$/m);
    expect(dockerfile).not.toMatch(/npm", "start|npm start/);
    expect(final).toMatch(/^HEALTHCHECK [\s\S]*\/ready/m);
  });

  test('.dockerignore keeps history, secrets and local data out of the build', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim());
    expect(ignored).toEqual(expect.arrayContaining(['.git', '.env', 'node_modules', '.memgate', 'dist']));
  });
});

describe('docker compose', () => {
  const compose = read('docker-compose.yml');

  test('no password or secret is written in it; metrics need a token; services restart', () => {
    expect(compose).not.toMatch(/PASSWORD: (?!\$\{)\w+/);
    expect(compose).not.toMatch(/:\/\/\w+:(?!\$\{)\w+@/);
    expect(compose).toMatch(/MEMGATE_METRICS_TOKEN: \$\{MEMGATE_METRICS_TOKEN:\?/);
    expect(compose.match(/restart: unless-stopped/g)).toHaveLength(2);
    expect(compose).toMatch(/healthcheck:/);
  });
});

/** `npm install` on a supported Node prints no EBADENGINE warning: every locked package runs on each. */
describe('supported Node versions', () => {
  const manifest = JSON.parse(read('package.json')) as { engines: { node: string } };
  const lock = JSON.parse(read('package-lock.json')) as {
    packages: Record<string, { engines?: { node?: string } | string[]; optional?: boolean }>;
  };
  const supported = manifest.engines.node;
  // The oldest release of each supported line, and the one running these tests.
  const floors = supported.split('||').map((range) => semver.minVersion(range.trim())!.version);

  test('the declared range includes the Node running the tests', () => {
    expect(semver.satisfies(process.version, supported)).toBe(true);
  });

  test.each(floors)('every locked package accepts Node %s', (version) => {
    const refusing = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && entry.engines && !Array.isArray(entry.engines) && entry.engines.node)
      .filter(
        ([, entry]) =>
          !semver.satisfies(version, (entry.engines as { node: string }).node, { includePrerelease: true }),
      )
      .map(([path, entry]) => `${path} (${(entry.engines as { node: string }).node})`);
    expect(refusing).toEqual([]);
  });
});
