// The prompt library: create, edit, share, delete, and insert prompts; `{{variables}}` are asked for
// before the text goes into the message box.

import {api} from './api.js';
import {h, $, clear, field, announce} from './dom.js';
import {openDialog, confirmDialog} from './dialog.js';
import {state} from './state.js';

export async function loadPrompts() {
    try {
        const page = await api('/prompts?limit=200');
        state.prompts = page.items || [];
    } catch (error) {
        announce(`Could not load prompts: ${error.message}`, 'error');
    }
    return state.prompts;
}

/** Inserts a prompt into the message box, asking for its variables first. */
export async function insertPrompt(prompt) {
    const {insertIntoComposer} = await import('./composer.js');
    const {navigate} = await import('./router.js');
    if (!prompt.variables || prompt.variables.length === 0) {
        navigate(state.chat ? `/c/${state.chat.id}` : '/');
        insertIntoComposer(prompt.body);
        return;
    }
    const inputs = prompt.variables.map((name) => h('input', {type: 'text', name, class: 'var-input', dataset: {variable: name}}));
    await openDialog(`Fill in “${prompt.title}”`,
        h('div', {}, inputs.map((input) => field(input.name, input))), {
            submitLabel: 'Insert',
            onSubmit: async () => {
                const variables = Object.fromEntries(inputs.map((input) => [input.name, input.value]));
                const rendered = await api(`/prompts/${prompt.id}/render`, {method: 'POST', body: {variables}});
                navigate(state.chat ? `/c/${state.chat.id}` : '/');
                insertIntoComposer(rendered.text);
            },
        });
}

export async function showPromptsPage() {
    const view = $('#prompts-view');
    const listElement = h('ul', {class: 'card-list', id: 'prompt-list', 'aria-label': 'Prompts'});
    clear(view).append(
        h('div', {class: 'page-head'}, h('h2', {}, 'Prompt library'),
            h('button', {type: 'button', class: 'primary', id: 'new-prompt', onclick: () => editPrompt(null, refresh)}, 'New prompt')),
        h('p', {class: 'hint'}, 'Write {{name}} for a variable: it is asked for when the prompt is inserted. Type / in the message box to find a prompt.'),
        listElement);
    async function refresh() {
        const prompts = await loadPrompts();
        clear(listElement);
        if (prompts.length === 0) listElement.append(h('li', {class: 'empty'}, 'No prompts yet.'));
        const me = state.session.user?.id;
        for (const prompt of prompts) {
            const mine = !me || prompt.owner_id === me;
            listElement.append(h('li', {class: 'card prompt-card', dataset: {id: prompt.id}},
                h('div', {class: 'card-title'}, h('strong', {}, prompt.title), prompt.shared ? h('span', {class: 'badge'}, 'shared') : null),
                h('pre', {class: 'prompt-body'}, prompt.body),
                h('div', {class: 'row'},
                    h('button', {type: 'button', class: 'primary insert-prompt', onclick: () => insertPrompt(prompt)}, 'Insert'),
                    mine ? h('button', {type: 'button', class: 'edit-prompt', onclick: () => editPrompt(prompt, refresh)}, 'Edit') : null,
                    mine ? h('button', {type: 'button', class: 'danger delete-prompt', onclick: async () => {
                        if (!(await confirmDialog(`Delete “${prompt.title}”?`))) return;
                        await api(`/prompts/${prompt.id}`, {method: 'DELETE'});
                        refresh();
                    }}, 'Delete') : null)));
        }
    }
    await refresh();
}

function editPrompt(prompt, done) {
    const title = h('input', {type: 'text', name: 'title', required: true, maxlength: '500', value: prompt?.title || ''});
    const body = h('textarea', {name: 'body', rows: '8', required: true});
    body.value = prompt?.body || '';
    const shared = h('input', {type: 'checkbox', name: 'shared', checked: !!prompt?.shared});
    return openDialog(prompt ? 'Edit prompt' : 'New prompt', h('div', {},
        field('Title', title), field('Text', body, 'Variables: {{name}}'),
        h('label', {class: 'check'}, shared, ' Share with every user')), {
        onSubmit: async () => {
            const payload = {title: title.value.trim(), body: body.value, shared: shared.checked};
            if (prompt) await api(`/prompts/${prompt.id}`, {method: 'PATCH', body: payload});
            else await api('/prompts', {method: 'POST', body: payload});
            await done();
        },
    });
}
