// A small Markdown renderer that never parses HTML: the text is cut into blocks and inline spans,
// and every piece of it becomes a text node. Whatever HTML or script a message holds shows as text.

import {h} from './dom.js';

const FENCE = /^\s{0,3}(`{3,}|~{3,})\s*([\w+#.-]*)/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const BULLET = /^(\s*)([-*+])\s+(.*)$/;
const ORDERED = /^(\s*)(\d{1,9})[.)]\s+(.*)$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;

/** The Markdown text as a DocumentFragment. */
export function renderMarkdown(text) {
    const fragment = document.createDocumentFragment();
    renderBlocks(String(text ?? '').replace(/\r\n?/g, '\n').split('\n'), fragment);
    return fragment;
}

function renderBlocks(lines, parent) {
    let paragraph = [];
    const flush = () => {
        if (paragraph.length === 0) return;
        const p = h('p');
        paragraph.forEach((line, index) => {
            if (index > 0) p.append(h('br'));
            renderInline(line, p);
        });
        parent.append(p);
        paragraph = [];
    };
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        let match;
        if ((match = line.match(FENCE))) {
            flush();
            const fence = match[1];
            const code = [];
            i++;
            while (i < lines.length && !lines[i].trim().startsWith(fence)) code.push(lines[i++]);
            parent.append(codeBlock(code.join('\n'), match[2]));
        } else if (line.trim() === '') {
            flush();
        } else if ((match = line.match(HEADING))) {
            flush();
            const level = Math.min(match[1].length + 2, 6); // the page's own headings come first
            parent.append(renderInline(match[2], h(`h${level}`, {class: 'md-heading'})));
        } else if (RULE.test(line)) {
            flush();
            parent.append(h('hr'));
        } else if (QUOTE.test(line)) {
            flush();
            const quoted = [];
            while (i < lines.length && (match = lines[i].match(QUOTE))) { quoted.push(match[1]); i++; }
            i--;
            const quote = h('blockquote');
            renderBlocks(quoted, quote);
            parent.append(quote);
        } else if (BULLET.test(line) || ORDERED.test(line)) {
            flush();
            i = renderList(lines, i, parent) - 1;
        } else {
            paragraph.push(line);
        }
    }
    flush();
}

/** A list from line `start`; items indented deeper than the first become nested lists. Returns the next line. */
function renderList(lines, start, parent) {
    const first = lines[start].match(BULLET) || lines[start].match(ORDERED);
    const indent = first[1].length;
    const ordered = !BULLET.test(lines[start]);
    const list = ordered ? h('ol') : h('ul');
    if (ordered && first[2] !== '1') list.setAttribute('start', String(Number(first[2])));
    let i = start;
    let item = null;
    while (i < lines.length) {
        const line = lines[i];
        const match = line.match(ordered ? ORDERED : BULLET);
        if (match && match[1].length === indent) {
            item = renderInline(match[3], h('li'));
            list.append(item);
            i++;
        } else if (item && (BULLET.test(line) || ORDERED.test(line)) && (line.match(/^\s*/)[0].length > indent)) {
            i = renderList(lines, i, item);
        } else if (item && line.trim() !== '' && /^\s+/.test(line) && !FENCE.test(line)) {
            item.append(h('br'));
            renderInline(line.trim(), item);
            i++;
        } else {
            break;
        }
    }
    parent.append(list);
    return i;
}

function codeBlock(code, language) {
    const copy = h('button', {type: 'button', class: 'copy-code', 'aria-label': 'Copy code'}, 'Copy');
    copy.addEventListener('click', async () => {
        try {
            await navigator.clipboard.writeText(code);
            copy.textContent = 'Copied';
        } catch {
            copy.textContent = 'Copy failed';
        }
        setTimeout(() => { copy.textContent = 'Copy'; }, 1500);
    });
    return h('div', {class: 'code-block'},
        h('div', {class: 'code-bar'}, h('span', {class: 'code-lang'}, language || 'text'), copy),
        h('pre', {tabindex: '0'}, h('code', {dataset: language ? {lang: language} : {}}, code)));
}

// One alternation per inline form, tried leftmost first: code, link, bold, strike, italic, bare URL.
const INLINE = new RegExp([
    '(`+)([^`]|[^`][\\s\\S]*?[^`])\\1(?!`)',
    '\\[([^\\]\\n]+)\\]\\(\\s*([^()\\s]+)(?:\\s+"[^"]*")?\\s*\\)',
    '\\*\\*(?=\\S)([\\s\\S]+?)\\*\\*',
    '__(?=\\S)([\\s\\S]+?)__',
    '~~(?=\\S)([\\s\\S]+?)~~',
    '\\*(?=[^\\s*])([^*]+?)\\*',
    '(?<![\\w])_(?=[^\\s_])([^_]+?)_(?![\\w])',
    '(https?:\\/\\/[^\\s<>"]*[^\\s<>".,;:!?\'")\\]])',
].join('|'), 'g');

/** Appends the inline spans of `text` to `parent` and returns it. */
export function renderInline(text, parent) {
    let position = 0;
    const pattern = new RegExp(INLINE.source, 'g');
    let match;
    while ((match = pattern.exec(text))) {
        if (match.index > position) parent.append(document.createTextNode(text.slice(position, match.index)));
        position = match.index + match[0].length;
        if (match[2] !== undefined) parent.append(h('code', {}, match[2]));
        else if (match[3] !== undefined) parent.append(link(match[4], match[3], match[0]));
        else if (match[5] !== undefined) parent.append(renderInline(match[5], h('strong')));
        else if (match[6] !== undefined) parent.append(renderInline(match[6], h('strong')));
        else if (match[7] !== undefined) parent.append(renderInline(match[7], h('del')));
        else if (match[8] !== undefined) parent.append(renderInline(match[8], h('em')));
        else if (match[9] !== undefined) parent.append(renderInline(match[9], h('em')));
        else if (match[10] !== undefined) parent.append(link(match[10], match[10], match[10]));
    }
    if (position < text.length) parent.append(document.createTextNode(text.slice(position)));
    return parent;
}

/** Only http(s) links become anchors; anything else (javascript:, data:) stays the text it was. */
function link(target, label, original) {
    const url = safeURL(target);
    if (!url) return document.createTextNode(original);
    const anchor = h('a', {href: url, target: '_blank', rel: 'noopener noreferrer'});
    return label === target ? (anchor.append(label), anchor) : renderInline(label, anchor);
}

export function safeURL(text) {
    if (!/^https?:\/\//i.test(text)) return null;
    try {
        const url = new URL(text, window.location.href);
        return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch {
        return null;
    }
}
