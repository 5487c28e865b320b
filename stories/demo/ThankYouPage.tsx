import { ConversionOnView } from 'conversion-kit';

/**
 * The thank-you page after a redirect: it reports the purchase the checkout handed off, once.
 * Opened directly or refreshed, there is no handoff and nothing fires.
 */
export function ThankYouPage() {
  return (
    <ConversionOnView conversion="purchase_completed">
      <div className="demo-card">
        <h1>Thank you for your order</h1>
        <p>Your receipt is on its way to your inbox.</p>
      </div>
    </ConversionOnView>
  );
}
