// The README's quick start, as is: the contract and the tracker, created once.
import { z } from 'zod';
import { createTracker, defineContract } from 'conversion-kit';
import { beacon, dataLayer } from 'conversion-kit/destinations';

export const contract = defineContract({
  lead_submitted: { schema: z.object({ form_id: z.string() }), conversion: true },
  purchase_completed: {
    schema: z.object({ order_id: z.string(), value: z.number(), currency: z.string().length(3) }),
    dedupeBy: 'order_id',
    conversion: true,
  },
});

declare module 'conversion-kit' {
  interface Register { contract: typeof contract } // types every hook and component, no generics
}

export const tracker = createTracker({
  contract,
  destinations: [dataLayer(), beacon({ url: '/api/collect' })],
});
