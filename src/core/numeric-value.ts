/**
 * `value` as GA4, Google Ads and Meta need it: a number. A schema may keep money as a decimal string
 * (`'129.50'`, `' 12 '`, `'-3'`); it goes out as that number (`129.5`) instead of a string the
 * platforms ignore. Any other value is left out and named in `omitted`: `'1e3'`, `'+3'`, `'12,50'` and
 * `''` are not the decimal a schema keeps money in, so no number is guessed from them. The one rule for the browser
 * destinations and the server ones, so the same string becomes the same number everywhere (issue 10).
 * Changes `params` in place.
 */
export function withNumericValue<T extends { value?: unknown }>(params: T, omitted?: string[]): T {
  // The typeof check keeps a one-element array (['12'], which the regex would see as '12') out.
  if (/^\s*-?\d+(\.\d+)?\s*$/.test(params.value as string) && typeof params.value == 'string') params.value = +params.value;
  // Anything else but a finite number is no value the platforms read: left out, and named.
  if (params.value !== undefined && !Number.isFinite(params.value)) {
    delete params.value;
    omitted?.push('value: not a number or a decimal string, left out');
  }
  return params;
}
