// The tracker the docs' snippets use when they do not create one (`import { tracker } from './tracker'`).
import { createTracker } from 'conversion-kit';
import { beacon } from 'conversion-kit/destinations';
import { contract } from './contract';

export const tracker = createTracker({ contract, destinations: [beacon({ url: '/api/collect' })] });
