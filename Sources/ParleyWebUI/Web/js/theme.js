// Light and dark themes: the system's choice unless the user picked one.

const KEY = 'parley.theme';

export function setupTheme(button) {
    const apply = (theme) => {
        if (theme) document.documentElement.dataset.theme = theme; else delete document.documentElement.dataset.theme;
        const dark = effective() === 'dark';
        button.setAttribute('aria-pressed', String(dark));
        button.setAttribute('aria-label', dark ? 'Use the light theme' : 'Use the dark theme');
        button.title = button.getAttribute('aria-label');
    };
    const effective = () => document.documentElement.dataset.theme
        || (window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
    apply(localStorage.getItem(KEY));
    button.addEventListener('click', () => {
        const next = effective() === 'dark' ? 'light' : 'dark';
        localStorage.setItem(KEY, next);
        apply(next);
    });
}
