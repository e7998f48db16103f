"""An HTTPS client for nginx on loopback (bench/nginx.py): from any loopback address (nginx sees
each as another client), keeping cookies and answering forms with their CSRF token as a browser
does. Used by the two-server test and the soak benchmark."""

import http.client
import ssl
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: str

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


def _context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the throw-away certificate of bench/nginx.py
    return context


# A connection idle this long is closed and opened anew before its next request, as browsers do,
# before nginx's keepalive_timeout (30 s) closes it under a request already on its way.
IDLE_SECONDS = 15


class Connection:
    """One kept-alive HTTPS connection to 127.0.0.1:port from `source`, reopened after an error
    or after IDLE_SECONDS unused."""

    def __init__(self, port: int, source: str = "127.0.0.1", timeout: float = 30):
        self.port, self.source, self.timeout = port, source, timeout
        self._connection: http.client.HTTPSConnection | None = None
        self._used = 0.0

    def request(self, method: str, path: str, *, body=None, headers=None) -> Answer:
        if self._connection is not None and time.monotonic() - self._used > IDLE_SECONDS:
            self.close()
        if self._connection is None:
            self._connection = http.client.HTTPSConnection(
                "127.0.0.1",
                self.port,
                context=_context(),
                source_address=(self.source, 0),
                timeout=self.timeout,
            )
        try:
            self._connection.request(method, path, body=body, headers=headers or {})
            response = self._connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except BaseException:
            self.close()  # never reuse a connection in an unknown state
            raise
        self._used = time.monotonic()
        return Answer(response.status, response.getheaders(), text)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def call(port: int, method: str, path: str, *, source="127.0.0.1", body=None, headers=None):
    """One request on a connection of its own."""
    connection = Connection(port, source)
    try:
        return connection.request(method, path, body=body, headers=headers)
    finally:
        connection.close()


class Browser:
    """Cookies and CSRF tokens across requests, on one kept-alive connection."""

    def __init__(self, port: int, source: str = "127.0.0.1"):
        self.origin = f"https://127.0.0.1:{port}"
        self.connection = Connection(port, source)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> Answer:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(
                {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form}, doseq=True
            )
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "Referer": self.origin + path,
            }
        answer = self.connection.request(method, path, body=body, headers=headers)
        for key, value in answer.headers:
            if key.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    self.cookies[morsel.key] = morsel.value
        return answer

    def clone(self) -> "Browser":
        """The same session on a connection of its own (one connection serves one thread)."""
        twin = Browser(self.connection.port, self.connection.source)
        twin.cookies = dict(self.cookies)
        return twin

    def sign_in(self, username: str, password: str) -> Answer:
        """Staff sign-in (/can-bo/dang-nhap/): 302 when it succeeded."""
        self.request("GET", "/can-bo/dang-nhap/")
        return self.request(
            "POST", "/can-bo/dang-nhap/", {"username": username, "password": password}
        )

    def close(self) -> None:
        self.connection.close()
