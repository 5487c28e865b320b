/**
 * `value` as GA4, Google Ads and Meta need it: a number. A schema may keep money as a decimal string
 * (`'129.50'`, `' 12 '`, `'-3'`); it goes out as that number (`129.5`) instead of a string the
 * platforms ignore. Other values are left as they are: `'1e3'`, `'+3'`, `'12,50'` and `''` are not the
 * decimal a schema keeps money in, so no number is guessed from them. The one rule for the browser
 * destinations and the server ones, so the same string becomes the same number everywhere (issue 10).
 * Changes `params` in place.
 */
export function withNumericValue<T extends { value?: unknown }>(params: T): T {
  // The typeof check keeps a one-element array (['12'], which the regex would see as '12') as it is.
  if (/^\s*-?\d+(\.\d+)?\s*$/.test(params.value as string) && typeof params.value == 'string') params.value = +params.value;
  return params;
}
