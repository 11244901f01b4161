// Per-chat settings (system prompt, temperature, top_p, max tokens, stop) and per-model presets:
// save the form as a preset, apply one, make one the model's default.

import {api} from './api.js';
import {h, field, clear, announce} from './dom.js';
import {openDialog} from './dialog.js';
import {state, emit, modelLabel} from './state.js';
import {currentModel} from './models.js';
import {ensureChat} from './chat.js';

const number = (input) => (input.value.trim() === '' ? null : Number(input.value));

export async function openSettings() {
    const chat = state.chat;
    const settings = chat?.settings || {parameters: {}};
    const parameters = settings.parameters || {};
    const model = currentModel();
    const system = h('textarea', {name: 'system_prompt', rows: '4', id: 'set-system'});
    system.value = settings.system_prompt || '';
    const temperature = h('input', {type: 'number', name: 'temperature', id: 'set-temperature', min: '0', max: '2', step: '0.05',
        value: parameters.temperature ?? ''});
    const topP = h('input', {type: 'number', name: 'top_p', id: 'set-top-p', min: '0', max: '1', step: '0.05', value: parameters.top_p ?? ''});
    const maxTokens = h('input', {type: 'number', name: 'max_tokens', id: 'set-max-tokens', min: '1', step: '1',
        value: parameters.max_tokens ?? ''});
    const stop = h('input', {type: 'text', name: 'stop', id: 'set-stop',
        value: [].concat(parameters.stop ?? []).join(', ')});
    const fill = (values) => {
        system.value = values.system_prompt ?? '';
        temperature.value = values.temperature ?? '';
        topP.value = values.top_p ?? '';
        maxTokens.value = values.max_tokens ?? '';
        stop.value = [].concat(values.stop ?? []).join(', ');
    };
    const read = () => {
        const stops = stop.value.split(',').map((s) => s.trim()).filter(Boolean);
        return {
            system_prompt: system.value.trim() || null,
            temperature: number(temperature), top_p: number(topP), max_tokens: number(maxTokens),
            stop: stops.length ? stops : null,
        };
    };

    const presetList = h('ul', {class: 'preset-list', id: 'preset-list', 'aria-label': `Presets for ${modelLabel(model)}`});
    const presetName = h('input', {type: 'text', id: 'preset-name', maxlength: '100', placeholder: 'Name'});
    const presetDefault = h('input', {type: 'checkbox', id: 'preset-default'});
    async function refreshPresets() {
        const page = await api(`/presets?model=${encodeURIComponent(model)}`);
        clear(presetList);
        if ((page.items || []).length === 0) presetList.append(h('li', {class: 'empty'}, 'No presets for this model yet.'));
        for (const preset of page.items || []) {
            presetList.append(h('li', {class: 'preset', dataset: {id: preset.id, name: preset.name}},
                h('span', {class: 'preset-name'}, preset.name), preset.is_default ? h('span', {class: 'badge'}, 'default') : null,
                h('button', {type: 'button', class: 'apply-preset', onclick: () => {
                    fill(preset.parameters || {});
                    announce(`Applied “${preset.name}”; save to keep it.`);
                }}, 'Apply'),
                preset.is_default ? null : h('button', {type: 'button', class: 'default-preset', onclick: async () => {
                    await api(`/presets/${preset.id}`, {method: 'PATCH', body: {is_default: true}});
                    refreshPresets();
                }}, 'Make default'),
                h('button', {type: 'button', class: 'danger delete-preset', 'aria-label': `Delete preset ${preset.name}`, onclick: async () => {
                    await api(`/presets/${preset.id}`, {method: 'DELETE'});
                    refreshPresets();
                }}, 'Delete')));
        }
    }
    const savePreset = h('button', {type: 'button', id: 'save-preset', onclick: async () => {
        const name = presetName.value.trim();
        if (!name) { presetName.focus(); return; }
        const values = Object.fromEntries(Object.entries(read()).filter(([, v]) => v !== null));
        try {
            await api('/presets', {method: 'POST', body: {model, name, parameters: values, is_default: presetDefault.checked}});
            presetName.value = '';
            presetDefault.checked = false;
            await refreshPresets();
            announce(`Saved preset “${name}”.`);
        } catch (error) {
            announce(error.message, 'error');
        }
    }}, 'Save as preset');

    // Enter in the preset's name saves the preset, not the whole dialog.
    presetName.addEventListener('keydown', (event) => {
        if (event.key === 'Enter') { event.preventDefault(); savePreset.click(); }
    });
    const content = h('div', {class: 'settings-form'},
        field('System prompt', system),
        h('div', {class: 'grid'}, field('Temperature', temperature, '0 to 2'), field('Top p', topP, '0 to 1'),
            field('Max tokens', maxTokens), field('Stop', stop, 'comma-separated')),
        h('section', {class: 'presets', 'aria-labelledby': 'presets-heading'},
            h('h3', {id: 'presets-heading'}, `Presets for ${modelLabel(model)}`), presetList,
            h('div', {class: 'row'}, h('label', {for: 'preset-name', class: 'visually-hidden'}, 'Preset name'), presetName,
                h('label', {class: 'check'}, presetDefault, ' default for this model'), savePreset)));
    refreshPresets().catch((error) => announce(error.message, 'error'));
    await openDialog('Chat settings', content, {
        id: 'settings-dialog', wide: true,
        onSubmit: async () => {
            const values = read();
            const target = await ensureChat();
            const parameters = {...(target.settings?.parameters || {})};
            for (const key of ['temperature', 'top_p', 'max_tokens', 'stop']) {
                if (values[key] === null) delete parameters[key]; else parameters[key] = values[key];
            }
            state.chat = await api(`/chats/${target.id}`, {method: 'PATCH', body: {settings: {
                model: target.settings?.model ?? model, system_prompt: values.system_prompt, parameters,
            }}});
            emit('chat-changed', state.chat);
            announce('Settings saved.');
        },
    });
}
