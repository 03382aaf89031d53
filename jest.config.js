/** Jest runs TypeScript through ts-jest without type-checking (isolatedModules);
 *  `npm run typecheck` does the type-checking. agenda and @agendajs are ESM-only,
 *  so they are transformed too. One database server per run (globalSetup). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.[tj]sx?$': ['ts-jest', { tsconfig: { isolatedModules: true, allowJs: true, module: 'commonjs', moduleResolution: 'node', ignoreDeprecations: '6.0', esModuleInterop: true, types: ['node', 'jest'], target: 'ES2022' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(agenda|@agendajs)/)'],
  globalSetup: '<rootDir>/test/support/globalSetup.ts',
  globalTeardown: '<rootDir>/test/support/globalTeardown.ts',
  testTimeout: 30000,
  maxWorkers: 2,
};
