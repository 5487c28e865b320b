import type { Envelope } from 'conversion-kit/core';
import type { ForwardContext, ServerDestination } from 'conversion-kit/server';

/** A server destination that records what it receives; `fail` makes it reject. */
export interface Recording extends ServerDestination {
  readonly received: { envelope: Envelope; context: ForwardContext }[];
  fail: Error | null;
}

export function recording(name: string, consent: ServerDestination['consent'] = 'none'): Recording {
  const destination: Recording = {
    name,
    consent,
    received: [],
    fail: null,
    async send(envelope, context) {
      if (destination.fail) throw destination.fail;
      destination.received.push({ envelope, context });
    },
  };
  return destination;
}
