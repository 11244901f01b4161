// The native API (/api/v1): JSON calls, the CSRF token of cookie sessions, and server-sent events.

let csrfToken = null;
let onUnauthorized = () => {};

export function setCSRFToken(token) { csrfToken = token || null; }
export function setUnauthorizedHandler(handler) { onUnauthorized = handler; }

export class APIError extends Error {
    constructor(status, message, code) {
        super(message);
        this.status = status;
        this.code = code;
    }
}

async function errorOf(response) {
    let message = `${response.status} ${response.statusText}`;
    let code = null;
    try {
        const body = await response.json();
        if (body && body.error) {
            message = body.error.message || message;
            code = body.error.code || null;
        }
    } catch { /* not JSON */ }
    if (response.status === 401) onUnauthorized();
    return new APIError(response.status, message, code);
}

/** fetch of /api/v1 + path; the JSON answer, null for 204; throws APIError. */
export async function api(path, {method = 'GET', body, signal, raw = false, contentType} = {}) {
    const headers = {Accept: 'application/json'};
    // A Blob (a file) goes as it is, with its own type; anything else as JSON.
    const binary = typeof Blob !== 'undefined' && body instanceof Blob;
    if (body !== undefined) headers['Content-Type'] = contentType || (binary ? 'application/octet-stream' : 'application/json');
    if (csrfToken && method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrfToken;
    const response = await fetch(`/api/v1${path}`, {
        method, headers, signal, credentials: 'same-origin',
        body: body === undefined ? undefined : (binary || typeof body === 'string' ? body : JSON.stringify(body)),
    });
    if (raw) return response;
    if (!response.ok) throw await errorOf(response);
    if (response.status === 204) return null;
    return response.json();
}

/**
 * POSTs and reads the answer as server-sent events, calling onEvent(name, data, arrivedAt) for each
 * (arrivedAt: performance.now() when its bytes arrived). Resolves when the stream ends; rejects with
 * an AbortError when `signal` aborts.
 */
export async function streamEvents(path, body, {signal, onEvent}) {
    const headers = {'Content-Type': 'application/json', Accept: 'text/event-stream'};
    if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
    const response = await fetch(`/api/v1${path}`, {
        method: 'POST', headers, body: JSON.stringify(body), signal, credentials: 'same-origin',
    });
    if (!response.ok) throw await errorOf(response);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
        const {value, done} = await reader.read();
        if (done) break;
        const arrivedAt = performance.now();
        buffer += decoder.decode(value, {stream: true});
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let name = 'message';
            const data = [];
            for (const line of block.split('\n')) {
                if (line.startsWith('event:')) name = line.slice(6).trim();
                else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
            }
            if (data.length === 0) continue;
            let payload;
            try { payload = JSON.parse(data.join('\n')); } catch { continue; }
            onEvent(name, payload, arrivedAt);
        }
    }
}
