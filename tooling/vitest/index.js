// Shared vitest preset: every package and app is one project of the root run, named after it.
import { defineProject } from 'vitest/config';

/**
 * The vitest project config of the package or app `name`: workspace packages load from their
 * TypeScript sources through the `source` export condition, given to both `resolve.conditions`
 * and `ssr.resolve.conditions` (Vite 6+ resolves Node-side imports with the latter).
 * @param {string} name the project's name, the package's name
 * @param {import('vitest/config').TestProjectInlineConfiguration['test']} [test] test options added to or replacing the defaults (`include`, timeouts)
 */
export function vitestProject(name, test = {}) {
  return defineProject({
    resolve: { conditions: ['source'] },
    ssr: { resolve: { conditions: ['source'] } },
    test: { name, include: ['src/**/*.test.ts', 'test/**/*.test.ts'], ...test },
  });
}
