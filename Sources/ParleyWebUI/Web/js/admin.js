// Administration: providers (add, edit, test, disable), models (enable, display name, default,
// aliases), users. API keys of any user are managed from a user's row.

import {api} from './api.js';
import {h, $, clear, field, announce} from './dom.js';
import {openDialog, confirmDialog} from './dialog.js';
import {state, isAdmin} from './state.js';
import {loadModels} from './models.js';
import {keysSection} from './keys.js';

const KINDS = ['openai-compatible', 'azure-openai', 'ollama', 'embedded'];

export function showAdminPage() {
    const view = $('#admin-view');
    if (!isAdmin()) {
        clear(view).append(h('h2', {}, 'Administration'), h('p', {}, 'Only administrators can see this page.'));
        return;
    }
    const tabs = [['providers', 'Providers', providersPanel], ['models', 'Models', modelsPanel], ['users', 'Users', usersPanel]];
    const panel = h('div', {class: 'tab-panel', role: 'tabpanel', id: 'admin-panel'});
    const tabList = h('div', {role: 'tablist', class: 'tabs', 'aria-label': 'Administration'});
    const select = (key) => {
        for (const button of tabList.children) button.setAttribute('aria-selected', String(button.dataset.tab === key));
        const [, , make] = tabs.find(([k]) => k === key);
        clear(panel).append(make());
    };
    for (const [key, label] of tabs) {
        tabList.append(h('button', {type: 'button', role: 'tab', dataset: {tab: key}, id: `tab-${key}`,
            'aria-controls': 'admin-panel', onclick: () => select(key)}, label));
    }
    tabList.addEventListener('keydown', (event) => {
        if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
        const buttons = [...tabList.children];
        const index = buttons.indexOf(document.activeElement);
        const next = buttons[(index + (event.key === 'ArrowRight' ? 1 : -1) + buttons.length) % buttons.length];
        next.focus();
        next.click();
    });
    clear(view).append(h('div', {class: 'page-head'}, h('h2', {}, 'Administration')), tabList, panel);
    select('providers');
}

function table(headers, body) {
    return h('table', {class: 'table'}, h('thead', {}, h('tr', {}, headers.map((t) => h('th', {scope: 'col'}, t)))), body);
}

function providersPanel() {
    const body = h('tbody');
    async function refresh() {
        const page = await api('/providers');
        clear(body);
        for (const provider of page.items || []) {
            const status = h('span', {class: 'status'});
            body.append(h('tr', {dataset: {name: provider.name}},
                h('td', {}, provider.name), h('td', {}, provider.kind), h('td', {}, provider.base_url || '—'),
                h('td', {}, provider.enabled ? 'enabled' : 'disabled'), h('td', {}, status),
                h('td', {class: 'actions'},
                    h('button', {type: 'button', onclick: async () => {
                        status.textContent = 'testing…';
                        const result = await api(`/providers/${provider.id}/test`, {method: 'POST'});
                        status.textContent = result.ok ? `ok, ${result.models.length} models` : `failed: ${result.error}`;
                    }}, 'Test'),
                    h('button', {type: 'button', onclick: () => editProvider(provider, refresh)}, 'Edit'),
                    h('button', {type: 'button', onclick: async () => {
                        await api(`/providers/${provider.id}`, {method: 'PATCH', body: {enabled: !provider.enabled}});
                        await loadModels();
                        refresh();
                    }}, provider.enabled ? 'Disable' : 'Enable'),
                    h('button', {type: 'button', class: 'danger', onclick: async () => {
                        if (!(await confirmDialog(`Remove provider “${provider.name}”?`, 'Remove'))) return;
                        await api(`/providers/${provider.id}`, {method: 'DELETE'});
                        refresh();
                    }}, 'Remove'))));
        }
    }
    refresh().catch((error) => announce(error.message, 'error'));
    return h('section', {}, h('div', {class: 'row'}, h('button', {type: 'button', class: 'primary', onclick: () => editProvider(null, refresh)}, 'Add provider')),
        table(['Name', 'Kind', 'Base URL', 'State', 'Connection', ''], body));
}

function editProvider(provider, done) {
    const name = h('input', {type: 'text', required: true, value: provider?.name || ''});
    const kind = h('select', {}, KINDS.map((k) => h('option', {value: k, selected: provider?.kind === k}, k)));
    const baseURL = h('input', {type: 'url', value: provider?.base_url || '', placeholder: 'https://…'});
    const apiKey = h('input', {type: 'password', autocomplete: 'off',
        placeholder: provider?.has_api_key ? '(unchanged)' : ''});
    const version = h('input', {type: 'text', value: provider?.api_version || ''});
    const deployments = h('input', {type: 'text', value: (provider?.deployments || []).join(', ')});
    const enabled = h('input', {type: 'checkbox', checked: provider ? provider.enabled : true});
    return openDialog(provider ? `Edit ${provider.name}` : 'Add provider', h('div', {},
        field('Name', name), field('Kind', kind), field('Base URL', baseURL), field('API key', apiKey, 'write-only'),
        field('API version (Azure)', version), field('Deployments (Azure)', deployments, 'comma-separated'),
        h('label', {class: 'check'}, enabled, ' Enabled')), {
        onSubmit: async () => {
            const body = {name: name.value.trim(), kind: kind.value, base_url: baseURL.value.trim() || null,
                api_version: version.value.trim() || null,
                deployments: deployments.value.split(',').map((d) => d.trim()).filter(Boolean), enabled: enabled.checked};
            if (apiKey.value) body.api_key = apiKey.value;
            if (provider) await api(`/providers/${provider.id}`, {method: 'PATCH', body});
            else await api('/providers', {method: 'POST', body});
            await loadModels();
            await done();
        },
    });
}

