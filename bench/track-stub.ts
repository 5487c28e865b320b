/** The collector's answer to a batch, as the stubbed network gives it (at once, 200). */
export const stubAnswer = () =>
  new Response(JSON.stringify({ accepted: 1, duplicates: 0, skipped: 0, rejected: [], failed: [], pending: [], notes: [] }), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });
