import { useInsertionEffect, useRef } from 'react';

/**
 * A ref that always holds the latest committed value, so stable callbacks read fresh props. The
 * insertion effect runs before any layout effect or event handler and never warns during SSR.
 */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  useInsertionEffect(() => {
    ref.current = value;
  });
  return ref;
}
