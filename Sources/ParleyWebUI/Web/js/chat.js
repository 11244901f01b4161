// The open chat: loads its branch by windows, renders it, and runs replies (send, regenerate,
// edit) as they stream, token by token.

import {api, streamEvents} from './api.js';
import {h, $, announce} from './dom.js';
import {renderMarkdown} from './markdown.js';
import {messageElement, metaText} from './message-view.js';
import {state, emit, metrics, WINDOW} from './state.js';
import {currentModel} from './models.js';

const actions = {regenerate, edit, switchBranch};
let loadingOlder = false;

const list = () => $('#messages');

/** Opens a chat by id (null: an empty page for a new chat). */
export async function openChat(id) {
    stopStreaming();
    if (!id) {
        state.chat = null;
        state.messages = [];
        state.hasMore = false;
        render();
        emit('chat-opened', null);
        return;
    }
    const detail = await api(`/chats/${encodeURIComponent(id)}?view=branch&limit=${WINDOW}`);
    state.chat = detail.chat;
    state.messages = detail.messages;
    state.hasMore = detail.has_more;
    render();
    emit('chat-opened', state.chat);
}

/** Reads the newest window again (after a reply, or a change of branch) and draws it. */
export async function reloadChat() {
    if (!state.chat) return;
    const detail = await api(`/chats/${encodeURIComponent(state.chat.id)}?view=branch&limit=${WINDOW}`);
    state.chat = detail.chat;
    state.messages = detail.messages;
    state.hasMore = detail.has_more;
    render();
    emit('chat-changed', state.chat);
}

function render() {
    const container = list();
    const fragment = document.createDocumentFragment();
    if (state.hasMore) fragment.append(olderMarker());
    if (state.messages.length === 0) {
        fragment.append(h('div', {class: 'empty-chat'},
            h('p', {}, 'Ask anything. Enter sends, Shift+Enter starts a new line, / finds a saved prompt.')));
    }
    for (const message of state.messages) fragment.append(messageElement(message, actions));
    container.replaceChildren(fragment);
    container.scrollTop = container.scrollHeight;
    $('#chat-title').textContent = state.chat?.title || 'New chat';
    requestAnimationFrame(() => { metrics.chatReadyAt = performance.now(); });
}

function olderMarker() {
    return h('div', {class: 'older'}, h('button', {type: 'button', class: 'load-older', onclick: loadOlder},
        'Show older messages'));
}

/** Prepends the window above the first message shown, keeping the view where it was. */
export async function loadOlder() {
    if (loadingOlder || !state.hasMore || !state.chat || state.messages.length === 0) return;
    loadingOlder = true;
    try {
        const first = state.messages[0].id;
        const detail = await api(`/chats/${encodeURIComponent(state.chat.id)}?view=branch&limit=${WINDOW}&before=${encodeURIComponent(first)}`);
        const container = list();
        const before = container.scrollHeight;
        state.messages = detail.messages.concat(state.messages);
        state.hasMore = detail.has_more;
        const fragment = document.createDocumentFragment();
        if (state.hasMore) fragment.append(olderMarker());
        for (const message of detail.messages) fragment.append(messageElement(message, actions));
        container.querySelector('.older')?.remove();
        container.prepend(fragment);
        container.scrollTop += container.scrollHeight - before;
    } catch (error) {
        announce(`Could not load older messages: ${error.message}`, 'error');
    } finally {
        loadingOlder = false;
    }
}

export function setupScrollBack() {
    list().addEventListener('scroll', () => { if (list().scrollTop < 300) loadOlder(); }, {passive: true});
}

/** Makes a chat for the first message when none is open. */
export async function ensureChat() {
    if (state.chat) return state.chat;
    const model = currentModel();
    const chat = await api('/chats', {method: 'POST', body: {settings: model ? {model} : {}}});
    state.chat = chat;
    state.messages = [];
    emit('chat-created', chat);
    return chat;
}

/** Sends a user message and streams the reply. */
export async function send(text) {
    const chat = await ensureChat();
    const last = state.messages[state.messages.length - 1];
    await runReply(`/chats/${chat.id}/messages`, {content: text, model: currentModel(), ...(last ? {parent_id: last.id} : {})},
        state.messages.length);
}

