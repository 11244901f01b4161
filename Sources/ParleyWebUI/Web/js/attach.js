// Attaching a file or a web page to the open chat: the document goes into the chat's own knowledge
// collection (made on first use and attached to the chat), and every later reply may cite it.

import {h, $, clear, announce} from './dom.js';
import {state, on} from './state.js';
import {api, APIError} from './api.js';
import {ensureChat} from './chat.js';
import {openDialog} from './dialog.js';

/** How often a document still being read is asked about. */
const POLL_MS = 700;

export function setupAttachments() {
    const fileInput = $('#attach-file');
    $('#attach-file-button').addEventListener('click', () => fileInput.click());
    fileInput.addEventListener('change', async () => {
        const file = fileInput.files[0];
        fileInput.value = '';
        if (file) await attach((collection) => upload(collection, file), file.name);
    });
    $('#attach-url-button').addEventListener('click', askForURL);
    on('chat-opened', () => showChatDocuments());
    on('chat-created', () => showChatDocuments());
}

function askForURL() {
    const field = h('input', {type: 'url', name: 'url', required: true, placeholder: 'https://example.com/page',
        'aria-label': 'Address of the page or file'});
    openDialog('Attach a web page', h('label', {}, 'Address', field), {
        submitLabel: 'Attach',
        onSubmit: async () => {
            const url = field.value.trim();
            attach((collection) => api(`/collections/${collection}/documents`, {method: 'POST', body: {url}}), url);
        },
    });
}

/** The chat's own collection: the first one attached to it, or a new one named after the chat. */
async function chatCollection() {
    const chat = await ensureChat();
    const attached = await api(`/chats/${encodeURIComponent(chat.id)}/collections`);
    const ids = (attached.data || attached.items || attached.collection_ids || []).map((c) => c.id || c);
    if (ids.length > 0) return ids[0];
    const collection = await api('/collections', {method: 'POST', body: {name: `Chat: ${chat.title || 'New chat'}`}});
    await api(`/chats/${encodeURIComponent(chat.id)}/collections`, {method: 'PUT', body: {collection_ids: [collection.id]}});
    return collection.id;
}

async function attach(add, label) {
    const chip = chipFor({title: label, status: 'queued'});
    $('#attachments').append(chip);
    try {
        const collection = await chatCollection();
        const document = await add(collection);
        follow(collection, document, chip);
    } catch (failure) {
        update(chip, {title: label, status: 'failed', error: failure.message});
        announce(`Could not attach ${label}: ${failure.message}`, 'error');
    }
}

async function upload(collection, file) {
    const response = await api(`/collections/${collection}/documents?filename=${encodeURIComponent(file.name)}`,
        {method: 'POST', body: file, raw: true, contentType: file.type || 'application/octet-stream'});
    if (!response.ok) {
        const text = await response.text();
        let message = `HTTP ${response.status}`;
        try { message = JSON.parse(text).error.message; } catch { /* not JSON */ }
        throw new APIError(response.status, message);
    }
    return response.json();
}

/** Asks about a document until it is ready or failed, updating its chip. */
async function follow(collection, document, chip) {
    update(chip, document);
    let current = document;
    while (current.status === 'queued' || current.status === 'ingesting') {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        if (!chip.isConnected) return;
        current = await api(`/collections/${collection}/documents/${current.id}`);
        update(chip, current);
    }
}

async function showChatDocuments() {
    const list = $('#attachments');
    clear(list);
    if (!state.chat) return;
    try {
        const attached = await api(`/chats/${encodeURIComponent(state.chat.id)}/collections`);
        const ids = (attached.data || attached.items || attached.collection_ids || []).map((c) => c.id || c);
        for (const id of ids) {
            const documents = await api(`/collections/${id}/documents`);
            for (const document of documents.items || documents.data || []) list.append(chipFor(document));
        }
    } catch { /* a chat without collections, or no knowledge support: nothing to show */ }
}

function chipFor(document) {
    const chip = h('li', {class: 'attachment'});
    update(chip, document);
    return chip;
}

function update(chip, document) {
    clear(chip);
    const status = document.status || 'queued';
    chip.className = `attachment ${status}`;
    chip.dataset.status = status;
    const progress = status === 'ingesting' && document.progress != null ? ` ${Math.round(document.progress * 100)}%` : '';
    // A document whose refresh failed still answers from the content it had: say so beside "ready".
    const refresh = document.refresh_error ? ` (refresh failed: ${document.refresh_error})` : '';
    chip.append(h('span', {class: 'attachment-title'}, document.title || document.url || document.source || 'document'),
        h('span', {class: 'attachment-status'},
            status === 'failed' ? `failed: ${document.error || ''}` : status + progress + refresh));
    chip.title = status === 'failed' ? (document.error || 'failed') : status + refresh;
}
