// jsdom ships no type declarations (and @types/jsdom is not a dependency): the part bench/ledger.ts uses.
declare module 'jsdom' {
  export class JSDOM {
    constructor(html: string, options: { url: string });
    readonly window: { readonly localStorage: Storage };
  }
}
