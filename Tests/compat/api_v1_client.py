"""A client for Parley's /api/v1 that holds every answer to the OpenAPI document the server serves.

Each call names the documented operation (method and path template). The answer's status must be
one the operation documents, and its body must match the schema documented for that status and
media type: JSON bodies as a whole, server-sent events one event at a time (the operation's
`x-events` names the schema of each event's data). Request bodies are checked against the
documented request schema too, both ways: a body the test expects the server to accept must be
valid, and one it expects to be refused for its shape must be invalid.
"""
import datetime
import http.client
import json
import re
import urllib.error
import urllib.parse
import urllib.request

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

BASE_URI = "urn:parley-api-v1"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
UTC_MILLISECONDS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")

FORMATS = FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def is_time(value):
    if not isinstance(value, str):
        return True
    if not UTC_MILLISECONDS.match(value):
        raise ValueError(f"{value!r} is not ISO 8601 in UTC with milliseconds")
    datetime.datetime.fromisoformat(value)
    return True


def absolute_refs(node):
    """The document with every local `$ref` made absolute, so any part of it can be a root schema."""
    if isinstance(node, dict):
        return {key: BASE_URI + value if key == "$ref" and isinstance(value, str) and value.startswith("#")
                else absolute_refs(value) for key, value in node.items()}
    if isinstance(node, list):
        return [absolute_refs(value) for value in node]
    return node


def parse_events(text):
    """The (name, data) pairs of a server-sent event stream; every event must name itself and hold JSON."""
    events = []
    for block in text.split("\n\n"):
        if not block.strip():
            continue
        name, data = None, []
        for line in block.split("\n"):
            if line.startswith("event:"):
                name = line[len("event:"):].strip()
            elif line.startswith("data:"):
                data.append(line[len("data:"):].removeprefix(" "))
        assert name is not None and data, f"an event without a name or data: {block!r}"
        events.append((name, json.loads("\n".join(data))))
    return events


class Reply:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body
        self.json = None
        self.events = None

    @property
    def error(self):
        return (self.json or {}).get("error")

    def event_names(self):
        return [name for name, _ in self.events]

    def __repr__(self):
        return f"<{self.status} {self.body[:400]!r}>"


