'use client';
// Function props (onSubmit) cannot cross from a server component, so the form lives in a client one.
import { TrackedForm } from 'conversion-kit';

export function LeadForm() {
  return (
    <TrackedForm
      conversion="lead_submitted"
      formId="demo-request"
      onSubmit={(data) => fetch('/api/leads', { method: 'POST', body: data })}
    >
      <input name="email" type="email" required aria-label="Work email" />
      <button>Request a demo</button>
    </TrackedForm>
  );
}
