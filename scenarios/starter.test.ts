// The starter scenarios, run as tests: `npm test` fails if any of them stops passing.
import { scenarioTests } from '../src/cli/vitest.js';

scenarioTests(['scenarios']);
