/** Jest in native ESM mode (the generated Prisma client is ESM): see ../shared/OFFLINE.md. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/support/afterEachFile.ts'],
  testTimeout: 60_000,
  maxWorkers: 2,
};
