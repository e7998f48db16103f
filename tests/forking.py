"""What a forked test process does first: forget every database connection it inherited.

The parent closes its connections before forking (connections.close_all()), but that reaches only
the calling thread's; a connection another thread of the parent opened (a live server's, a worker's
heartbeat from an earlier test) may still sit in the copied memory, and a child that used it would
speak on the parent's socket. Dropping the inherited objects — never closing them, the socket is
not the child's — makes the child open its own, as a freshly started process would."""

from asgiref.local import Local
from django.db import connections


def connections_after_fork() -> None:
    connections._connections = Local(connections.thread_critical)  # type: ignore[attr-defined]
