import { useConsent } from 'conversion-kit';

/**
 * A minimal consent banner. Until the visitor decides, conversions are held, not lost; accepting
 * releases them in order, declining drops them.
 */
export function ConsentBanner() {
  const { consent, setConsent } = useConsent();
  if (consent.analytics !== 'pending' && consent.ads !== 'pending') {
    const accepted = consent.analytics === 'granted' && consent.ads === 'granted';
    return <p className="demo-note">Cookie choice saved: {accepted ? 'all accepted' : 'only necessary cookies'}.</p>;
  }
  return (
    <section className="demo-banner" aria-labelledby="consent-heading">
      <h2 id="consent-heading">Cookies</h2>
      <p>We measure which campaigns bring visitors. May we use analytics and advertising cookies?</p>
      <div className="demo-actions">
        <button type="button" className="demo-button" onClick={() => setConsent({ analytics: 'granted', ads: 'granted' })}>
          Accept all
        </button>
        <button type="button" className="demo-button demo-secondary" onClick={() => setConsent({ analytics: 'denied', ads: 'denied' })}>
          Reject all
        </button>
      </div>
    </section>
  );
}
