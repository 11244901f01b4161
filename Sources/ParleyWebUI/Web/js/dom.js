// Builds DOM nodes without ever parsing HTML: text always goes in through text nodes.

/** h('button', {class: 'x', onclick: f, 'aria-label': 'Close'}, 'text', childNode, [more]) */
export function h(tag, props, ...children) {
    const element = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
        if (value === null || value === undefined || value === false) continue;
        if (key === 'class') element.className = value;
        else if (key === 'text') element.textContent = value;
        else if (key === 'dataset') Object.assign(element.dataset, value);
        else if (key.startsWith('on') && typeof value === 'function') element.addEventListener(key.slice(2), value);
        else if (key === 'value' || key === 'checked' || key === 'selected' || key === 'disabled') element[key] = value;
        else element.setAttribute(key, value === true ? '' : String(value));
    }
    append(element, children);
    return element;
}

export function append(element, children) {
    for (const child of children.flat(Infinity)) {
        if (child === null || child === undefined || child === false) continue;
        element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return element;
}

export function clear(element) {
    element.replaceChildren();
    return element;
}

export const $ = (selector, root = document) => root.querySelector(selector);

/** A labelled form field: <label>Text <input ...></label>. */
export function field(label, input, hint) {
    const id = input.id || `f-${Math.random().toString(36).slice(2, 9)}`;
    input.id = id;
    return h('div', {class: 'field'}, h('label', {for: id}, label), input, hint ? h('small', {class: 'hint'}, hint) : null);
}

/** Says something to screen readers (and shows it briefly). */
export function announce(text, kind = 'info') {
    const region = document.getElementById('toast');
    if (!region) return;
    const item = h('div', {class: `toast ${kind}`}, text);
    region.append(item);
    setTimeout(() => item.remove(), kind === 'error' ? 8000 : 3500);
}

export function formatTime(iso) {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? '' : date.toLocaleString();
}
