import { defineFuzzTests } from './harness/define-fuzz-tests.ts';
import { UPSTREAM_PROPERTIES } from './properties/all-properties.ts';

defineFuzzTests('fuzz: a faulty Gemini upstream, over HTTP against the real server', UPSTREAM_PROPERTIES);
