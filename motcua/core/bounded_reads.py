"""Reading an outside service's reply without trusting it: the body is abandoned as soon as it
grows past a cap or outlives a deadline, so a slow or endless reply can hold neither memory nor a
worker. One rule for every protocol client (the national portal, its sign-on, …); each client
turns the two exceptions into its own typed error and Vietnamese message."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from motcua.core.lazy import lazy_module

if TYPE_CHECKING:
    import requests
else:
    requests = lazy_module("requests")  # loaded on first use: a worker's memory (core/lazy.py)


CHUNK_BYTES = 64 * 1024


class ReplyTooLarge(Exception):
    def __init__(self, limit: int):
        super().__init__(f"reply larger than {limit} bytes")
        self.limit = limit


class ReplyTooSlow(Exception):
    pass


def read_bounded(response: requests.Response, *, limit: int, deadline: float) -> bytes:
    """The reply's bytes (decoded from any content encoding), at most `limit` of them, read
    before `deadline` (a time.monotonic() value). A declared Content-Length over the cap is
    refused before anything is read."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ReplyTooLarge(limit)
    chunks, size = [], 0
    # read1 returns what has arrived (up to a chunk), so the deadline is checked as bytes come.
    while chunk := response.raw.read1(CHUNK_BYTES, decode_content=True):
        size += len(chunk)
        if size > limit:
            raise ReplyTooLarge(limit)
        if time.monotonic() > deadline:
            raise ReplyTooSlow()
        chunks.append(chunk)
    return b"".join(chunks)
