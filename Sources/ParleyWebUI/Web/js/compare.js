// Compare: one prompt to 2–4 models side by side, all streaming at once. The replies are siblings
// in one chat, so continuing with one is choosing its branch.

import {api, streamEvents} from './api.js';
import {h, $, clear, field, announce} from './dom.js';
import {renderMarkdown} from './markdown.js';
import {metaText} from './message-view.js';
import {state, emit} from './state.js';
import {navigate} from './router.js';
import {chatModels, currentModel} from './models.js';

let running = [];

export function showComparePage() {
    const view = $('#compare-view');
    const offered = chatModels();
    const preferred = [currentModel(), ...offered.filter((m) => m.available).map((m) => m.id)];
    const picks = new Set(preferred.filter(Boolean).slice(0, 2));
    const boxes = offered.map((model) => h('label', {class: 'check model-check'},
        h('input', {type: 'checkbox', name: 'model', value: model.id, checked: picks.has(model.id), disabled: !model.available}),
        ` ${model.display_name || model.id}${model.available ? '' : ' (unavailable)'}`));
    const prompt = h('textarea', {id: 'compare-input', rows: '3', required: true});
    const columns = h('div', {class: 'compare-columns', id: 'compare-columns'});
    const form = h('form', {class: 'compare-form'},
        h('fieldset', {}, h('legend', {}, 'Models (2 to 4)'), h('div', {class: 'model-checks'}, boxes)),
        field('Prompt', prompt),
        h('div', {class: 'row'}, h('button', {type: 'submit', class: 'primary', id: 'compare-send'}, 'Send to all'),
            h('button', {type: 'button', id: 'compare-stop', onclick: stopAll}, 'Stop')));
    prompt.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) { event.preventDefault(); form.requestSubmit(); }
    });
    form.addEventListener('submit', (event) => {
        event.preventDefault();
        const models = [...form.querySelectorAll('input[name=model]:checked')].map((box) => box.value);
        if (models.length < 2 || models.length > 4) { announce('Choose 2 to 4 models.', 'error'); return; }
        if (!prompt.value.trim()) return;
        run(prompt.value.trim(), models, columns);
    });
    clear(view).append(h('div', {class: 'page-head'}, h('h2', {}, 'Compare models')), form, columns);
}

function stopAll() {
    for (const controller of running) controller.abort();
    running = [];
}

async function run(text, models, columns) {
    stopAll();
    const chat = await api('/chats', {method: 'POST', body: {settings: {model: models[0]}}});
    emit('chat-changed', chat); // the sidebar lists it
    const panes = models.map((model) => {
        const body = h('div', {class: 'msg-body md'}, h('span', {class: 'typing'}, '…'));
        const meta = h('div', {class: 'msg-meta'});
        const choose = h('button', {type: 'button', class: 'primary choose-reply', disabled: true}, 'Continue with this reply');
        const pane = h('section', {class: 'compare-pane', dataset: {model}, 'aria-label': `Reply from ${model}`},
            h('h3', {}, model), body, meta, choose);
        return {model, pane, body, meta, choose, text: '', replyID: null};
    });
    clear(columns).append(...panes.map((p) => p.pane));
    const stream = (pane, path, payload, onUserMessage) => {
        const controller = new AbortController();
        running.push(controller);
        let scheduled = false;
        return streamEvents(path, payload, {signal: controller.signal, onEvent: (name, data) => {
            if (name === 'message' && data.role === 'user') onUserMessage?.(data);
            if (name === 'message' && data.role === 'assistant') pane.replyID = data.id;
            if (name === 'delta') {
                pane.text += data.content;
                if (!scheduled) {
                    scheduled = true;
                    requestAnimationFrame(() => { scheduled = false; pane.body.replaceChildren(renderMarkdown(pane.text)); });
                }
            }
            if (name === 'done' || name === 'error') {
                const final = name === 'done' ? data : data.message;
                pane.body.replaceChildren(renderMarkdown(final.content));
                pane.meta.textContent = metaText(final);
            }
        }}).catch((error) => {
            if (error.name !== 'AbortError') pane.meta.textContent = `error: ${error.message}`;
        }).finally(() => {
            if (pane.replyID) {
                pane.choose.disabled = false;
                pane.choose.onclick = () => choose(chat, pane.replyID);
            }
        });
    };
    const [first, ...others] = panes;
    let userMessageSeen;
    const userMessage = new Promise((resolve) => { userMessageSeen = resolve; });
    const firstDone = stream(first, `/chats/${chat.id}/messages`, {content: text, model: first.model}, userMessageSeen);
    // The other models answer the same user message, as regenerations of it: siblings of the first reply.
    const message = await Promise.race([userMessage, firstDone.then(() => null)]);
    if (!message) { announce('The first model did not take the prompt.', 'error'); return; }
    await Promise.all([firstDone, ...others.map((pane) =>
        stream(pane, `/chats/${chat.id}/messages/${message.id}/regenerate`, {model: pane.model}))]);
}

async function choose(chat, replyID) {
    await api(`/chats/${chat.id}/branch`, {method: 'POST', body: {message_id: replyID}});
    navigate(`/c/${chat.id}`);
}