async function regenerate(message) {
    const index = state.messages.findIndex((m) => m.id === message.id);
    await runReply(`/chats/${state.chat.id}/messages/${message.id}/regenerate`, {model: currentModel()}, index);
}

async function edit(message, text) {
    const index = state.messages.findIndex((m) => m.id === message.id);
    await runReply(`/chats/${state.chat.id}/messages/${message.id}/edit`, {content: text, model: currentModel()}, index);
}

async function switchBranch(message, siblingID) {
    if (state.streaming || !siblingID) return;
    try {
        await api(`/chats/${state.chat.id}/branch`, {method: 'POST', body: {message_id: siblingID}});
        await reloadChat();
        list().querySelector(`[data-id="${CSS.escape(siblingID)}"]`)?.scrollIntoView({block: 'nearest'});
    } catch (error) {
        announce(`Could not switch branch: ${error.message}`, 'error');
    }
}

export function stopStreaming() {
    state.streaming?.abort();
}

/**
 * Streams a reply; the messages from `keep` on are replaced by what the stream brings (the new user
 * message, then the reply). When it ends, the window is read again so branch arrows are current.
 */
async function runReply(path, body, keep) {
    if (state.streaming) return;
    const controller = new AbortController();
    state.streaming = controller;
    emit('streaming', true);
    const container = list();
    // Drop what the new branch replaces.
    const dropped = state.messages.slice(keep);
    state.messages = state.messages.slice(0, keep);
    for (const message of dropped) container.querySelector(`[data-id="${CSS.escape(message.id)}"]`)?.remove();
    container.querySelector('.empty-chat')?.remove();

    let reply = null;
    let replyBody = null;
    let text = '';
    let first = null;
    let scheduled = false;
    const paint = () => {
        scheduled = false;
        if (!replyBody) return;
        replyBody.replaceChildren(renderMarkdown(text));
        const stick = container.scrollHeight - container.scrollTop - container.clientHeight < 80;
        if (stick) container.scrollTop = container.scrollHeight;
        if (first && first.shownAt === null) {
            first.shownAt = performance.now();
            metrics.firstDelta = {...first};
        }
    };
    try {
        await streamEvents(path, body, {signal: controller.signal, onEvent: (name, data, arrivedAt) => {
            if (name === 'message') {
                state.messages.push(data);
                const element = messageElement(data, actions);
                container.append(element);
                container.scrollTop = container.scrollHeight;
                if (data.role === 'assistant') { reply = data; replyBody = element.querySelector('.msg-body'); }
            } else if (name === 'delta') {
                text += data.content;
                if (!first) first = {arrivedAt, shownAt: null};
                if (!scheduled) { scheduled = true; requestAnimationFrame(paint); }
            } else if (name === 'done' || name === 'error') {
                const final = name === 'done' ? data : data.message;
                const old = container.querySelector(`[data-id="${CSS.escape(final.id)}"]`);
                const index = state.messages.findIndex((m) => m.id === final.id);
                if (index >= 0) state.messages[index] = final;
                const element = messageElement(final, actions);
                if (old) old.replaceWith(element); else container.append(element);
                replyBody = null;
                if (name === 'error') announce(`The model failed: ${data.error?.message || 'unknown error'}`, 'error');
            }
        }});
    } catch (error) {
        if (error.name === 'AbortError') {
            if (reply) {
                const element = container.querySelector(`[data-id="${CSS.escape(reply.id)}"]`);
                element?.setAttribute('data-status', 'partial');
                element?.removeAttribute('aria-busy');
                const meta = element?.querySelector('.msg-meta');
                if (meta) meta.textContent = metaText({...reply, status: 'partial'});
            }
            announce('Stopped.');
        } else {
            announce(`Could not send: ${error.message}`, 'error');
        }
    } finally {
        state.streaming = null;
        emit('streaming', false);
    }
    // The server stores a stopped reply as it finishes; give it a moment before reading it back.
    if (controller.signal.aborted) await new Promise((resolve) => setTimeout(resolve, 400));
    try { await reloadChat(); } catch { /* the stream's own state stays on screen */ }
}
