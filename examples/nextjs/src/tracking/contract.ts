// The event contract, shared by the browser (src/tracking/tracker.ts) and the server
// (app/api/collect/route.ts, app/page.tsx): plain code, no 'use client'.
import { z } from 'zod';
import { defineContract } from 'conversion-kit';

export const contract = defineContract({
  lead_submitted: {
    schema: z.object({ form_id: z.string() }),
    conversion: true,
    description: 'A demo request the API accepted',
  },
  purchase_completed: {
    schema: z.object({ order_id: z.string(), value: z.number(), currency: z.string().length(3) }),
    dedupeBy: 'order_id',
    conversion: true,
    description: 'A paid order, confirmed by the payment provider',
  },
});

declare module 'conversion-kit' {
  interface Register {
    contract: typeof contract;
  }
}
