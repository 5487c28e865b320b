/** See build-storybook.mjs. */
export declare function buildStorybook(outputDir: string): Promise<void>;
