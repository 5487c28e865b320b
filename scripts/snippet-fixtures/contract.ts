// The contract the docs' snippets use when they do not define one (`import { contract } from './contract'`).
import { z } from 'zod';
import { defineContract } from 'conversion-kit';

export const contract = defineContract({
  lead_submitted: { schema: z.object({ form_id: z.string() }), conversion: true },
  form_started: { schema: z.object({ form_id: z.string() }) },
  cta_clicked: { schema: z.object({ cta_id: z.string() }) },
  purchase_completed: {
    schema: z.object({
      order_id: z.string(),
      value: z.number(),
      currency: z.string().length(3),
      coupon: z.string().optional(),
    }),
    dedupeBy: 'order_id',
    conversion: true,
  },
});
