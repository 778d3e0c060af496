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
