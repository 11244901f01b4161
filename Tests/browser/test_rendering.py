"""The Markdown renderer and the message view, run in the page on chosen inputs."""


def render(page, text):
    return page.driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        import('/ui/js/markdown.js').then((m) => {
            const box = document.createElement('div');
            box.append(m.renderMarkdown(arguments[0]));
            done(box.innerHTML);
        });""", text)


def test_markdown_blocks_and_spans_become_elements(page):
    page.open("/")
    html = render(page, "# Title\n\nSome *em*, **strong**, ~~gone~~ and `code`.\n\n1. one\n2. two\n   - nested\n\n> quoted\n\n---")
    assert '<h3 class="md-heading">Title</h3>' in html
    assert "<em>em</em>" in html and "<strong>strong</strong>" in html and "<del>gone</del>" in html
    assert "<code>code</code>" in html
    assert "<ol><li>one</li><li>two<ul><li>nested</li></ul></li></ol>" in html
    assert "<blockquote><p>quoted</p></blockquote>" in html and "<hr>" in html


def test_only_http_links_become_links_and_they_open_safely(page):
    page.open("/")
    html = render(page, "[ok](https://example.com/a) [bad](javascript:alert(1)) [data](data:text/html,x) "
                        "[relative](/api/v1/me) https://example.org/b.")
    assert '<a href="https://example.com/a" target="_blank" rel="noopener noreferrer">ok</a>' in html
    assert '<a href="https://example.org/b" target="_blank" rel="noopener noreferrer">https://example.org/b</a>.' in html
    assert "javascript:" not in html.split("[bad]")[0] and "[bad](javascript:alert(1))" in html
    assert "[data](data:text/html,x)" in html and "[relative](/api/v1/me)" in html
    assert html.count("<a ") == 2


def test_html_in_markdown_is_text(page):
    page.open("/")
    html = render(page, '<b onclick="x()">hi</b>\n\n```html\n<script>alert(1)</script>\n```')
    assert "<b " not in html and "&lt;b onclick" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html


def test_citations_show_under_a_reply(page):
    page.open("/")
    text = page.driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        import('/ui/js/message-view.js').then((m) => {
            const element = m.messageElement({id: 'x', role: 'assistant', content: 'Answer [1]', status: 'complete',
                model: 'mock/mock-gpt', usage: {prompt_tokens: 3, completion_tokens: 10, total_tokens: 13}, latency_ms: 500,
                citations: [{index: 1, document_id: 'd1', title: 'Handbook', url: 'javascript:alert(1)', page: 4,
                             snippet: 'the relevant lines'}]}, {});
            element.querySelector('details').open = true;
            document.body.append(element);
            done({text: element.innerText, links: element.querySelectorAll('.citations a').length});
        });""")
    assert "Handbook" in text["text"] and "p. 4" in text["text"] and "the relevant lines" in text["text"]
    assert text["links"] == 0  # a non-http URL is not made a link
    assert "3 → 10 tokens" in text["text"] and "500 ms" in text["text"] and "20.0 tokens/s" in text["text"]
