/**
 * A network that answers every request at once, as the collector does a batch (200), counting the
 * requests: what both `track()` benches put in place of `fetch` before Segment loads.
 */
export function stubNetwork(): { fetch: typeof fetch; requests(): number } {
  let requests = 0;
  return {
    fetch: async () => {
      requests++;
      return new Response(JSON.stringify({ accepted: 1, duplicates: 0, skipped: 0, rejected: [], failed: [], pending: [], notes: [] }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    },
    requests: () => requests,
  };
}
