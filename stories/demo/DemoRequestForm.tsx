import { TrackedForm } from 'conversion-kit';
import { ApiError, type LeadRequest } from './backend';

/** The words of the form: marketing changes them often, tracking must not care. */
export interface DemoRequestCopy {
  heading: string;
  name: string;
  email: string;
  plan: string;
  submit: string;
}

const DEFAULT_COPY: DemoRequestCopy = {
  heading: 'Request a demo',
  name: 'Full name',
  email: 'Work email',
  plan: 'Plan',
  submit: 'Request a demo',
};

export interface DemoRequestFormProps {
  /** Sends the lead to your CRM; resolves with its id once accepted, rejects otherwise. */
  submit: (lead: LeadRequest) => Promise<{ lead_id: string }>;
  copy?: Partial<DemoRequestCopy>;
}

function failureText(error: unknown): string {
  if (error instanceof ApiError) return `We could not send your request: ${error.message}`;
  return 'We could not reach our server. Check your connection and try again.';
}

/**
 * A demo-request lead form. `lead_submitted` fires once the CRM accepted the lead, never on the
 * click: a refusal or a network failure fires nothing, a double click sends one request. The
 * trigger is the form's `data-track-form="demo-request"`, so new labels or button text change nothing.
 */
export function DemoRequestForm({ submit, copy }: DemoRequestFormProps) {
  const words = { ...DEFAULT_COPY, ...copy };
  return (
    <TrackedForm
      conversion="lead_submitted"
      formId="demo-request"
      startEvent="form_started"
      aria-labelledby="demo-request-heading"
      className="demo-card"
      onSubmit={(data) =>
        submit({ name: String(data.get('name')), email: String(data.get('email')), plan: String(data.get('plan')) })
      }
      payload={(lead, data) => ({ form_id: 'demo-request', lead_id: lead.lead_id, plan: data.get('plan') as 'team' })}
      dedupeKey={(lead) => lead.lead_id}
    >
      {({ state, error }) => (
        <>
          <h1 id="demo-request-heading">{words.heading}</h1>
          <label className="demo-field">
            {words.name}
            <input name="name" autoComplete="name" required defaultValue="" />
          </label>
          <label className="demo-field">
            {words.email}
            <input name="email" type="email" autoComplete="email" required />
          </label>
          <label className="demo-field">
            {words.plan}
            <select name="plan" defaultValue="team">
              <option value="starter">Starter</option>
              <option value="team">Team</option>
              <option value="enterprise">Enterprise</option>
            </select>
          </label>
          <button type="submit" className="demo-button">{words.submit}</button>
          <p role="status" className="demo-status">
            {state === 'submitting' && 'Sending your request…'}
            {state === 'success' && 'Thanks! We will email you within one business day.'}
          </p>
          {state === 'error' && <p role="alert" className="demo-alert">{failureText(error)}</p>}
        </>
      )}
    </TrackedForm>
  );
}
