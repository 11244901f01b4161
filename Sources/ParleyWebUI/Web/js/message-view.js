// One message of the chat as an <article>: its text as Markdown, branch arrows, usage, actions.

import {h} from './dom.js';
import {renderMarkdown, safeURL} from './markdown.js';
import {modelLabel} from './state.js';

/**
 * actions: {regenerate(message), edit(message, text), switchBranch(message, siblingID)}.
 */
export function messageElement(message, actions) {
    const mine = message.role === 'user';
    const who = mine ? 'You' : message.role === 'assistant' ? modelLabel(message.model) : message.role;
    const body = h('div', {class: 'msg-body md'});
    body.append(renderMarkdown(message.content));
    if (message.role === 'assistant' && message.content === '' && message.status === 'streaming') {
        body.append(h('span', {class: 'typing', 'aria-hidden': 'true'}, '…'));
    }
    const article = h('article', {
        class: `msg msg-${message.role}${message.status === 'error' ? ' msg-error' : ''}`,
        dataset: {id: message.id, status: message.status},
        'aria-label': mine ? 'Your message' : `Reply from ${who}`,
        'aria-busy': message.status === 'streaming' ? 'true' : null,
    },
    h('div', {class: 'msg-head'}, h('span', {class: 'who'}, who), branchArrows(message, actions)),
    body,
    citations(message),
    message.role === 'assistant' ? h('div', {class: 'msg-meta'}, metaText(message)) : null,
    messageActions(message, actions, body));
    return article;
}

function branchArrows(message, actions) {
    const siblings = message.sibling_ids || [];
    if (siblings.length < 2) return null;
    const index = siblings.indexOf(message.id);
    const go = (offset) => actions.switchBranch(message, siblings[index + offset]);
    return h('span', {class: 'branches', role: 'group', 'aria-label': 'Versions of this message'},
        h('button', {type: 'button', class: 'branch-prev', 'aria-label': 'Previous version', disabled: index <= 0,
            onclick: () => go(-1)}, '‹'),
        h('span', {class: 'branch-pos', 'aria-live': 'polite'}, `${index + 1}/${siblings.length}`),
        h('button', {type: 'button', class: 'branch-next', 'aria-label': 'Next version',
            disabled: index >= siblings.length - 1, onclick: () => go(1)}, '›'));
}

/** "12 tokens · 0.4 s · 30.0 tokens/s", and how the reply ended when it did not complete. */
export function metaText(message) {
    const parts = [];
    const tokens = message.usage?.completion_tokens;
    if (message.usage) parts.push(`${message.usage.prompt_tokens} → ${tokens} tokens`);
    if (message.latency_ms != null) parts.push(message.latency_ms < 1000
        ? `${message.latency_ms} ms` : `${(message.latency_ms / 1000).toFixed(1)} s`);
    if (tokens && message.latency_ms) parts.push(`${(tokens / (message.latency_ms / 1000)).toFixed(1)} tokens/s`);
    if (message.status === 'partial') parts.push('stopped');
    if (message.status === 'error') parts.push(`error: ${message.error || 'the model failed'}`);
    if (message.status === 'streaming') parts.push('writing…');
    return parts.join(' · ');
}

function citations(message) {
    if (!Array.isArray(message.citations) || message.citations.length === 0) return null;
    const list = h('ol', {class: 'citations', 'aria-label': 'Sources'});
    for (const cite of message.citations) {
        const where = [cite.page != null ? `p. ${cite.page}` : null, cite.row != null ? `row ${cite.row}` : null,
            cite.heading || null].filter(Boolean).join(', ');
        const url = cite.url ? safeURL(cite.url) : null;
        const title = cite.title || cite.document_id || 'source';
        list.append(h('li', {value: cite.index ?? null},
            url ? h('a', {href: url, target: '_blank', rel: 'noopener noreferrer'}, title) : h('strong', {}, title),
            where ? ` (${where})` : '',
            cite.snippet ? h('div', {class: 'snippet'}, cite.snippet) : null));
    }
    return h('details', {class: 'citations-box'}, h('summary', {}, `Sources (${message.citations.length})`), list);
}

function messageActions(message, actions, body) {
    if (message.status === 'streaming') return null;
    const bar = h('div', {class: 'msg-actions'});
    bar.append(h('button', {type: 'button', class: 'copy-msg', 'aria-label': 'Copy message', onclick: async (event) => {
        try { await navigator.clipboard.writeText(message.content); event.target.textContent = 'Copied'; } catch { /* denied */ }
    }}, 'Copy'));
    if (message.role === 'assistant') {
        bar.append(h('button', {type: 'button', class: 'regenerate', onclick: () => actions.regenerate(message)}, 'Regenerate'));
    }
    if (message.role === 'user') {
        bar.append(h('button', {type: 'button', class: 'edit', onclick: () => startEdit(message, actions, body, bar)}, 'Edit'));
    }
    return bar;
}

function startEdit(message, actions, body, bar) {
    const input = h('textarea', {class: 'edit-input', 'aria-label': 'Edit your message', rows: '4'});
    input.value = message.content;
    const form = h('form', {class: 'edit-form'}, input,
        h('div', {class: 'row'},
            h('button', {type: 'submit', class: 'primary save-edit'}, 'Save & send'),
            h('button', {type: 'button', class: 'cancel-edit', onclick: () => finish()}, 'Cancel')));
    const finish = () => { form.remove(); body.hidden = false; bar.hidden = false; };
    form.addEventListener('submit', (event) => {
        event.preventDefault();
        const text = input.value.trim();
        if (!text) return;
        finish();
        actions.edit(message, text);
    });
    input.addEventListener('keydown', (event) => {
        if (event.key === 'Escape') finish();
        if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) { event.preventDefault(); form.requestSubmit(); }
    });
    body.hidden = true;
    bar.hidden = true;
    body.after(form);
    input.focus();
}
