import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

test('defaults: embedded database in ./.memgate, port 4000, GraphiQL and the explorer in development only', () => {
  expect(loadConfig({})).toMatchObject({
    port: 4000,
    dataDir: './.memgate',
    databaseUrl: undefined,
    graphiql: true,
    explorer: true,
    isProduction: false,
  });
  expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({
    graphiql: false,
    explorer: false,
    isProduction: true,
  });
  expect(loadConfig({ NODE_ENV: 'production', MEMGATE_GRAPHIQL: 'true' }).graphiql).toBe(true);
  expect(loadConfig({ NODE_ENV: 'production', MEMGATE_EXPLORER: 'true' }).explorer).toBe(true);
});

test('environment variables are validated with a message naming the variable', () => {
  expect(() => loadConfig({ PORT: 'eighty' })).toThrow(
    new ConfigError('PORT must be an integer from 1 to 65535, got "eighty"'),
  );
  expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL must start with postgres/);
  expect(() => loadConfig({ MEMGATE_GRAPHIQL: 'yes' })).toThrow(/MEMGATE_GRAPHIQL must be true or false/);
  expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', PORT: '8080', MEMGATE_DATA_DIR: '/data' })).toMatchObject({
    databaseUrl: 'postgres://u@h/db',
    port: 8080,
    dataDir: '/data',
  });
});

test('the job lease is set in seconds (20 by default) and kept within 2 s to an hour', () => {
  expect(loadConfig({}).jobLeaseMs).toBe(20_000);
  expect(loadConfig({ MEMGATE_JOB_LEASE_SECONDS: '5' }).jobLeaseMs).toBe(5_000);
  expect(() => loadConfig({ MEMGATE_JOB_LEASE_SECONDS: '1' })).toThrow(
    /MEMGATE_JOB_LEASE_SECONDS must be an integer from 2 to 3600/,
  );
  expect(() => loadConfig({ MEMGATE_JOB_LEASE_SECONDS: '2.5' })).toThrow(/MEMGATE_JOB_LEASE_SECONDS/);
});

test('CORS origins must be origins (scheme, host, port; nothing else), and extra headers header names', () => {
  expect(loadConfig({ MEMGATE_CORS_ORIGINS: 'https://app.example, http://localhost:5173' }).cors.origins).toEqual([
    'https://app.example',
    'http://localhost:5173',
  ]);
  expect(loadConfig({}).cors.origins).toBeUndefined();
  for (const bad of [
    'app.example',
    'https://app.example/',
    'https://app.example/path',
    'ftp://app.example',
    '*.example',
  ]) {
    expect(() => loadConfig({ MEMGATE_CORS_ORIGINS: bad })).toThrow(
      new RegExp(`^MEMGATE_CORS_ORIGINS: "${bad.replace(/[.*+/]/g, '\\$&')}" is not an origin`),
    );
  }
  expect(
    loadConfig({ MEMGATE_CORS_ALLOWED_HEADERS: 'x-tenant-hint', MEMGATE_CORS_EXPOSED_HEADERS: 'x-cost' }).cors,
  ).toMatchObject({
    extraAllowedHeaders: ['x-tenant-hint'],
    extraExposedHeaders: ['x-cost'],
  });
  expect(() => loadConfig({ MEMGATE_CORS_ALLOWED_HEADERS: 'x tenant' })).toThrow(
    /MEMGATE_CORS_ALLOWED_HEADERS: "x tenant" is not a header name/,
  );
});
