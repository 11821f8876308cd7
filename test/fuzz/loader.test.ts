import { defineFuzzTests } from './harness/define-fuzz-tests.ts';
import { LOADER_PROPERTIES } from './properties/all-properties.ts';

defineFuzzTests('fuzz: agent and toolkit files', LOADER_PROPERTIES);
