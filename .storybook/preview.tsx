import type { Preview } from '@storybook/react-vite';
import { createDemo, type DemoParameters } from '../stories/demo/story';
import { withConversionsPanel } from './conversions/withConversionsPanel';
import '../stories/demo/demo.css';

const preview: Preview = {
  // A fresh visit (storage, trackers) and backend for every story render: nothing leaks between stories.
  loaders: [(context) => createDemo(context.parameters.demo as DemoParameters | undefined)],
  decorators: [withConversionsPanel],
  parameters: {
    layout: 'padded',
    // Axe violations fail the story's test (the default, 'todo', only reports them).
    a11y: { test: 'error' },
  },
};

export default preview;
