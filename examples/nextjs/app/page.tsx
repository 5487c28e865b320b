// A server component: it calls the kit's plain functions through 'conversion-kit' and renders the
// kit's client components.
import { ConversionOnView, contractToMarkdown } from 'conversion-kit';
import { contract } from '@/tracking/contract';
import { LeadForm } from './lead-form';

export default function Home() {
  return (
    <main>
      <h1>Book a demo</h1>
      <LeadForm />
      <ConversionOnView conversion="purchase_completed">
        <p>Nothing fires here unless a checkout handed a purchase off to this page.</p>
      </ConversionOnView>
      <details>
        <summary>Tracking plan</summary>
        <pre>{contractToMarkdown(contract)}</pre>
      </details>
    </main>
  );
}
