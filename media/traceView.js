// The trace view's script: the page is rendered by the extension (client/src/traceView/html.ts);
// this only reports what the user picks or clicks. Message shapes: client/src/traceView/messages.ts.
// @ts-check
(function () {
  // @ts-ignore acquireVsCodeApi is provided by the webview host
  const vscode = acquireVsCodeApi();

  const picker = /** @type {HTMLSelectElement | null} */ (document.getElementById('path-picker'));
  picker?.addEventListener('change', () => vscode.postMessage({ type: 'pickPath', path: Number(picker.value) }));

  document.getElementById('copy-text')?.addEventListener('click', () => vscode.postMessage({ type: 'copyText' }));

  // a function's path, a scenario's steps, or the schedule of a scenario's interleaving
  const steps = document.getElementById('steps') ?? document.getElementById('schedule');

  /** @param {HTMLElement} row */
  function reveal(row) {
    steps?.querySelectorAll('tr.step.selected').forEach((other) => other.classList.remove('selected'));
    row.classList.add('selected');
    vscode.postMessage({ type: 'reveal', step: Number(row.dataset.index) });
  }

  steps?.addEventListener('click', (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    const rule = /** @type {HTMLElement | null} */ (target.closest('a.rule'));
    if (rule) {
      event.preventDefault();
      vscode.postMessage({ type: 'openRule', rule: rule.dataset.rule });
      return;
    }
    const row = /** @type {HTMLElement | null} */ (target.closest('tr.step'));
    if (row) reveal(row);
  });

  steps?.addEventListener('keydown', (event) => {
    const row = /** @type {HTMLElement} */ (event.target);
    if (!row.matches('tr.step')) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      reveal(row);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const next = event.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling;
      if (next instanceof HTMLElement) next.focus();
    }
  });
})();
