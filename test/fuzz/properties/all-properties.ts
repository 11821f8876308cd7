/** Every fuzz property, by area; `npm test` and `npm run fuzz` both run these lists. */
import { awaits } from '../awaiting-fixes.ts';
import { FAULT_KINDS } from '../arbitraries/upstream-fault.ts';
import type { AnyFuzzProperty } from '../harness/fuzz-property.ts';
import { chatNumbersBounded, chatRequestsNever500 } from './chat-requests.ts';
import { loaderAliasAttacks, loaderDeepNesting, loaderHugeFiles, loaderMutated } from './loader-properties.ts';
import { upstreamFaultsProperty } from './upstream-faults.ts';

export const LOADER_PROPERTIES: AnyFuzzProperty[] = [loaderMutated, loaderDeepNesting, loaderAliasAttacks, loaderHugeFiles];

export const CHAT_PROPERTIES: AnyFuzzProperty[] = [chatRequestsNever500, chatNumbersBounded];

/** One property over every fault kind that is handled today, and one per kind still awaiting its fix. */
const pendingKinds = FAULT_KINDS.filter((kind) => awaits(`upstream-${kind}`));
export const UPSTREAM_PROPERTIES: AnyFuzzProperty[] = [
  upstreamFaultsProperty('upstream-faults', FAULT_KINDS.filter((kind) => !pendingKinds.includes(kind)), 12),
  ...pendingKinds.map((kind) => upstreamFaultsProperty(`upstream-${kind}`, [kind], 3)),
];

export const ALL_PROPERTIES: AnyFuzzProperty[] = [...LOADER_PROPERTIES, ...CHAT_PROPERTIES, ...UPSTREAM_PROPERTIES];
