// Every user's own page: API keys, instruction records, import of chats.

import {api} from './api.js';
import {h, $, clear, field, formatTime, announce} from './dom.js';
import {confirmDialog} from './dialog.js';
import {state} from './state.js';
import {keysSection} from './keys.js';
import {navigate} from './router.js';

export function showAccountPage() {
    const user = state.session.user;
    const view = $('#account-view');
    clear(view).append(
        h('div', {class: 'page-head'}, h('h2', {}, 'Account'),
            user ? h('span', {class: 'hint'}, `${user.display_name || user.username} (${user.role})`) : null),
        profileSection(),
        keysSection(null),
        importSection(),
        recordsSection());
}

/** Display name and instruction records for everyone; the password in auth mode local. */
function profileSection() {
    const user = state.session.user || {};
    const name = h('input', {type: 'text', id: 'profile-name', maxlength: '200', value: user.display_name || ''});
    const record = h('input', {type: 'checkbox', id: 'profile-record', checked: !!user.record_instructions});
    const status = h('p', {class: 'hint', role: 'status'});
    const form = h('form', {class: 'panel', 'aria-labelledby': 'profile-heading'},
        h('h3', {id: 'profile-heading'}, 'Profile'),
        field('Display name', name),
        h('label', {class: 'check'}, record, ' Keep a record of what I ask the models (instruction records)'),
        h('div', {class: 'row'}, h('button', {type: 'submit', class: 'primary'}, 'Save')), status);
    form.addEventListener('submit', async (event) => {
        event.preventDefault();
        try {
            state.session.user = await api('/me', {method: 'PATCH', body: {
                display_name: name.value.trim() || null, record_instructions: record.checked,
            }});
            status.textContent = 'Saved.';
        } catch (error) {
            status.textContent = error.message;
        }
    });
    if (state.session.mode !== 'local') return form;
    const current = h('input', {type: 'password', id: 'password-current', autocomplete: 'current-password'});
    const next = h('input', {type: 'password', id: 'password-new', autocomplete: 'new-password', minlength: '8'});
    const changed = h('p', {class: 'hint', role: 'status'});
    const password = h('form', {class: 'panel', 'aria-labelledby': 'password-heading'},
        h('h3', {id: 'password-heading'}, 'Password'), field('Current password', current), field('New password', next),
        h('div', {class: 'row'}, h('button', {type: 'submit'}, 'Change password')), changed);
    password.addEventListener('submit', async (event) => {
        event.preventDefault();
        try {
            await api('/me', {method: 'PATCH', body: {password: next.value, current_password: current.value}});
            current.value = next.value = '';
            changed.textContent = 'Password changed.';
        } catch (error) {
            changed.textContent = error.message;
        }
    });
    return h('div', {}, form, password);
}

function importSection() {
    const file = h('input', {type: 'file', id: 'import-file', accept: 'application/json,.json'});
    const result = h('p', {class: 'hint', role: 'status'});
    return h('section', {class: 'panel', 'aria-labelledby': 'import-heading'},
        h('h3', {id: 'import-heading'}, 'Import and export chats'),
        h('p', {class: 'hint'}, 'Import a Parley chat export (.json) or ChatGPT’s conversations.json. Export a chat from its page (Export).'),
        h('label', {for: 'import-file'}, 'File to import '), file,
        h('button', {type: 'button', id: 'import-button', onclick: async () => {
            const chosen = file.files?.[0];
            if (!chosen) { file.focus(); return; }
            try {
                const page = await api('/chats/import', {method: 'POST', body: await chosen.text()});
                const chats = page.items || [];
                result.textContent = `Imported ${chats.length} chat${chats.length === 1 ? '' : 's'}.`;
                if (chats[0]) navigate(`/c/${chats[0].id}`);
            } catch (error) {
                result.textContent = `Import failed: ${error.message}`;
            }
        }}, 'Import'),
        result);
}

function recordsSection() {
    const body = h('tbody');
    const section = h('section', {class: 'panel', 'aria-labelledby': 'records-heading'},
        h('div', {class: 'page-head'}, h('h3', {id: 'records-heading'}, 'Instruction records'),
            h('button', {type: 'button', class: 'danger', onclick: async () => {
                if (!(await confirmDialog('Delete all your instruction records?'))) return;
                const result = await api('/records', {method: 'DELETE'});
                announce(`Deleted ${result.deleted} records.`);
                refresh();
            }}, 'Delete all')),
        h('p', {class: 'hint'}, 'What you asked of the models, kept when instruction records are on for you.'),
        h('table', {class: 'table'}, h('thead', {}, h('tr', {}, ['When', 'Action', 'Model', 'Outcome'].map((t) => h('th', {scope: 'col'}, t)))), body));
    async function refresh() {
        clear(body);
        try {
            const page = await api('/records?limit=50');
            if ((page.items || []).length === 0) body.append(h('tr', {}, h('td', {colspan: '4', class: 'empty'}, 'No records.')));
            for (const record of page.items || []) {
                body.append(h('tr', {}, h('td', {}, formatTime(record.created_at)), h('td', {}, record.action),
                    h('td', {}, record.model || ''), h('td', {}, record.outcome)));
            }
        } catch (error) {
            body.append(h('tr', {}, h('td', {colspan: '4'}, error.message)));
        }
    }
    refresh();
    return section;
}
