// API keys (/api/v1/keys, once sign-in exists): list, create (the secret is shown once), revoke.

import {api} from './api.js';
import {h, clear, field, formatTime, announce} from './dom.js';
import {openDialog, confirmDialog} from './dialog.js';

/** A section managing the caller's keys, or a user's keys for admins (`userID`). */
export function keysSection(userID) {
    const list = h('tbody');
    const section = h('section', {class: 'panel', 'aria-labelledby': 'keys-heading'},
        h('div', {class: 'page-head'}, h('h3', {id: 'keys-heading'}, 'API keys'),
            h('button', {type: 'button', id: 'new-key', onclick: create}, 'New key')),
        h('table', {class: 'table'}, h('thead', {}, h('tr', {}, ['Name', 'Prefix', 'Scopes', 'Expires', 'Last used', ''].map((t) => h('th', {scope: 'col'}, t)))), list));
    const query = userID ? `?user_id=${encodeURIComponent(userID)}` : '';
    async function refresh() {
        clear(list);
        try {
            const page = await api(`/keys${query}`);
            const keys = page.data || page.items || [];
            if (keys.length === 0) list.append(h('tr', {}, h('td', {colspan: '6', class: 'empty'}, 'No keys.')));
            for (const key of keys) {
                list.append(h('tr', {},
                    h('td', {}, key.name), h('td', {}, h('code', {}, key.prefix || '')), h('td', {}, (key.scopes || []).join(', ') || 'all'),
                    h('td', {}, key.expires_at ? formatTime(key.expires_at) : 'never'),
                    h('td', {}, key.last_used_at ? formatTime(key.last_used_at) : '—'),
                    h('td', {}, key.revoked_at ? 'revoked' : h('button', {type: 'button', class: 'danger', onclick: async () => {
                        if (!(await confirmDialog(`Revoke “${key.name}”?`, 'Revoke'))) return;
                        await api(`/keys/${key.id}`, {method: 'DELETE'});
                        refresh();
                    }}, 'Revoke'))));
            }
        } catch (error) {
            const text = error.status === 404 ? 'API keys arrive with sign-in (auth); this server has none yet.' : error.message;
            list.append(h('tr', {}, h('td', {colspan: '6', class: 'empty'}, text)));
        }
    }
    async function create() {
        const name = h('input', {type: 'text', required: true});
        const expires = h('input', {type: 'date'});
        const scopes = ['chat', 'embeddings', 'admin'].map((scope) => h('label', {class: 'check'},
            h('input', {type: 'checkbox', value: scope, checked: scope === 'chat'}), ` ${scope}`));
        await openDialog('New API key', h('div', {}, field('Name', name), field('Expires (optional)', expires),
            h('fieldset', {}, h('legend', {}, 'Scopes'), scopes)), {
            submitLabel: 'Create',
            onSubmit: async () => {
                const body = {name: name.value.trim(),
                    scopes: scopes.map((l) => l.querySelector('input')).filter((i) => i.checked).map((i) => i.value)};
                if (expires.value) body.expires_at = new Date(`${expires.value}T23:59:59Z`).toISOString();
                if (userID) body.user_id = userID;
                const created = await api('/keys', {method: 'POST', body});
                setTimeout(() => showSecret(created.secret), 0);
                refresh();
            },
        });
    }
    refresh();
    return section;
}

function showSecret(secret) {
    const output = h('input', {type: 'text', readonly: true, value: secret, class: 'secret', 'aria-label': 'The new key'});
    openDialog('Your new key', h('div', {}, h('p', {}, 'Copy it now: it is not shown again.'), output,
        h('button', {type: 'button', onclick: async () => {
            try { await navigator.clipboard.writeText(secret); announce('Copied.'); } catch { output.select(); }
        }}, 'Copy')));
}
