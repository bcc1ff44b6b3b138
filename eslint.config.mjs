// Lint = n8n's own ESLint config for community nodes, as `@n8n/node-cli` ships it, in its
// "without n8n Cloud support" variant (community-node rules, eslint-plugin-n8n-nodes-base's
// community/nodes/credentials rules, typescript-eslint, import-x). `npm run lint` allows zero warnings.
import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

// Rules of the community-node plugin, to switch off where code is never shipped (see below).
const communityNodeRulesOff = Object.fromEntries(
	Object.keys(n8nCommunityNodesPlugin.rules).map((rule) => [`@n8n/community-nodes/${rule}`, 'off']),
);

export default [
	{
		ignores: ['dist/**', 'node_modules/**', '.n8n-runtime/**', '.n8n-home/**', '.build-bench/**', 'coverage/**', 'test-artifacts/**', '**/*.js', '**/*.mjs', 'demo/data/**'],
	},
	...configWithoutCloudSupport,
	{
		files: ['**/*.ts', 'package.json'],
		rules: {
			// The statistics need simple-statistics at run time. Without n8n Cloud support a community
			// package may have runtime dependencies; n8n installs those listed in `dependencies`.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
	{
		// Tests, benchmarks and scripts are not part of the package (`files: ["dist"]`) and are never
		// loaded by n8n: they start servers and child processes, print results and hold test keys on
		// purpose. The community-node rules guard what runs inside n8n, so they apply to nodes/,
		// credentials/ and index.ts only; typescript-eslint and the other rules still apply here.
		files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'demo/**/*.ts'],
		rules: {
			...communityNodeRulesOff,
			'no-console': 'off',
		},
	},
];
