'use client';
import type { ReactNode } from 'react';
import { ConversionDebugger, ConversionProvider } from 'conversion-kit';
import { tracker } from '@/tracking/tracker';

export function Providers({ children }: { children: ReactNode }) {
  return (
    <ConversionProvider tracker={tracker}>
      {children}
      {process.env.NODE_ENV !== 'production' && <ConversionDebugger />}
    </ConversionProvider>
  );
}
