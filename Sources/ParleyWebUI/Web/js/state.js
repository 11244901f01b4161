// What the page knows right now, shared by the views.

export const state = {
    /** {mode, user, csrf_token} from /api/v1/auth/session. */
    session: {mode: 'none', user: null, csrf_token: null},
    /** Every model of every provider (ModelView). */
    models: [],
    /** The open chat (Chat) and the window of its active branch, oldest first. */
    chat: null,
    messages: [],
    hasMore: false,
    /** The AbortController of the reply streaming now, if any. */
    streaming: null,
    prompts: [],
};

/** How many messages of a branch are read at a time. */
export const WINDOW = 100;

/** Numbers the benchmark and the tests read (performance.now() times). */
export const metrics = (window.__parley = {readyAt: null, chatReadyAt: null, firstDelta: null});

const listeners = new Map();

export function on(name, listener) {
    if (!listeners.has(name)) listeners.set(name, new Set());
    listeners.get(name).add(listener);
}

export function emit(name, detail) {
    for (const listener of listeners.get(name) || []) listener(detail);
}

export function isAdmin() {
    return state.session.user?.role === 'admin';
}

export function modelLabel(id) {
    const model = state.models.find((m) => m.id === id || m.aliases?.includes(id));
    return model ? (model.display_name || model.id) : (id || 'default model');
}
