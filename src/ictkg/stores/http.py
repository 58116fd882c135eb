"""HTTP for talking to a remote endpoint safely: credentials that never leak, a total deadline and
a size cap on every request, redirects only within the endpoint's origin, and bounded retries of
idempotent requests; what to send is left to the callers.

The deadline covers the whole request, from connecting to the answer's last byte: the sockets of
each attempt are shut when it passes, so a server that drips one byte every few seconds (which
a per-read timeout never catches) ends with a timeout too. A redirect to another scheme, host or
port is refused: an endpoint cannot send ictkg's requests, or its credentials, elsewhere.

Credentials come from the URL (accepted, then stripped from it), ``$ICTKG_ENDPOINT_USER`` and
``$ICTKG_ENDPOINT_PASSWORD``, or a netrc file (``$NETRC`` or ``~/.netrc``), and are handed to
urllib's Basic and Digest handlers (Virtuoso's ``/sparql-graph-crud-auth`` wants Digest). The
password is held in a :class:`Secret`, whose ``repr`` and ``str`` are masked, and every URL that
appears in a message goes through :func:`redact`.
"""

from __future__ import annotations

import contextlib
import email.utils
import http.client
import netrc
import os
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from ictkg.errors import AnswerLimitError, ExitCode, StoreError, StoreTimeoutError, UsageError
from ictkg.stores.credentials import Credentials, Secret

__all__ = [
    "Credentials",
    "HttpClient",
    "Response",
    "Secret",
    "StoreAuthError",
    "StoreHttpError",
    "find_credentials",
    "is_timeout",
    "naming_once",
    "redact",
    "retry_after_seconds",
    "check_endpoint_url",
    "origin",
    "strip_credentials",
]

USER_VARIABLE = "ICTKG_ENDPOINT_USER"
"""The environment variable holding the endpoint's user name."""
PASSWORD_VARIABLE = "ICTKG_ENDPOINT_PASSWORD"
"""The environment variable holding the endpoint's password."""

TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})
"""HTTP statuses worth retrying: the server may answer the same request later."""


class StoreAuthError(StoreError):
    """The endpoint refused the credentials (HTTP 401) or the operation (HTTP 403).

    Exit code 77 (``EX_NOPERM``): retrying cannot help, the credentials or rights must change.
    """

    exit_code = ExitCode.REFUSED


class StoreHttpError(StoreError):
    """The endpoint answered a request with an HTTP error status (kept in :attr:`status`)."""

    def __init__(self, message: str, *, status: int, hint: str | None = None) -> None:
        self.status = status
        """The HTTP status code."""
        super().__init__(message, hint=hint)


