// One confirmation dialog (<dialog>, modal: focus stays in it, Escape cancels) for every action.

/** Resolves true when the person confirms; `extra` is an element shown under the text (e.g. a reason field). */
export function confirmAction({ title, text, confirm, extra }) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-extra').replaceChildren(...(extra ? [extra] : []));
  document.getElementById('confirm-ok').textContent = confirm;
  dialog.returnValue = 'cancel';
  return new Promise(resolve => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.showModal();
  });
}
