/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }] },
  testTimeout: 120000,
  // n8n-core writes to N8N_USER_FOLDER at import time: point it at a temp folder first.
  setupFiles: ['<rootDir>/test/harness/setupEnv.ts'],
};
