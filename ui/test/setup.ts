import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// On a busy machine (two cores, several builds) a page can take well over the default second to
// render after its data arrives; find* queries and waitFor wait up to 10 s instead.
configure({ asyncUtilTimeout: 10_000 });

afterEach(() => {
  cleanup();
  window.history.replaceState(null, '', '/');
});
