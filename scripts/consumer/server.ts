// Server code of a consumer (a Next.js route handler, say), type-checked without @types/node: the
// server entry's types must stand on the Fetch API alone.
import { createCollector, createServerTracker, memoryDedupeStore } from 'conversion-kit/server';
import { defineContract } from 'conversion-kit';
import { contract } from './contract';

const store = memoryDedupeStore();
export const collector = createCollector({ contract, store, destinations: [], consent: () => ({ ads: 'granted' }) });
export const POST = (request: Request): Promise<Response> => collector(request);

export const serverTracker = createServerTracker({ contract, store, destinations: [] });
export const tracked = serverTracker.track('purchase_completed', { order_id: 'A-1', value: 10, currency: 'EUR' });

// The root entry's plain functions are importable by server code.
export const sameContract = defineContract;
