import { defineFuzzTests } from './harness/define-fuzz-tests.ts';
import { CHAT_PROPERTIES } from './properties/all-properties.ts';

defineFuzzTests('fuzz: chat completion requests, over HTTP against the real server', CHAT_PROPERTIES);