def redact(url: str) -> str:
    """Return ``url`` without its password, for messages.

    >>> redact("http://user:secret@example.org/sparql")
    'http://user:***@example.org/sparql'
    >>> redact("http://example.org/sparql")
    'http://example.org/sparql'
    """
    parts = urlsplit(url)
    if parts.password is None:
        return url
    userinfo, _, host = parts.netloc.rpartition("@")
    user = userinfo.partition(":")[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def origin(url: str) -> tuple[str, str, int | None]:
    """A URL's origin: scheme, host and port (the default port of the scheme when none is given).

    >>> origin("http://Example.org/sparql") == origin("http://example.org:80/other")
    True
    >>> origin("http://example.org:8890/sparql") == origin("http://example.org/sparql")
    False
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or {"http": 80, "https": 443}.get(scheme)
    return scheme, (parts.hostname or "").lower(), port


def check_endpoint_url(url: str) -> None:
    """An endpoint is an ``http`` or ``https`` URL with a host: ``file:``, ``ftp:`` or a bare
    path would make urllib read a local file or another protocol (issue 10).

    >>> check_endpoint_url("file:///etc/passwd")
    Traceback (most recent call last):
    ...
    ictkg.errors.UsageError: the endpoint 'file:///etc/passwd' is not an http(s) URL
      hint: give the SPARQL endpoint's URL, e.g. http://localhost:7878/query
    """
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        shown = redact(url) if "@" in parts.netloc else url
        raise UsageError(
            f"the endpoint {shown!r} is not an http(s) URL",
            hint="give the SPARQL endpoint's URL, e.g. http://localhost:7878/query",
        )


def strip_credentials(url: str) -> tuple[str, Credentials | None]:
    """Split ``user:password@`` off a URL (after :func:`check_endpoint_url`).

    >>> strip_credentials("http://dba:pw@localhost:8890/sparql")
    ('http://localhost:8890/sparql', Credentials(user='dba', password=Secret('***'), source='url'))
    """
    check_endpoint_url(url)
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url, None
    userinfo, _, host = parts.netloc.rpartition("@")
    bare = urlunsplit(parts._replace(netloc=host))
    user, colon, password = userinfo.partition(":")
    if not colon:
        return bare, None if not user else Credentials(unquote(user), Secret(""), "url")
    return bare, Credentials(unquote(user), Secret(unquote(password)), "url")


def find_credentials(
    url: str, environ: Mapping[str, str] | None = None
) -> tuple[str, Credentials | None]:
    """Find the credentials for an endpoint and return the URL without them.

    The URL's own ``user:password@`` wins, then ``$ICTKG_ENDPOINT_USER`` /
    ``$ICTKG_ENDPOINT_PASSWORD``, then the netrc entry for the URL's host (``$NETRC`` or
    ``~/.netrc``).

    Args:
        url: the endpoint URL, perhaps with ``user:password@``.
        environ: the environment (default ``os.environ``).

    Returns:
        The URL without credentials, and the credentials (None when there are none).

    Raises:
        UsageError: when the netrc file cannot be read.
    """
    env = os.environ if environ is None else environ
    bare, found = strip_credentials(url)
    if found is not None:
        return bare, found
    user, password = env.get(USER_VARIABLE), env.get(PASSWORD_VARIABLE)
    if user or password:
        return bare, Credentials(user or "", Secret(password or ""), "environment")
    path = Path(env["NETRC"]) if env.get("NETRC") else Path.home() / ".netrc"
    host = urlsplit(bare).hostname
    if host is None or not path.is_file():
        return bare, None
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except (netrc.NetrcParseError, OSError) as exc:
        # The parse error's text quotes the file's line, which may hold a password.
        raise UsageError(
            f"cannot read the netrc file {path} (line {getattr(exc, 'lineno', '?')})",
            hint="fix the file, or set ICTKG_ENDPOINT_USER and ICTKG_ENDPOINT_PASSWORD",
        ) from None
    if entry is None:
        return bare, None
    login, _account, secret = entry
    return bare, Credentials(login or "", Secret(secret or ""), str(path))


def retry_after_seconds(value: str | None, *, now: float | None = None) -> float | None:
    """Read a ``Retry-After`` header: delay seconds or an HTTP date; None when absent or bad.

    >>> retry_after_seconds("3")
    3.0
    >>> retry_after_seconds("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0)
    10.0
    >>> retry_after_seconds("soon") is None
    True
    """
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


@dataclass(frozen=True)
class Response:
    """An HTTP response, read whole."""

    status: int
    """The status code."""
    headers: Mapping[str, str]
    """The headers (names lower-cased)."""
    body: bytes
    """The body."""

    @property
    def content_type(self) -> str:
        """The media type, without parameters, lower-cased."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


def naming_once(what: str, where: str) -> str:
    """What failed, naming the endpoint once: ``what`` alone when it names it already.

    >>> naming_once("reach http://h/q", "http://h/q"), naming_once("upload", "http://h/q")
    ('reach http://h/q', 'upload: http://h/q')
    """
    return what if where in what else f"{what}: {where}"


class _AttemptError(Exception):
    """One failed attempt: transient or not, with what the user should read."""

    def __init__(
        self,
        message: str,
        *,
        transient: bool,
        status: int | None = None,
        retry_after: float | None = None,
        timeout: bool = False,
        body: str = "",
        challenge: str = "",
        limit: bool = False,
        redirect: bool = False,
    ) -> None:
        super().__init__(message)
        self.challenge = challenge
        self.limit = limit
        self.redirect = redirect
        self.message = message
        self.transient = transient
        self.status = status
        self.retry_after = retry_after
        self.timeout = timeout
        self.body = body


def is_timeout(exc: BaseException) -> bool:
    """Whether ``exc`` (or the reason urllib wrapped in it) is a socket timeout."""
    if isinstance(exc, TimeoutError | socket.timeout):
        return True
    reason = getattr(exc, "reason", None)
    return isinstance(reason, TimeoutError | socket.timeout)


Sleep = Callable[[float], None]


class _Deadline:
    """One attempt's deadline: when it passes, every socket the attempt opened is shut, which
    ends any read blocked on it (a per-read timeout alone lets a dripping server go on)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if not self.expired:
                return
        self._shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):  # already closed
            sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


class _WatchedHTTPConnection(http.client.HTTPConnection):
    deadline: _Deadline | None = None

    def connect(self) -> None:
        super().connect()
        if self.deadline is not None:
            self.deadline.watch(self.sock)


class _WatchedHTTPSConnection(http.client.HTTPSConnection):
    deadline: _Deadline | None = None

    def connect(self) -> None:
        super().connect()
        if self.deadline is not None:
            self.deadline.watch(self.sock)


def _connection_class(
    base: type[http.client.HTTPConnection], deadline: _Deadline | None
) -> type[http.client.HTTPConnection]:
    return type(base.__name__, (base,), {"deadline": deadline})


class _DeadlineHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        deadline = getattr(req, "ictkg_deadline", None)
        return self.do_open(_connection_class(_WatchedHTTPConnection, deadline), req)


class _DeadlineHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        deadline = getattr(req, "ictkg_deadline", None)
        return self.do_open(
            _connection_class(_WatchedHTTPSConnection, deadline),
            req,
            context=self._context,  # type: ignore[attr-defined]
        )


class _CrossOriginRedirectError(Exception):
    """A redirect to another origin, refused (raised through urllib to :meth:`HttpClient._once`)."""

    def __init__(self, target: str, status: int) -> None:
        super().__init__(target)
        self.target = target
        self.status = status


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only within the request's origin; 307 and 308 keep the method and the
    body (a SPARQL query sent by POST stays a POST); another origin is refused."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        if origin(newurl) != origin(req.full_url):
            raise _CrossOriginRedirectError(newurl, code)
        if code in (307, 308):
            new: urllib.request.Request | None = urllib.request.Request(
                newurl,
                data=req.data,
                headers=dict(req.header_items()),
                method=req.get_method(),
            )
        else:
            new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            new.ictkg_deadline = getattr(req, "ictkg_deadline", None)  # type: ignore[attr-defined]
        return new


class HttpClient:
    """Sends requests to one endpoint with a timeout, credentials and bounded retries.

    Args:
        credentials: for HTTP Basic or Digest, answered when the server asks (a 401 challenge).
        timeout: seconds each try of a request may take in all, from connecting to the last
            byte of the answer.
        max_bytes: the largest answer body taken; a larger one is refused.
        retries: how many times an idempotent request is tried again after a transient failure.
        backoff: the first retry's delay in seconds; it doubles with every retry.
        max_delay: the cap on any one delay, ``Retry-After`` included.
        sleep: how to wait (the tests pass a recorder).
    """

    def __init__(
        self,
        credentials: Credentials | None = None,
        *,
        timeout: float = 60.0,
        max_bytes: int = 256 * 2**20,
        retries: int = 3,
        backoff: float = 0.5,
        max_delay: float = 30.0,
        sleep: Sleep = time.sleep,
    ) -> None:
        if timeout <= 0:
            raise UsageError(f"the timeout must be positive, not {timeout:g}")
        if retries < 0:
            raise UsageError(f"the number of retries cannot be negative ({retries})")
        self.credentials = credentials
        """The credentials (password masked in ``repr``)."""
        self.timeout = timeout
        """Seconds per try of a request, in all."""
        self.max_bytes = max_bytes
        """The largest answer body taken."""
        self.retries = retries
        """Retries of idempotent requests."""
        self.backoff = backoff
        """The first delay between tries, in seconds."""
        self.max_delay = max_delay
        """The longest delay between tries, in seconds."""
        self.sleep = sleep
        self.on_retry: Callable[[str], None] = lambda _message: None
        """Called with a message before each retry."""
        handlers: list[urllib.request.BaseHandler] = [
            _DeadlineHTTPHandler(),
            _DeadlineHTTPSHandler(),
            _SameOriginRedirects(),
        ]
        if credentials is not None:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            self._manager = manager
            handlers += [
                urllib.request.HTTPBasicAuthHandler(manager),
                urllib.request.HTTPDigestAuthHandler(manager),
            ]
        self._opener = urllib.request.build_opener(*handlers)
        self._known: set[str] = set()

    def __repr__(self) -> str:
        user = self.credentials.user if self.credentials else None
        return f"HttpClient(user={user!r}, timeout={self.timeout:g}, retries={self.retries})"

    def _authorise(self, url: str) -> None:
        if self.credentials is None:
            return
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}/"
        if origin not in self._known:
            self._manager.add_password(
                None, origin, self.credentials.user, self.credentials.password.reveal()
            )
            self._known.add(origin)

    def _once(
        self, method: str, url: str, body: bytes | None, headers: Mapping[str, str]
    ) -> Response:
        self._authorise(url)
        request = urllib.request.Request(url, data=body, method=method, headers=dict(headers))
        deadline = _Deadline(self.timeout)
        request.ictkg_deadline = deadline  # type: ignore[attr-defined]
        try:
            with self._opener.open(request, timeout=self.timeout) as answer:
                found = {k.lower(): v for k, v in answer.headers.items()}
                data = self._read(answer, found, deadline)
                return Response(answer.status, found, data)
        except _CrossOriginRedirectError as exc:
            raise _AttemptError(
                f"HTTP {exc.status}: a redirect to another origin ({redact(exc.target)}), "
                "which ictkg does not follow",
                transient=False,
                redirect=True,
            ) from None
        except urllib.error.HTTPError as exc:
            try:
                detail = exc.read().decode("utf-8", "replace").strip()[:300]
            except (OSError, http.client.HTTPException):
                detail = ""
            status = exc.code
            raise _AttemptError(
                f"HTTP {status} {exc.reason}",
                transient=status in TRANSIENT_STATUSES,
                status=status,
                retry_after=retry_after_seconds(exc.headers.get("Retry-After")),
                body=detail,
                challenge=exc.headers.get("WWW-Authenticate", ""),
            ) from None
        except ValueError as exc:  # urllib's digest handler met a scheme it does not speak
            if "scheme" not in str(exc):
                raise
            scheme = str(exc).rsplit(":", 1)[-1].strip(" '\"")
            raise _AttemptError("HTTP 401", transient=False, status=401, challenge=scheme) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            if deadline.expired or is_timeout(exc):
                raise _AttemptError(
                    f"no complete answer within {self.timeout:g} s", transient=True, timeout=True
                ) from None
            reason = getattr(exc, "reason", exc)
            text = f"{type(reason).__name__}: {reason}".rstrip(": ")
            raise _AttemptError(f"the connection failed ({text})", transient=True) from None
        finally:
            deadline.cancel()

    def _read(
        self, answer: http.client.HTTPResponse, headers: Mapping[str, str], deadline: _Deadline
    ) -> bytes:
        """The body, read in pieces up to :attr:`max_bytes` (refused at once when the declared
        length is larger); a shut socket at the deadline shows as a timeout."""
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise _AttemptError(self._too_large(int(declared)), transient=False, limit=True)
        pieces: list[bytes] = []
        size = 0
        while True:
            piece = answer.read(65536)
            if deadline.expired:
                raise _AttemptError(
                    f"no complete answer within {self.timeout:g} s", transient=True, timeout=True
                )
            if not piece:
                return b"".join(pieces)
            size += len(piece)
            if size > self.max_bytes:
                raise _AttemptError(self._too_large(size), transient=False, limit=True)
            pieces.append(piece)

    def _too_large(self, size: int) -> str:
        more = "more than " if size > self.max_bytes else ""
        return (
            f"an answer of {more}{size / 2**20:.1f} MiB, over the limit of "
            f"{self.max_bytes / 2**20:.3g} MiB"
        )

    def request(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        *,
        idempotent: bool,
        what: str,
    ) -> Response:
        """Send one request; retry it after transient failures when it is idempotent.

        Transient failures are a reset or refused connection, a timeout and HTTP 429, 500, 502,
        503 or 504. The delay doubles from ``backoff`` on, or is what ``Retry-After`` asks,
        never more than ``max_delay``.

        Args:
            method: ``GET``, ``POST``, ``PUT`` or ``DELETE``.
            url: the URL, without credentials.
            body: the request body.
            headers: request headers.
            idempotent: whether sending the request twice does no harm.
            what: what the request does, for messages (``upload graph:wp2013``).

        Returns:
            The 2xx response.

        Raises:
            StoreAuthError: on HTTP 401 or 403, at once.
            StoreTimeoutError: when the last try timed out.
            AnswerLimitError: when the answer is larger than ``max_bytes`` (no retry).
            StoreError: for any other failure, after the last try (a redirect to another
                origin at once).
        """
        tries = 1 + (self.retries if idempotent else 0)
        where = redact(urlunsplit(urlsplit(url)._replace(query="")))  # no parameters in messages
        for attempt in range(1, tries + 1):
            try:
                return self._once(method, url, body, headers or {})
            except _AttemptError as failure:
                if failure.status in (401, 403):
                    raise self._auth_error(failure, naming_once(what, where)) from None
                if not failure.transient or attempt == tries:
                    raise self._final_error(failure, what, where, attempt) from None
                delay = min(self.max_delay, self.backoff * 2 ** (attempt - 1))
                if failure.retry_after is not None:
                    delay = min(self.max_delay, max(delay, failure.retry_after))
                self.on_retry(
                    f"{what}: {failure.message}; try {attempt + 1} of {tries} in {delay:.1f} s"
                )
                self.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _auth_error(self, failure: _AttemptError, subject: str) -> StoreAuthError:
        if failure.status == 401:
            scheme = failure.challenge.split(" ", 1)[0]
            if scheme and scheme.lower() not in ("basic", "digest"):
                hint = (
                    f"the endpoint asks for {scheme} authentication; ictkg speaks HTTP Basic "
                    "and Digest only"
                )
            elif self.credentials is None:
                hint = (
                    f"give credentials: set {USER_VARIABLE} and {PASSWORD_VARIABLE}, or add a "
                    "netrc entry for the host ($NETRC or ~/.netrc)"
                )
            else:
                hint = (
                    f"check the user name and password (user {self.credentials.user!r}, "
                    f"from {self.credentials.source})"
                )
            return StoreAuthError(f"{subject} refused the credentials (HTTP 401)", hint=hint)
        user = f"user {self.credentials.user!r}" if self.credentials else "anonymous access"
        return StoreAuthError(
            f"{subject} forbids this operation (HTTP 403)",
            hint=f"{user} may read but not write; use an account with update rights",
        )

    def _final_error(
        self, failure: _AttemptError, what: str, where: str, attempts: int
    ) -> StoreError | AnswerLimitError:
        tried = f" after {attempts} tries" if attempts > 1 else ""
        detail = f": {failure.body}" if failure.body else ""
        subject = naming_once(what, where)
        if failure.limit:
            return AnswerLimitError(
                f"{subject} sent {failure.message}",
                hint="narrow the query (a LIMIT, a bound parameter), or give a larger "
                "--max-answer-mb",
            )
        if failure.redirect:
            return StoreError(
                f"{subject} answered {failure.message}",
                hint="give the endpoint's final URL (the one it redirects to) if you trust it",
            )
        if failure.timeout:
            return StoreTimeoutError(
                f"{subject} gave {failure.message}{tried}",
                hint="try again later, or give a longer --timeout",
            )
        hint = None
        if failure.status == 503 or failure.status == 429:
            hint = "the endpoint is busy or down for maintenance; try again later"
        elif failure.status is None:
            hint = "check that the endpoint is running and the URL is right"
        elif failure.status >= 500:
            hint = "the endpoint failed; try again later, or read its log"
        else:
            hint = "the endpoint refused the request; its answer is quoted above"
        # "… failed with HTTP 400 Bad Request: …", but "…: the connection failed (…)".
        joint = " failed with " if failure.status is not None else ": "
        message = f"{subject}{joint}{failure.message}{tried}{detail}"
        if failure.status is not None:
            return StoreHttpError(message, status=failure.status, hint=hint)
        return StoreError(message, hint=hint)
