import type { NextConfig } from 'next';

const config: NextConfig = {
  // This folder is its own app: without it Next.js takes the kit's repository for the workspace root.
  turbopack: { root: import.meta.dirname },
};

export default config;
