/*
 * What GA4's Measurement Protocol takes. It answers 2xx to events it then drops, so every limit is
 * checked before sending. Sources: "Send Measurement Protocol events to Google Analytics", section
 * Limitations (https://developers.google.com/analytics/devguides/collection/protocol/ga4/sending-events#limitations),
 * the reserved names of the Measurement Protocol reference
 * (https://developers.google.com/analytics/devguides/collection/protocol/ga4/reference#reserved_names),
 * and "Event collection limits" (https://support.google.com/analytics/answer/9267744) for 200 items.
 */

/** Event names GA4 reserves: an event sent under one of them is dropped. */
const RESERVED_EVENTS = new Set(
  (
    'ad_activeview ad_click ad_exposure ad_impression ad_query ad_reward adunit_exposure app_clear_data app_exception ' +
    'app_install app_remove app_store_refund app_update app_upgrade dynamic_link_app_open dynamic_link_app_update ' +
    'dynamic_link_first_open error firebase_campaign firebase_in_app_message_action firebase_in_app_message_dismiss ' +
    'firebase_in_app_message_impression first_open first_visit in_app_purchase notification_dismiss ' +
    'notification_foreground notification_open notification_receive notification_send os_update screen_view ' +
    'session_start user_engagement'
  ).split(' '),
);

/** Names of events and parameters: at most 40 letters, digits and underscores, starting with a letter. */
export const GA4_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,39}$/;
/** Parameter values, item parameter values included, at most 100 characters (standard properties). */
export const GA4_MAX_VALUE_LENGTH = 100;
/** Items per event. */
export const GA4_MAX_ITEMS = 200;
/** Custom (non-standard) parameters per item. */
export const GA4_MAX_CUSTOM_ITEM_PARAMS = 10;
/** The request body must be smaller than 130 kB. */
export const GA4_MAX_BODY_BYTES = 130_000;

// The item parameters GA4's ecommerce events define; any other item key is a custom parameter.
const STANDARD_ITEM_PARAMS = new Set(
  (
    'item_id item_name affiliation coupon discount index item_brand item_category item_category2 item_category3 ' +
    'item_category4 item_category5 item_list_id item_list_name item_variant location_id price quantity ' +
    'promotion_id promotion_name creative_name creative_slot'
  ).split(' '),
);

/** Why GA4 would drop an event named `name`, or undefined when it takes it. */
export function ga4EventNameProblem(name: string): string | undefined {
  if (!GA4_NAME.test(name)) {
    return `GA4 event names are at most 40 letters, digits and underscores, starting with a letter (received ${JSON.stringify(name.slice(0, 60))})`;
  }
  return RESERVED_EVENTS.has(name) ? `${name} is a name GA4 reserves` : undefined;
}

const tooLong = (value: unknown) => typeof value === 'string' && value.length > GA4_MAX_VALUE_LENGTH;

/** Why GA4 would drop or cut the item at `index`, or undefined. */
function itemProblem(item: unknown, index: number): string | undefined {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return `items[${index}] is not an object`;
  const entries = Object.entries(item);
  if (!entries.some(([key, value]) => (key === 'item_id' || key === 'item_name') && value !== undefined && value !== '')) {
    return `items[${index}] has neither item_id nor item_name`;
  }
  const custom = entries.filter(([key]) => !STANDARD_ITEM_PARAMS.has(key));
  if (custom.length > GA4_MAX_CUSTOM_ITEM_PARAMS) {
    return `items[${index}] has ${custom.length} custom parameters, GA4 takes ${GA4_MAX_CUSTOM_ITEM_PARAMS}`;
  }
  const bad = entries.find(([key, value]) => !GA4_NAME.test(key) || tooLong(value));
  if (bad) {
    return GA4_NAME.test(bad[0])
      ? `items[${index}].${bad[0]} is longer than ${GA4_MAX_VALUE_LENGTH} characters`
      : `items[${index}] has a parameter name GA4 does not take (${JSON.stringify(bad[0].slice(0, 60))})`;
  }
  return undefined;
}

/**
 * Why GA4 would drop, or cut, an event with these params: a value over 100 characters (an order id
 * cut short would count the purchase under another id), more than 200 items, an item GA4 would not
 * take. Undefined when it fits.
 */
export function ga4ParamsProblem(params: Readonly<Record<string, unknown>>): string | undefined {
  const long = Object.keys(params).find((key) => tooLong(params[key]));
  if (long) return `${long} is longer than ${GA4_MAX_VALUE_LENGTH} characters, GA4 would cut it`;
  const items = params.items;
  if (items === undefined) return undefined;
  if (!Array.isArray(items)) return 'items is not an array';
  if (items.length > GA4_MAX_ITEMS) return `it has ${items.length} items, GA4 takes ${GA4_MAX_ITEMS} per event`;
  for (const [index, item] of items.entries()) {
    const problem = itemProblem(item, index);
    if (problem) return problem;
  }
  return undefined;
}
