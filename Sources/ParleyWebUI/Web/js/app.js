// Starts the page: who is signed in, the models, then the view the address names.

import {api, setCSRFToken, setUnauthorizedHandler, APIError} from './api.js';
import {$, announce} from './dom.js';
import {state, on, metrics} from './state.js';
import {loadModels, fillModelSelect, setupPicker, defaultModel} from './models.js';
import {openChat, setupScrollBack} from './chat.js';
import {setupComposer} from './composer.js';
import {setupAttachments} from './attach.js';
import {setupSidebar, refreshChats} from './sidebar.js';
import {setupChatActions} from './chat-actions.js';
import {setRouteHandler, navigate, setAddress, showView, parse} from './router.js';
import {setupTheme} from './theme.js';
import {showLogin, logout} from './login.js';

async function loadSession() {
    try {
        state.session = await api('/auth/session');
    } catch (error) {
        // Before sign-in exists the route is missing: that is auth mode none.
        if (!(error instanceof APIError && error.status === 404)) throw error;
        const me = await api('/me').catch(() => null);
        state.session = {mode: 'none', user: me, csrf_token: null};
    }
    setCSRFToken(state.session.csrf_token);
}

async function route({view, chatID}) {
    showView(view);
    document.body.classList.toggle('in-chat', view === 'chat-view');
    try {
        if (view === 'chat-view') {
            if (chatID !== (state.chat?.id ?? null) || !chatID) await openChat(chatID);
            fillModelSelect($('#model-picker'), state.chat?.settings?.model || defaultModel());
        } else if (view === 'compare-view') {
            (await import('./compare.js')).showComparePage();
        } else if (view === 'prompts-view') {
            await (await import('./prompts.js')).showPromptsPage();
        } else if (view === 'account-view') {
            (await import('./account.js')).showAccountPage();
        } else if (view === 'admin-view') {
            (await import('./admin.js')).showAdminPage();
        }
    } catch (error) {
        announce(error.status === 404 ? 'That chat does not exist (any more).' : error.message, 'error');
        if (view === 'chat-view' && chatID) await navigate('/', {replace: true});
    }
}

async function start() {
    setupTheme($('#theme-toggle'));
    await loadSession();
    if (state.session.mode === 'local' && !state.session.user) await showLogin();
    setUnauthorizedHandler(() => {
        if (state.session.mode === 'local') window.location.assign('/login');
    });
    $('#logout').hidden = state.session.mode !== 'local';
    $('#logout').addEventListener('click', logout);
    $('#nav-admin').hidden = state.session.user?.role !== 'admin';
    const who = state.session.user;
    $('#whoami').textContent = who && state.session.mode !== 'none' ? (who.display_name || who.username) : '';

    await loadModels();
    fillModelSelect($('#model-picker'), defaultModel());
    setupPicker($('#model-picker'));
    setupComposer();
    setupAttachments();
    setupSidebar();
    setupChatActions();
    setupScrollBack();
    setupNavigation();
    setRouteHandler(route);
    on('chat-created', (chat) => setAddress(`/c/${chat.id}`));
    on('model-picked', async (model) => {
        if (!state.chat) return;
        try {
            state.chat = await api(`/chats/${state.chat.id}`, {method: 'PATCH', body: {settings: {...state.chat.settings, model}}});
            announce(`Model: ${model}`);
        } catch (error) {
            announce(error.message, 'error');
        }
    });
    const path = window.location.pathname === '/login' ? '/' : window.location.pathname;
    await Promise.all([route(parse(path)), refreshChats()]);
    if (path !== window.location.pathname) setAddress(path);
    $('#app').removeAttribute('aria-busy');
    document.body.dataset.ready = 'true';
    requestAnimationFrame(() => { metrics.readyAt = performance.now(); });
}

function setupNavigation() {
    for (const link of document.querySelectorAll('a[data-view]')) {
        link.addEventListener('click', (event) => {
            if (event.ctrlKey || event.metaKey || event.shiftKey) return;
            event.preventDefault();
            navigate(link.getAttribute('href'));
        });
    }
    const toggle = $('#sidebar-toggle');
    toggle.addEventListener('click', () => {
        const open = document.body.classList.toggle('sidebar-open');
        toggle.setAttribute('aria-expanded', String(open));
        if (open) $('#chat-search').focus();
    });
    document.addEventListener('keydown', (event) => {
        if (event.key === 'Escape' && document.body.classList.contains('sidebar-open')) {
            document.body.classList.remove('sidebar-open');
            toggle.setAttribute('aria-expanded', 'false');
            toggle.focus();
        }
    });
}

start().catch((error) => {
    announce(`Parley could not start: ${error.message}`, 'error');
    document.body.dataset.ready = 'error';
});
