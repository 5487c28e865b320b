import { useConversion } from 'conversion-kit';

export interface LandingPageProps {
  /** Where the call to action goes (a full page load in the demos). */
  onRequestDemo: () => void;
}

/** A campaign landing page: ads point here with their UTM parameters and click ids. */
export function LandingPage({ onRequestDemo }: LandingPageProps) {
  const { track } = useConversion('cta_clicked');
  return (
    <div className="demo-card">
      <h1>Ship campaigns you can measure</h1>
      <p>Every lead counted once, tied to the ad that brought it.</p>
      <button
        type="button"
        className="demo-button"
        data-cta="hero"
        onClick={() => {
          track({ cta_id: 'hero' });
          onRequestDemo();
        }}
      >
        Book a demo
      </button>
    </div>
  );
}
