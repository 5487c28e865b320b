// Registers the fixture contract for snippets that use the kit's registered types without declaring it.
import type { contract } from './contract';

declare module 'conversion-kit' {
  interface Register {
    contract: typeof contract;
  }
}
