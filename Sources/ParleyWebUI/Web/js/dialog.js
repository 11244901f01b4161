// Modal dialogs on the native <dialog>: focus stays inside, Escape closes.

import {h} from './dom.js';

/**
 * Shows a form in a modal. `onSubmit(form)` may return false to keep it open; it may be async.
 * Resolves when the dialog closes.
 */
export function openDialog(title, content, {submitLabel = 'Save', onSubmit, wide = false, id} = {}) {
    const dialog = h('dialog', {class: `modal${wide ? ' wide' : ''}`, 'aria-labelledby': 'dialog-title', id: id || null});
    const error = h('p', {class: 'form-error', role: 'alert'});
    const form = h('form', {method: 'dialog'},
        h('h2', {id: 'dialog-title'}, title),
        content,
        error,
        h('div', {class: 'row end'},
            h('button', {type: 'button', class: 'dialog-cancel', onclick: () => dialog.close()}, onSubmit ? 'Cancel' : 'Close'),
            onSubmit ? h('button', {type: 'submit', class: 'primary dialog-submit'}, submitLabel) : null));
    form.addEventListener('submit', async (event) => {
        if (!onSubmit) return;
        event.preventDefault();
        error.textContent = '';
        try {
            if ((await onSubmit(form)) !== false) dialog.close();
        } catch (failure) {
            error.textContent = failure.message;
        }
    });
    dialog.append(form);
    document.body.append(dialog);
    return new Promise((resolve) => {
        dialog.addEventListener('close', () => { dialog.remove(); resolve(dialog.returnValue); });
        dialog.showModal();
        const first = form.querySelector('input, textarea, select');
        (first || form.querySelector('button')).focus();
    });
}

/** Yes or no, asked in a modal. */
export function confirmDialog(question, yes = 'Delete') {
    return new Promise((resolve) => {
        let answered = false;
        openDialog(question, h('p', {}, 'This cannot be undone.'), {
            submitLabel: yes,
            onSubmit: () => { answered = true; },
        }).then(() => resolve(answered));
    });
}
