// The open chat's own actions: rename, pin, archive, delete, export.

import {api} from './api.js';
import {h, $, field, announce} from './dom.js';
import {openDialog, confirmDialog} from './dialog.js';
import {state, emit, on} from './state.js';
import {navigate} from './router.js';
import {openSettings} from './settings.js';

export function setupChatActions() {
    $('#chat-settings').addEventListener('click', () => openSettings());
    $('#chat-rename').addEventListener('click', rename);
    $('#chat-pin').addEventListener('click', () => toggle('pinned'));
    $('#chat-archive').addEventListener('click', () => toggle('archived'));
    $('#chat-delete').addEventListener('click', remove);
    $('#chat-export').addEventListener('click', exportChat);
    const update = () => {
        const chat = state.chat;
        for (const id of ['#chat-rename', '#chat-pin', '#chat-archive', '#chat-delete', '#chat-export']) $(id).disabled = !chat;
        $('#chat-pin').textContent = chat?.pinned ? 'Unpin' : 'Pin';
        $('#chat-pin').setAttribute('aria-pressed', String(!!chat?.pinned));
        $('#chat-archive').textContent = chat?.archived ? 'Unarchive' : 'Archive';
        $('#chat-title').textContent = chat?.title || 'New chat';
    };
    for (const name of ['chat-opened', 'chat-changed', 'chat-created']) on(name, update);
    update();
}

async function rename() {
    if (!state.chat) return;
    const input = h('input', {type: 'text', name: 'title', required: true, maxlength: '500', value: state.chat.title});
    await openDialog('Rename chat', field('Title', input), {
        onSubmit: async () => {
            state.chat = await api(`/chats/${state.chat.id}`, {method: 'PATCH', body: {title: input.value.trim()}});
            emit('chat-changed', state.chat);
        },
    });
}

async function toggle(key) {
    if (!state.chat) return;
    try {
        state.chat = await api(`/chats/${state.chat.id}`, {method: 'PATCH', body: {[key]: !state.chat[key]}});
        emit('chat-changed', state.chat);
        announce(key === 'pinned' ? (state.chat.pinned ? 'Pinned.' : 'Unpinned.') : (state.chat.archived ? 'Archived.' : 'Back from the archive.'));
    } catch (error) {
        announce(error.message, 'error');
    }
}

async function remove() {
    if (!state.chat || !(await confirmDialog(`Delete “${state.chat.title}”?`))) return;
    await api(`/chats/${state.chat.id}`, {method: 'DELETE'});
    state.chat = null;
    navigate('/');
    emit('chat-changed', null);
}

async function exportChat() {
    if (!state.chat) return;
    const response = await api(`/chats/${state.chat.id}/export?format=json`, {raw: true});
    if (!response.ok) { announce('Export failed', 'error'); return; }
    download(await response.blob(), `${state.chat.title.replace(/[^\w. -]+/g, '_').slice(0, 80) || 'chat'}.json`);
}

export function download(blob, name) {
    const url = URL.createObjectURL(blob);
    const anchor = h('a', {href: url, download: name});
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
}
