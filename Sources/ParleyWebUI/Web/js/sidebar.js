// The list of chats, newest first (pinned on top), with full-text search and archived chats.

import {api} from './api.js';
import {h, $, clear, announce} from './dom.js';
import {state, on} from './state.js';
import {navigate} from './router.js';

let showArchived = false;
let searchTimer = null;

export function setupSidebar() {
    $('#new-chat').addEventListener('click', () => { navigate('/'); closeOnPhone(); $('#composer-input').focus(); });
    $('#chat-search').addEventListener('input', (event) => {
        clearTimeout(searchTimer);
        searchTimer = setTimeout(() => search(event.target.value.trim()), 200);
    });
    $('#show-archived').addEventListener('change', (event) => { showArchived = event.target.checked; refreshChats(); });
    for (const name of ['chat-created', 'chat-changed', 'chat-opened']) on(name, () => refreshChats());
}

export async function refreshChats() {
    if ($('#chat-search').value.trim()) return;
    try {
        const page = await api(`/chats?limit=100${showArchived ? '&archived=true' : ''}`);
        const chats = page.items || [];
        // Pinned first, each group keeping the server's order (most recently active first).
        const ordered = chats.filter((c) => c.pinned).concat(chats.filter((c) => !c.pinned));
        const list = clear($('#chat-list'));
        if (ordered.length === 0) list.append(h('li', {class: 'empty'}, showArchived ? 'No archived chats.' : 'No chats yet.'));
        for (const chat of ordered) {
            list.append(h('li', {class: `chat-item${chat.id === state.chat?.id ? ' current' : ''}`},
                h('a', {href: `/c/${chat.id}`, dataset: {id: chat.id}, 'aria-current': chat.id === state.chat?.id ? 'page' : null,
                    onclick: (event) => { event.preventDefault(); navigate(`/c/${chat.id}`); closeOnPhone(); }},
                chat.pinned ? h('span', {class: 'pin', 'aria-label': 'pinned'}, '📌 ') : null,
                h('span', {class: 'title'}, chat.title))));
        }
    } catch (error) {
        announce(`Could not list chats: ${error.message}`, 'error');
    }
}

async function search(query) {
    if (!query) { refreshChats(); return; }
    try {
        const page = await api(`/search?q=${encodeURIComponent(query)}&limit=30`);
        const list = clear($('#chat-list'));
        if ((page.items || []).length === 0) list.append(h('li', {class: 'empty'}, 'Nothing found.'));
        for (const hit of page.items || []) {
            list.append(h('li', {class: 'chat-item search-hit'},
                h('a', {href: `/c/${hit.chat_id}`, dataset: {id: hit.chat_id},
                    onclick: (event) => { event.preventDefault(); navigate(`/c/${hit.chat_id}`); closeOnPhone(); }},
                h('span', {class: 'title'}, hit.chat_title),
                h('span', {class: 'snippet'}, hit.snippet))));
        }
    } catch (error) {
        announce(`Search failed: ${error.message}`, 'error');
    }
}

function closeOnPhone() {
    if (window.matchMedia('(max-width: 760px)').matches) {
        document.body.classList.remove('sidebar-open');
        $('#sidebar-toggle').setAttribute('aria-expanded', 'false');
    }
}