class ApiClient:
    def __init__(self, root_url, document):
        self.root_url = root_url
        self.document = absolute_refs(document)
        self.base_path = document["servers"][0]["url"]
        self.registry = Registry().with_resource(BASE_URI, Resource.opaque(self.document))
        # (method, path template) -> the statuses seen.
        self.exercised = {}
        # Sent with every request (credentials: Authorization, Cookie, X-CSRF-Token).
        self.headers = {}

    def with_headers(self, headers, root_url=None):
        """A client for the same document, sharing what was exercised, sending other headers."""
        other = ApiClient.__new__(ApiClient)
        other.__dict__.update(self.__dict__)
        other.headers = dict(headers)
        if root_url:
            other.root_url = root_url
        return other

    def operations(self):
        """Every documented (method, path template)."""
        return {(method, path) for path, item in self.document["paths"].items() for method in item
                if method in METHODS}

    def operation(self, method, template):
        item = self.document["paths"].get(template)
        assert item is not None and method in item, f"{method.upper()} {template} is not in the document"
        return item[method]

    def resolve(self, reference):
        assert reference.startswith(BASE_URI + "#/"), reference
        node = self.document
        for token in reference[len(BASE_URI) + 2:].split("/"):
            node = node[token.replace("~1", "/").replace("~0", "~")]
        return node

    def deref(self, node):
        while "$ref" in node:
            node = self.resolve(node["$ref"])
        return node

    def schema(self, name):
        return {"$ref": f"{BASE_URI}#/components/schemas/{name}"}

    def errors(self, instance, schema):
        validator = Draft202012Validator(schema, registry=self.registry, format_checker=FORMATS)
        return sorted(validator.iter_errors(instance), key=lambda error: list(error.absolute_path))

    def check(self, instance, schema, what):
        errors = self.errors(instance, schema)
        assert not errors, f"{what} does not match the document: " + "; ".join(
            f"{'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}" for error in errors[:5])

    def request_schema(self, operation):
        assert "requestBody" in operation, "the operation documents no request body"
        return self.deref(operation["requestBody"])["content"]["application/json"]["schema"]

    def call(self, method, template, path=None, query=None, body=None, raw=None, status=None, body_valid=True,
             param=..., code=None, declared_length=None, timeout=60, content_type="application/json"):
        """Calls a documented operation and checks the answer against the document.

        - body: a JSON value to send; checked against the request schema unless `body_valid` is None
          (True: must be valid; False: must be invalid).
        - raw: bytes to send as they are (not checked), as `content_type`.
        - declared_length: announce a body of this many bytes, but send only `raw` (for 413s).
        - status, param, code: what the answer must be (the error's `param` and `code`).
        """
        operation = self.operation(method, template)
        what = f"{method.upper()} {template}"
        url = self.root_url + self.base_path + template.format(
            **{key: urllib.parse.quote(str(value), safe="") for key, value in (path or {}).items()})
        if query:
            url += "?" + urllib.parse.urlencode(query)
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            if body_valid is not None:
                errors = self.errors(body, self.request_schema(operation))
                if body_valid:
                    assert not errors, f"{what}: the document refuses the body {body}: {errors[0].message}"
                else:
                    assert errors, f"{what}: the document accepts the body {body}, which the server should refuse"
        if declared_length is not None:
            reply = self.send_announcing(method, url, data, declared_length, timeout, self.headers)
        else:
            request = urllib.request.Request(url, data=data, method=method.upper(), headers=self.headers)
            if data is not None:
                request.add_header("Content-Type", content_type if body is None else "application/json")
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:
                    reply = Reply(response.status, response.headers, response.read())
            except urllib.error.HTTPError as error:
                reply = Reply(error.code, error.headers, error.read())
        self.exercised.setdefault((method, template), set()).add(reply.status)
        self.check_reply(operation, reply, what)
        if status is not None:
            assert reply.status == status, f"{what} ({url}): expected {status}, got {reply!r}"
        if param is not ...:
            assert (reply.error or {}).get("param") == param, f"{what}: param is not {param!r}: {reply!r}"
        if code is not None:
            assert (reply.error or {}).get("code") == code, f"{what}: code is not {code!r}: {reply!r}"
        return reply

    @staticmethod
    def send_announcing(method, url, data, length, timeout, headers):
        """Announces a body of `length` bytes but sends only `data`, then reads the answer: how to see
        an early 413 without the client blocking on a body the server will never read."""
        parts = urllib.parse.urlsplit(url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        try:
            connection.putrequest(method.upper(), parts.path + (f"?{parts.query}" if parts.query else ""))
            connection.putheader("Content-Type", "application/json")
            connection.putheader("Content-Length", str(length))
            for name, value in headers.items():
                connection.putheader(name, value)
            connection.endheaders(data or b"")
            response = connection.getresponse()
            return Reply(response.status, response.headers, response.read())
        finally:
            connection.close()

    def check_reply(self, operation, reply, what):
        responses = operation["responses"]
        # An exact status wins over a range (`4XX`), as OpenAPI has it.
        key = next((key for key in (str(reply.status), f"{reply.status // 100}XX") if key in responses), None)
        assert key is not None, (
            f"{what} answered {reply.status}, which is not documented (documented: {sorted(responses)}): {reply!r}")
        response = self.deref(responses[key])
        content = response.get("content")
        if not content:
            assert reply.body == b"", f"{what} {reply.status}: a body came where none is documented: {reply!r}"
            return
        media = (reply.headers.get("Content-Type") or "").split(";")[0].strip()
        assert media in content, f"{what} {reply.status}: {media!r} is not documented ({sorted(content)})"
        if media == "text/event-stream":
            reply.events = parse_events(reply.body.decode())
            schemas = content[media]["x-events"]
            for index, (name, data) in enumerate(reply.events):
                assert name in schemas, f"{what}: event {name!r} is not documented ({sorted(schemas)})"
                self.check(data, schemas[name], f"{what} event {index} ({name})")
        elif media == "application/json":
            reply.json = json.loads(reply.body)
            self.check(reply.json, content[media]["schema"], f"{what} {reply.status}")
        else:
            self.check(reply.body.decode(), content[media]["schema"], f"{what} {reply.status}")
