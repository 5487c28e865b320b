export * from './core/index';
export { ConversionProvider } from './react/ConversionProvider';
export type { ConversionProviderProps } from './react/ConversionProvider';
export { useTracker } from './react/useTracker';
export { useCampaign } from './react/useCampaign';
export { useConsent } from './react/useConsent';
export type { UseConsentResult } from './react/useConsent';
export { useConversion } from './react/useConversion';
export type { UseConversionResult } from './react/useConversion';
export { TrackedForm } from './react/TrackedForm';
export type { SubmissionRenderProps } from './react/useTrackedSubmission';
export type { TrackedFormProps } from './react/TrackedForm';
export { TrackedCheckout } from './react/TrackedCheckout';
export type { CheckoutRenderProps, TrackedCheckoutProps } from './react/TrackedCheckout';
export { ConversionOnView } from './react/ConversionOnView';
export type { ConversionOnViewProps } from './react/ConversionOnView';
export { ConversionDebugger } from './react/ConversionDebugger';
export type { ConversionDebuggerProps } from './react/ConversionDebugger';
export type {
  Register,
  RegisteredContract,
  RegisteredConversion,
  RegisteredEvent,
  RegisteredTracker,
} from './react/register';
