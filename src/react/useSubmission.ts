import { useState, useSyncExternalStore } from 'react';
import { createSubmission, type Submission, type SubmissionSnapshot } from '../core/submission';

/** One submission per component instance, created once, read through `useSyncExternalStore`. */
export function useSubmission<Result>(): readonly [SubmissionSnapshot<Result>, Submission<Result>] {
  const [submission] = useState(() => createSubmission<Result>());
  const snapshot = useSyncExternalStore(submission.subscribe, submission.getSnapshot, submission.getSnapshot);
  return [snapshot, submission];
}
