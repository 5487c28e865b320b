import { TrackedForm } from 'conversion-kit';

export interface NewsletterSignupProps {
  /** Subscribes the address; resolves once the list accepted it. */
  subscribe: (email: string) => Promise<unknown>;
}

/** A newsletter signup: `newsletter_signup` fires once the list confirmed the subscription. */
export function NewsletterSignup({ subscribe }: NewsletterSignupProps) {
  return (
    <TrackedForm
      conversion="newsletter_signup"
      formId="newsletter"
      aria-labelledby="newsletter-heading"
      className="demo-card"
      onSubmit={(data) => subscribe(String(data.get('email')))}
      payload={() => ({ form_id: 'newsletter' })}
    >
      {({ state }) => (
        <>
          <h1 id="newsletter-heading">Get the monthly product letter</h1>
          <label className="demo-field">
            Email
            <input name="email" type="email" autoComplete="email" required />
          </label>
          <button type="submit" className="demo-button">Subscribe</button>
          <p role="status" className="demo-status">
            {state === 'success' && 'You are subscribed. See you next month!'}
          </p>
          {state === 'error' && <p role="alert" className="demo-alert">That did not work. Please try again.</p>}
        </>
      )}
    </TrackedForm>
  );
}
