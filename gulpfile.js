const { src, dest } = require('gulp');

// n8n loads a node's icon from the file next to its compiled .node.js, so copy SVGs into dist/.
function buildIcons() {
	return src(['nodes/**/*.svg', 'credentials/**/*.svg'], { base: '.', encoding: false }).pipe(dest('dist'));
}

exports['build:icons'] = buildIcons;
