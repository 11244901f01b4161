// The message box: Enter sends, Shift+Enter breaks the line, Stop aborts the reply, and `/` at the
// start searches the prompt library.

import {h, $, clear} from './dom.js';
import {state, on} from './state.js';
import {send, stopStreaming} from './chat.js';
import {loadPrompts, insertPrompt} from './prompts.js';

let matches = [];
let active = -1;

export function setupComposer() {
    const form = $('#composer');
    const input = $('#composer-input');
    const stop = $('#stop-button');
    const sendButton = $('#send-button');
    const popup = $('#slash-popup');

    form.addEventListener('submit', (event) => {
        event.preventDefault();
        submit();
    });
    stop.addEventListener('click', () => stopStreaming());
    input.addEventListener('keydown', (event) => {
        if (!popup.hidden && matches.length > 0) {
            if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
                event.preventDefault();
                const step = event.key === 'ArrowDown' ? 1 : -1;
                select((active + step + matches.length) % matches.length);
                return;
            }
            if (event.key === 'Enter' || event.key === 'Tab') {
                event.preventDefault();
                choose(matches[Math.max(active, 0)]);
                return;
            }
        }
        if (event.key === 'Escape' && !popup.hidden) { event.preventDefault(); closePopup(); return; }
        if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            submit();
        }
    });
    input.addEventListener('input', () => {
        autosize(input);
        updatePopup(input.value);
    });
    input.addEventListener('blur', () => setTimeout(closePopup, 150));
    on('streaming', (streaming) => {
        stop.hidden = !streaming;
        sendButton.hidden = streaming;
        if (!streaming) input.focus({preventScroll: true});
    });

    function submit() {
        const text = input.value.trim();
        if (!text || state.streaming) return;
        input.value = '';
        autosize(input);
        closePopup();
        send(text);
    }
}

function autosize(input) {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, 240)}px`;
}

async function updatePopup(value) {
    const popup = $('#slash-popup');
    if (!value.startsWith('/') || value.includes('\n')) { closePopup(); return; }
    const query = value.slice(1).toLowerCase();
    const prompts = state.prompts.length ? state.prompts : await loadPrompts();
    matches = prompts.filter((p) => p.title.toLowerCase().includes(query) || p.body.toLowerCase().includes(query)).slice(0, 8);
    clear(popup);
    if (matches.length === 0) {
        popup.append(h('li', {class: 'none', role: 'option', 'aria-disabled': 'true'}, 'No prompt matches'));
    }
    matches.forEach((prompt, index) => {
        popup.append(h('li', {id: `slash-${index}`, role: 'option', class: 'slash-item', dataset: {id: prompt.id},
            onmousedown: (event) => { event.preventDefault(); choose(prompt); }},
        h('strong', {}, prompt.title), h('span', {}, prompt.body.slice(0, 80))));
    });
    popup.hidden = false;
    $('#composer-input').setAttribute('aria-expanded', 'true');
    select(matches.length ? 0 : -1);
}

function select(index) {
    active = index;
    const popup = $('#slash-popup');
    popup.querySelectorAll('[role=option]').forEach((item, i) => item.setAttribute('aria-selected', String(i === index)));
    const input = $('#composer-input');
    if (index >= 0) input.setAttribute('aria-activedescendant', `slash-${index}`);
    else input.removeAttribute('aria-activedescendant');
}

function closePopup() {
    const popup = $('#slash-popup');
    popup.hidden = true;
    matches = [];
    active = -1;
    const input = $('#composer-input');
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
}

function choose(prompt) {
    if (!prompt) return;
    const input = $('#composer-input');
    input.value = '';
    closePopup();
    insertPrompt(prompt);
}

/** Puts text into the message box at the caret (or in place of the selection). */
export function insertIntoComposer(text) {
    const input = $('#composer-input');
    const start = input.selectionStart ?? input.value.length;
    const end = input.selectionEnd ?? input.value.length;
    input.value = input.value.slice(0, start) + text + input.value.slice(end);
    input.focus();
    input.selectionStart = input.selectionEnd = start + text.length;
    autosize(input);
}
