// A user's contract, imported by both the browser code and the server code, as the README shows.
import { z } from 'zod';
import { defineContract } from 'conversion-kit';

export const contract = defineContract({
  lead_submitted: { schema: z.object({ form_id: z.string() }), conversion: true },
  purchase_completed: {
    schema: z.object({ order_id: z.string(), value: z.number(), currency: z.string().length(3) }),
    dedupeBy: 'order_id',
    conversion: true,
  },
});

declare module 'conversion-kit' {
  interface Register {
    contract: typeof contract;
  }
}
