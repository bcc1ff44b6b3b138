// Lint = n8n's own community-node rules (the config @n8n/node-cli uses, without n8n Cloud
// support) plus typescript-eslint's recommended rules. Zero warnings are allowed (`--max-warnings 0`).
import tseslint from 'typescript-eslint';
import { configs as n8nCommunityNodes } from '@n8n/eslint-plugin-community-nodes';

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', '.n8n-runtime/**', '.n8n-home/**', '.build-bench/**', 'coverage/**', 'test-artifacts/**', '*.js', '*.mjs'] },
	...tseslint.configs.recommended,
	{
		...n8nCommunityNodes.recommendedWithoutN8nCloudSupport,
		files: ['index.ts', 'nodes/**/*.ts', 'credentials/**/*.ts'],
		rules: {
			...n8nCommunityNodes.recommendedWithoutN8nCloudSupport.rules,
			// The statistics need simple-statistics at run time. Without n8n Cloud support a community
			// package may have runtime dependencies; n8n installs them from `dependencies`.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
);
