// The sign-in page of auth mode `local`.

import {api, APIError, setCSRFToken} from './api.js';
import {h, $, clear, field} from './dom.js';
import {state} from './state.js';

/** Shows the form; resolves once signed in. */
export function showLogin() {
    document.body.classList.add('signed-out');
    const view = $('#login-view');
    view.hidden = false;
    return new Promise((resolve) => {
        const username = h('input', {type: 'text', name: 'username', id: 'login-username', autocomplete: 'username', required: true});
        const password = h('input', {type: 'password', name: 'password', id: 'login-password', autocomplete: 'current-password', required: true});
        const error = h('p', {class: 'form-error', role: 'alert', id: 'login-error'});
        const form = h('form', {class: 'login-form', 'aria-labelledby': 'login-heading'},
            h('h2', {id: 'login-heading'}, 'Sign in to Parley'),
            field('Username', username), field('Password', password), error,
            h('button', {type: 'submit', class: 'primary', id: 'login-submit'}, 'Sign in'));
        form.addEventListener('submit', async (event) => {
            event.preventDefault();
            error.textContent = '';
            try {
                const result = await api('/auth/login', {method: 'POST', body: {username: username.value.trim(), password: password.value}});
                state.session = {...state.session, user: result.user, csrf_token: result.csrf_token};
                setCSRFToken(result.csrf_token);
                view.hidden = true;
                document.body.classList.remove('signed-out');
                resolve(result.user);
            } catch (failure) {
                error.textContent = failure instanceof APIError && failure.status === 401
                    ? 'Wrong username or password.'
                    : failure.status === 429 ? 'Too many attempts; wait a moment and try again.' : failure.message;
                password.select();
            }
        });
        clear(view).append(form);
        username.focus();
    });
}

export async function logout() {
    try { await api('/auth/logout', {method: 'POST'}); } catch { /* signed out anyway */ }
    window.location.assign('/login');
}
