// Client routes: / (new chat), /c/{id}, /compare, /prompts, /account, /admin, /login. The server
// answers each of them with index.html, so a reload lands on the same view.

const VIEWS = ['chat-view', 'compare-view', 'prompts-view', 'account-view', 'admin-view'];
let handler = () => {};

export function setRouteHandler(next) { handler = next; }

export function navigate(path, {replace = false} = {}) {
    if (path !== window.location.pathname) {
        if (replace) history.replaceState(null, '', path); else history.pushState(null, '', path);
    }
    return handler(parse(path));
}

/** Changes the address without drawing anything (a chat that was just made). */
export function setAddress(path) {
    if (path !== window.location.pathname) history.replaceState(null, '', path);
}

export function parse(path) {
    const chat = path.match(/^\/c\/([^/]+)$/);
    if (chat) return {view: 'chat-view', chatID: decodeURIComponent(chat[1])};
    const named = {'/compare': 'compare-view', '/prompts': 'prompts-view', '/account': 'account-view', '/admin': 'admin-view'};
    return {view: named[path] || 'chat-view', chatID: null};
}

export function showView(view) {
    for (const id of VIEWS) document.getElementById(id).hidden = id !== view;
    for (const link of document.querySelectorAll('.topnav a[data-view]')) {
        if (link.dataset.view === view) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
    }
}

window.addEventListener('popstate', () => handler(parse(window.location.pathname)));
