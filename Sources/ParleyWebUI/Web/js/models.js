// The model picker: every model of every provider, grouped by provider, unavailable ones marked.

import {api} from './api.js';
import {h, clear, announce} from './dom.js';
import {state, emit} from './state.js';

export async function loadModels() {
    try {
        const page = await api('/models');
        state.models = page.items || [];
    } catch (error) {
        state.models = [];
        announce(`Could not list the models: ${error.message}`, 'error');
    }
    return state.models;
}

/** The models a chat can use: enabled, and able to chat (embedding models are listed but cannot). */
export function chatModels() {
    return state.models.filter((m) => m.enabled && (m.capabilities || ['chat']).includes('chat'));
}

export function defaultModel() {
    const offered = chatModels();
    return (offered.find((m) => m.is_default) || offered.find((m) => m.available) || offered[0])?.id || null;
}

/** Fills a <select> with the models, by provider; returns it. */
export function fillModelSelect(select, selected) {
    clear(select);
    const groups = new Map();
    for (const model of chatModels()) {
        if (!groups.has(model.provider)) groups.set(model.provider, []);
        groups.get(model.provider).push(model);
    }
    for (const [provider, models] of groups) {
        const group = h('optgroup', {label: provider});
        for (const model of models) {
            const label = (model.display_name || model.name) + (model.available ? '' : ' (unavailable)');
            group.append(h('option', {value: model.id, disabled: !model.available, selected: model.id === selected}, label));
        }
        select.append(group);
    }
    if (selected && !state.models.some((m) => m.id === selected)) {
        select.prepend(h('option', {value: selected, selected: true}, `${selected} (unknown)`));
    }
    return select;
}

/** The picker in the top bar: follows the open chat, and changing it changes the chat's model. */
export function setupPicker(select) {
    select.addEventListener('change', () => emit('model-picked', select.value));
}

export function currentModel() {
    const select = document.getElementById('model-picker');
    return select?.value || state.chat?.settings?.model || defaultModel();
}