function modelsPanel() {
    const body = h('tbody');
    const aliases = h('tbody');
    async function refresh() {
        await loadModels();
        clear(body);
        for (const model of state.models) {
            const display = h('input', {type: 'text', value: model.display_name || '', 'aria-label': `Display name of ${model.id}`});
            const enabled = h('input', {type: 'checkbox', checked: model.enabled, 'aria-label': `Offer ${model.id}`});
            const save = () => api(`/models/${encodeURIComponent(model.provider)}/${encodeURIComponent(model.name)}`, {
                method: 'PUT', body: {display_name: display.value.trim() || null, enabled: enabled.checked},
            }).then(() => announce(`Saved ${model.id}.`)).catch((error) => announce(error.message, 'error'));
            display.addEventListener('change', save);
            enabled.addEventListener('change', save);
            body.append(h('tr', {},
                h('td', {}, model.id), h('td', {}, model.available ? 'yes' : 'no'), h('td', {}, enabled), h('td', {}, display),
                h('td', {}, model.is_default ? h('strong', {}, 'default') : h('button', {type: 'button', onclick: async () => {
                    await api('/settings', {method: 'PATCH', body: {default_model: model.id}});
                    refresh();
                }}, 'Make default'))));
        }
        const page = await api('/aliases');
        clear(aliases);
        for (const alias of page.items || []) {
            aliases.append(h('tr', {}, h('td', {}, alias.alias), h('td', {}, alias.target), h('td', {}, alias.source),
                h('td', {}, h('button', {type: 'button', class: 'danger', onclick: async () => {
                    await api(`/aliases/${encodeURIComponent(alias.alias)}`, {method: 'DELETE'});
                    refresh();
                }}, 'Remove'))));
        }
    }
    const alias = h('input', {type: 'text', 'aria-label': 'Alias', placeholder: 'alias'});
    const target = h('input', {type: 'text', 'aria-label': 'Target model', placeholder: 'provider/model'});
    refresh().catch((error) => announce(error.message, 'error'));
    return h('section', {}, table(['Model', 'Available', 'Offered', 'Display name', 'Default'], body),
        h('h3', {}, 'Aliases'), table(['Alias', 'Model', 'Source', ''], aliases),
        h('div', {class: 'row'}, alias, target, h('button', {type: 'button', onclick: async () => {
            try {
                await api(`/aliases/${encodeURIComponent(alias.value.trim())}`, {method: 'PUT', body: {target: target.value.trim()}});
                alias.value = target.value = '';
                refresh();
            } catch (error) { announce(error.message, 'error'); }
        }}, 'Add alias')));
}

function usersPanel() {
    const body = h('tbody');
    const keys = h('div');
    async function refresh() {
        const page = await api('/users?limit=200');
        clear(body);
        for (const user of page.items || []) {
            body.append(h('tr', {}, h('td', {}, user.username), h('td', {}, user.display_name), h('td', {}, user.role),
                h('td', {class: 'actions'},
                    h('button', {type: 'button', onclick: () => clear(keys).append(keysSection(user.id))}, 'Keys'),
                    h('button', {type: 'button', onclick: async () => {
                        await api(`/users/${user.id}`, {method: 'PATCH', body: {role: user.role === 'admin' ? 'user' : 'admin'}});
                        refresh();
                    }}, user.role === 'admin' ? 'Make user' : 'Make admin'),
                    h('button', {type: 'button', class: 'danger', onclick: async () => {
                        if (!(await confirmDialog(`Remove user “${user.username}”?`, 'Remove'))) return;
                        await api(`/users/${user.id}`, {method: 'DELETE'}).catch((error) => announce(error.message, 'error'));
                        refresh();
                    }}, 'Remove'))));
        }
    }
    refresh().catch((error) => announce(error.message, 'error'));
    return h('section', {}, h('div', {class: 'row'}, h('button', {type: 'button', class: 'primary', onclick: () => addUser(refresh)}, 'Add user')),
        table(['Username', 'Name', 'Role', ''], body), keys);
}

function addUser(done) {
    const username = h('input', {type: 'text', required: true, autocomplete: 'off'});
    const display = h('input', {type: 'text'});
    const role = h('select', {}, h('option', {value: 'user'}, 'user'), h('option', {value: 'admin'}, 'admin'));
    const password = h('input', {type: 'password', autocomplete: 'new-password'});
    return openDialog('Add user', h('div', {}, field('Username', username), field('Display name', display), field('Role', role),
        field('Password', password, 'for sign-in in local mode')), {
        onSubmit: async () => {
            const body = {username: username.value.trim(), role: role.value};
            if (display.value.trim()) body.display_name = display.value.trim();
            if (password.value) body.password = password.value;
            await api('/users', {method: 'POST', body});
            await done();
        },
    });
}
