import { useLayoutEffect, useEffect, useRef } from 'react';

// useLayoutEffect warns during server rendering; the ref only matters in the browser.
const useIsomorphicLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;

/** A ref that always holds the latest value, so stable callbacks can read fresh props. */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  useIsomorphicLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}
