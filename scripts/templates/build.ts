/**
 * `npm run templates`: writes workflows/<file>.json from the template modules in this folder.
 * The JSON files are committed (users import them); test/unit/templates checks they are current.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowTemplate } from './builder';

export interface TemplateModule {
	fileName: string;
	build: () => WorkflowTemplate;
}

/** Every template module in this folder: a file exporting `fileName` and `build`. */
export function templateModules(): TemplateModule[] {
	const ext = __filename.endsWith('.ts') ? '.ts' : '.js';
	return readdirSync(__dirname)
		.filter((f) => f.endsWith(`.template${ext}`))
		.sort()
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		.map((f) => require(join(__dirname, f)) as TemplateModule);
}

export function renderTemplate(mod: TemplateModule): string {
	return `${JSON.stringify(mod.build().toJSON(), null, '\t')}\n`;
}

if (require.main === module) {
	// scripts/templates/ in the sources, .build-bench/scripts/templates/ when compiled.
	const root = __filename.endsWith('.ts') ? join(__dirname, '..', '..') : join(__dirname, '..', '..', '..');
	const out = join(root, 'workflows');
	for (const mod of templateModules()) {
		writeFileSync(join(out, mod.fileName), renderTemplate(mod));
		console.log(`wrote workflows/${mod.fileName}`);
	}
}
