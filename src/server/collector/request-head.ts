// The head of a node:http request as a Fetch `Request` for the app's callbacks (`consent`,
// `clientInfo.ipAddress`), built only as far as a callback reads it. Constructing a real `Request`
// costs about 6 µs (undici's AbortSignal, URL parsing, a Headers copy): at one event per request that
// was a sixth of the collector's CPU, spent for callbacks that read one cookie or nothing at all.
// `method`, `url` and `headers` are answered here (the headers built on first read); anything else
// (`clone()`, `signal`, `cache`, inspecting it) builds the real `Request` once and reads it there.

/** What a head is made from: the method, and the URL and headers, computed when first read. */
export interface HeadSource {
  readonly method: string;
  url(): string;
  headers(): Headers;
}

const SOURCE = Symbol('source');
const URL_TEXT = Symbol('url');
const HEADERS = Symbol('headers');
const FULL = Symbol('request');

interface Head {
  [SOURCE]: HeadSource;
  [URL_TEXT]?: string;
  [HEADERS]?: Headers;
  [FULL]?: Request;
}

const urlOf = (head: Head) => (head[URL_TEXT] ??= head[SOURCE].url());
const headersOf = (head: Head) => (head[HEADERS] ??= head[SOURCE].headers());
const fullOf = (head: Head) => (head[FULL] ??= new Request(urlOf(head), { method: head[SOURCE].method, headers: headersOf(head) }));

let prototype: object | undefined;

/** Inherits from `Request.prototype` (so `instanceof Request` holds); every member not answered here reads the real `Request`. */
function headPrototype(): object {
  const own: PropertyDescriptorMap = {
    method: { get: function (this: Head) { return this[SOURCE].method; }, configurable: true },
    url: { get: function (this: Head) { return urlOf(this); }, configurable: true },
    headers: { get: function (this: Head) { return headersOf(this); }, configurable: true },
  };
  for (const key of Reflect.ownKeys(Request.prototype)) {
    if (key === 'constructor' || (typeof key === 'string' && key in own)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(Request.prototype, key)!;
    if (descriptor.get) {
      own[key] = { get: function (this: Head) { return Reflect.get(fullOf(this), key); }, configurable: true };
    } else if (typeof descriptor.value === 'function') {
      own[key] = {
        value: function (this: Head, ...args: unknown[]) {
          const request = fullOf(this);
          return (Reflect.get(request, key) as (...args: unknown[]) => unknown).apply(request, args);
        },
        writable: true,
        configurable: true,
      };
    }
  }
  return Object.create(Request.prototype, own);
}

/** A Fetch `Request` with the method, URL and headers of `source` and no body, built as far as it is read. */
export function requestHead(source: HeadSource): Request {
  const head = Object.create((prototype ??= headPrototype())) as Head;
  head[SOURCE] = source;
  return head as unknown as Request;
}
