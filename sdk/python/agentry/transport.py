"""One HTTP exchange, behind a function the client can be given instead (a proxy, a test's hook).

The default sends with :mod:`urllib.request` and hands back every status, 4xx and 5xx included,
as a :class:`HttpResponse`; only a failure to get an answer raises.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Callable, Dict, Optional


@dataclass(frozen=True)
class HttpRequest:
    method: str
    url: str
    headers: Dict[str, str]
    body: Optional[bytes]
    #: Seconds to wait for the answer.
    timeout: float


@dataclass(frozen=True)
class HttpResponse:
    status: int
    #: Header names in lower case.
    headers: Dict[str, str] = field(default_factory=dict)
    body: bytes = b""


#: Sends a request and returns the answer; raises OSError (or a subclass) when none came.
Transport = Callable[[HttpRequest], HttpResponse]


def urllib_transport(request: HttpRequest) -> HttpResponse:
    """Sends with urllib (which honours the usual proxy environment variables)."""
    prepared = urllib.request.Request(request.url, data=request.body, method=request.method, headers=request.headers)
    try:
        with urllib.request.urlopen(prepared, timeout=request.timeout) as answer:
            return HttpResponse(answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read())
    except urllib.error.HTTPError as error:
        with error:
            return HttpResponse(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())
