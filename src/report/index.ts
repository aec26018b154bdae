export type { RunReport, Reporter } from './model.js';
export { summarize, byArea, resultOn } from './model.js';
export { htmlReporter } from './html.js';
export type { HtmlAssets } from './html.js';
export { junitReporter } from './junit.js';
export { markdownReporter } from './markdown.js';
export { jsonReporter } from './json.js';
