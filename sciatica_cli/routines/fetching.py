"""Downloading a routine file: https only, 1 MiB at most, a timeout, a few redirects.

The standard library only (``urllib.request`` over an ``ssl`` context that verifies the
server), so importing a routine from a physiotherapist's site needs no new dependency. The
body is read in pieces and never past ``MAX_BYTES + 1`` bytes, whatever the server claims; a
redirect is followed only to another https address, and only a few times. Every failure is one
sentence, ``could not fetch URL: reason``.
"""

from __future__ import annotations

import http.client
import re
import ssl
import urllib.error
import urllib.parse
import urllib.request
from typing import IO, Any

from sciatica_cli import __version__
from sciatica_cli.errors import InvalidRoutine, Problem, SciaticaError
from sciatica_cli.routines.files import MAX_BYTES
from sciatica_cli.text import visible

TIMEOUT = 10.0  # seconds, for connecting and for each read
MAX_REDIRECTS = 5
_LIMIT = "routine files are limited to 1 MiB"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(source: str) -> bool:
    """Does ``source`` look like an address (``scheme://...``) rather than a file path?"""
    return _SCHEME.match(source) is not None


class _Refused(Exception):
    """A redirect this module will not follow; the reason is one sentence."""


class _HttpsRedirects(urllib.request.HTTPRedirectHandler):
    """Follows at most ``MAX_REDIRECTS`` redirects, each to an https address."""

    def __init__(self) -> None:
        self.followed = 0

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        if urllib.parse.urlsplit(newurl).scheme.lower() != "https":
            fp.close()
            raise _Refused(f"it redirects to {newurl}, which is not an https address")
        self.followed += 1
        if self.followed > MAX_REDIRECTS:
            fp.close()
            raise _Refused(f"more than {MAX_REDIRECTS} redirects")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def check_https(url: str) -> None:
    """Refuse, in one sentence, any address that is not ``https://``."""
    scheme = url.split(":", 1)[0].lower()
    if scheme == "http":
        raise SciaticaError(
            f"{visible(url)} is refused: routines are downloaded over https:// only, because "
            "anyone on the way could change a routine sent over http://"
        )
    if scheme != "https":
        raise SciaticaError(f"{visible(url)} is refused: only https:// addresses can be imported")


def fetch_https(
    url: str, *, context: ssl.SSLContext | None = None, timeout: float = TIMEOUT
) -> bytes:
    """The body at https ``url``, verified against ``context`` (the system's by default).

    Raises :class:`SciaticaError` (``could not fetch URL: reason``) for any network, TLS or
    HTTP failure, and :class:`InvalidRoutine` for a body over ``MAX_BYTES``.
    """
    check_https(url)
    shown = visible(url)
    opener = urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=context or ssl.create_default_context()),
        _HttpsRedirects(),
    )
    request = urllib.request.Request(
        url, headers={"User-Agent": f"sciatica/{__version__}", "Accept": "*/*"}
    )
    try:
        with opener.open(request, timeout=timeout) as response:
            return _read_bounded(response, shown)
    except _Refused as err:
        raise SciaticaError(f"could not fetch {shown}: {err}") from None
    except urllib.error.HTTPError as err:
        err.close()
        raise SciaticaError(f"could not fetch {shown}: {_http_reason(err)}") from None
    except urllib.error.URLError as err:
        raise SciaticaError(f"could not fetch {shown}: {_reason(err.reason)}") from None
    except (OSError, http.client.HTTPException, ValueError) as err:
        raise SciaticaError(f"could not fetch {shown}: {_reason(err)}") from None


def _read_bounded(response: Any, label: str) -> bytes:
    """Read the body, never more than ``MAX_BYTES + 1`` bytes."""
    declared = response.headers.get("Content-Length", "")
    if declared.strip().isdigit() and int(declared) > MAX_BYTES:
        raise InvalidRoutine([Problem(label, f"the download is {int(declared):,} bytes; {_LIMIT}")])
    chunks: list[bytes] = []
    left = MAX_BYTES + 1
    while left > 0:
        chunk = response.read(min(left, 1 << 16))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    if left <= 0:
        raise InvalidRoutine([Problem(label, f"the download is over 1 MiB; {_LIMIT}")])
    return b"".join(chunks)


def _http_reason(err: urllib.error.HTTPError) -> str:
    said = str(err.reason)
    if "infinite loop" in said:  # urllib's own check: the same address again and again
        return "it redirects in a loop"
    first = said.splitlines()[0] if said else ""
    return visible(f"HTTP {err.code} {first}".strip())  # the server's words: no escapes


def _reason(reason: object) -> str:
    """One line for why a fetch failed (an OS error's own words where it has them)."""
    if isinstance(reason, TimeoutError):
        return "timed out"
    if isinstance(reason, ssl.SSLCertVerificationError) and reason.verify_message:
        return f"certificate verify failed: {reason.verify_message}"
    if isinstance(reason, OSError) and reason.strerror:
        return visible(str(reason.strerror))
    return visible(str(reason)) or type(reason).__name__
