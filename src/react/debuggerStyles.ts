import type { CSSProperties } from 'react';
import type { DecisionTone } from '../core/describe-records';

/**
 * Inline styles of <ConversionDebugger>: no stylesheet, no class names, so nothing it renders can
 * restyle the host page. Every element resets what a host stylesheet most often changes (margins,
 * list bullets, fonts), and the colours keep a 4.5:1 contrast (axe `color-contrast`).
 */

const font = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const reset: CSSProperties = { margin: 0, padding: 0, boxSizing: 'border-box', font: 'inherit', color: 'inherit' };
// A call, so each constant below can carry a pure annotation: an object spread at module scope
// would otherwise stay in bundles that never import the debugger.
const style = (extra: CSSProperties): CSSProperties => ({ ...reset, ...extra });

export const rootStyle = (placement: 'overlay' | 'inline'): CSSProperties => ({
  all: 'initial',
  display: 'flex',
  flexDirection: placement === 'overlay' ? 'column-reverse' : 'column',
  alignItems: placement === 'overlay' ? 'flex-end' : 'stretch',
  gap: 8,
  fontFamily: font,
  fontSize: 13,
  lineHeight: 1.45,
  color: '#1b1f24',
  ...(placement === 'overlay'
    ? { position: 'fixed', right: 16, bottom: 16, zIndex: 2147483000, maxWidth: 'calc(100vw - 32px)' }
    : { width: '100%' }),
});

export const toggleStyle = /* @__PURE__ */ style({
  cursor: 'pointer',
  border: '1px solid #1b1f24',
  borderRadius: 6,
  padding: '6px 12px',
  background: '#1b1f24',
  color: '#ffffff',
  fontWeight: 600,
});

export const panelStyle = (placement: 'overlay' | 'inline'): CSSProperties => ({
  ...reset,
  display: 'flex',
  flexDirection: 'column',
  gap: 12,
  width: placement === 'overlay' ? 380 : '100%',
  maxWidth: '100%',
  maxHeight: placement === 'overlay' ? '70vh' : undefined,
  overflow: placement === 'overlay' ? 'auto' : undefined,
  padding: 12,
  background: '#ffffff',
  border: '1px solid #d0d7de',
  borderRadius: 8,
  boxShadow: placement === 'overlay' ? '0 8px 24px rgba(0, 0, 0, 0.18)' : 'none',
  outlineOffset: 2,
});

export const headingStyle = /* @__PURE__ */ style({
  fontSize: 12,
  fontWeight: 700,
  textTransform: 'uppercase',
  letterSpacing: '0.04em',
  color: '#57606a',
  marginBottom: 4,
});

export const definitionListStyle = /* @__PURE__ */ style({
  display: 'grid',
  gridTemplateColumns: 'max-content 1fr',
  columnGap: 8,
  rowGap: 2,
});
export const termStyle = /* @__PURE__ */ style({ fontWeight: 600 });
export const detailStyle = /* @__PURE__ */ style({ overflowWrap: 'anywhere' });

export const tableStyle = /* @__PURE__ */ style({ borderCollapse: 'collapse', width: '100%' });
export const cellStyle = /* @__PURE__ */ style({
  textAlign: 'left',
  padding: '2px 6px 2px 0',
  borderBottom: '1px solid #eaeef2',
});
export const numberCellStyle = /* @__PURE__ */ style({
  textAlign: 'right',
  padding: '2px 6px 2px 0',
  borderBottom: '1px solid #eaeef2',
  fontVariantNumeric: 'tabular-nums',
});

export const logStyle = (placement: 'overlay' | 'inline'): CSSProperties => ({
  ...reset,
  maxHeight: placement === 'overlay' ? 260 : 420,
  overflowY: 'auto',
  outlineOffset: 2,
});
export const listStyle = /* @__PURE__ */ style({ listStyle: 'none', display: 'flex', flexDirection: 'column', gap: 6 });
export const itemStyle = /* @__PURE__ */ style({ padding: '6px 8px', borderRadius: 6, background: '#f6f8fa' });
export const subListStyle = /* @__PURE__ */ style({ listStyle: 'none', marginTop: 2 });
export const subItemStyle = /* @__PURE__ */ style({ overflowWrap: 'anywhere' });
export const mutedStyle = /* @__PURE__ */ style({ color: '#57606a' });
export const eventNameStyle = /* @__PURE__ */ style({ fontWeight: 700 });

const TONES: Record<DecisionTone, { color: string; background: string }> = {
  success: { color: '#0f5132', background: '#d1e7dd' },
  pending: { color: '#664d03', background: '#fff3cd' },
  warning: { color: '#7a2e0b', background: '#ffe5d0' },
  error: { color: '#842029', background: '#f8d7da' },
};

export const badgeStyle = (tone: DecisionTone): CSSProperties => ({
  ...reset,
  ...TONES[tone],
  display: 'inline-block',
  borderRadius: 4,
  padding: '0 6px',
  marginRight: 6,
  fontWeight: 600,
});
export const toneTextStyle = (tone: DecisionTone): CSSProperties => ({ ...reset, color: TONES[tone].color });

export const clearStyle = /* @__PURE__ */ style({
  alignSelf: 'flex-start',
  cursor: 'pointer',
  border: '1px solid #8c959f',
  borderRadius: 6,
  padding: '2px 10px',
  background: '#ffffff',
});
