const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * `value` as GA4, Google Ads and Meta need it: a number. A schema may keep money as a decimal string
 * (`'129.50'`); it goes out as the same number (`129.5`), as the server destinations send it, instead
 * of a string the platforms ignore. Other values are left as they are. Changes `params` in place.
 */
export function withNumericValue<T extends Record<string, unknown>>(params: T): T {
  if (typeof params.value === 'string' && DECIMAL.test(params.value)) (params as Record<string, unknown>).value = Number(params.value);
  return params;
}
