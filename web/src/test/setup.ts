// Vitest setup: DOM matchers, a clean DOM after each test, and the <dialog> methods jsdom lacks.
import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => cleanup());

// findBy… and waitFor give up after 1 s by default; a chart's chunk loaded on demand takes longer
// on a loaded 2-core machine. A wait still ends as soon as the element is there.
configure({ asyncUtilTimeout: 5000 });

// jsdom has HTMLDialogElement but not showModal()/close(); the browser's top layer and inertness
// are not needed to test what the dialogs contain.
if (typeof HTMLDialogElement !== 'undefined' && !HTMLDialogElement.prototype.showModal) {
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
    this.removeAttribute('open');
    this.dispatchEvent(new Event('close'));
  };
}
