const { src, dest } = require('gulp');

// n8n loads a node's icon from the file next to its compiled .node.js, so copy SVGs into dist/.
function buildIcons() {
	return src(['nodes/**/*.svg', 'credentials/**/*.svg'], { base: '.', encoding: false }).pipe(dest('dist'));
}

// The demo's sample CRM data ships with the package (dist/demo-data), so the demo workflow can
// be run from an installed package as well as from a clone.
function copyDemoData() {
	return src(['demo/data/*.json'], { encoding: false }).pipe(dest('dist/demo-data'));
}

exports['build:icons'] = buildIcons;
exports['build:demo-data'] = copyDemoData;
