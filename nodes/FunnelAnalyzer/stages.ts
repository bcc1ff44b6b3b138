/** The configured stage order: checked once, then looked up by name. */
import { InputError, describeValue } from '../shared/errors';

/** Checks the stage list (non-empty names, no duplicates) and returns name -> position. */
export function stageIndex(stages: unknown, field = 'stages'): Map<string, number> {
	if (!Array.isArray(stages) || stages.length === 0) {
		throw new InputError(`The stage order is empty: list the funnel stages in order (${field})`, { field, value: stages });
	}
	const index = new Map<string, number>();
	const duplicates = new Set<string>();
	stages.forEach((stage, i) => {
		if (typeof stage !== 'string' || stage.trim() === '') {
			throw new InputError(`Stage ${i + 1} of the stage order is ${describeValue(stage)}, not a stage name`, { field, value: stage });
		}
		const name = stage.trim();
		if (index.has(name)) duplicates.add(name);
		else index.set(name, i);
	});
	if (duplicates.size > 0) {
		throw new InputError(`The stage order lists ${quoteList([...duplicates])} more than once; each stage must appear once`, {
			field,
			value: stages,
		});
	}
	return index;
}

/** Error for names that are not in the stage order, listing them (and the first item of each). */
export function unknownStagesError(unknown: Map<string, number>, field: string, known: string[]): InputError {
	const names = [...unknown.keys()];
	const firstRow = unknown.get(names[0]) ?? 0;
	const listed = names
		.slice(0, 10)
		.map((name) => `${JSON.stringify(name)} (item ${unknown.get(name)})`)
		.join(', ');
	const more = names.length > 10 ? ` and ${names.length - 10} more` : '';
	return new InputError(
		`Unknown stage name${names.length > 1 ? 's' : ''} in "${field}": ${listed}${more}. Known stages: ${quoteList(known)}`,
		{ row: firstRow, field, value: names[0] },
	);
}

export function quoteList(names: string[]): string {
	return names.map((n) => JSON.stringify(n)).join(', ');
}
