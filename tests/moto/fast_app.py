"""moto's WSGI application as `serve.py --fast` serves it (under granian).

Imported in granian's worker process, which it ties to its parent's life:
the worker dies when `serve.py` does, even killed.

Two of moto's per-request steps are pure functions recomputed on every
call, a quarter of moto's time per request when profiled (py-spy, moto
5.2): the response class's method names (`inspect.getmembers`) and the
list of moto's service packages (a directory listing and an `isdir` per
entry). Both answer the same for the life of the process, so they are
computed once here. moto's answers are unchanged.
"""

import ctypes
import functools
import os
import signal

import moto_settings  # noqa: E402,F401  (before moto)

import moto.backends  # noqa: E402
import moto.core.responses  # noqa: E402
from moto.moto_server.werkzeug_app import (  # noqa: E402
    DomainDispatcherApplication,
    create_backend_app,
)

PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """SIGKILL this process when its parent (serve.py) dies."""
    parent = os.getppid()
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


_die_with_parent()

_modules = tuple(moto.backends.list_of_moto_modules())
moto.backends.list_of_moto_modules = lambda: _modules
moto.core.responses.method_names_from_class = functools.cache(
    moto.core.responses.method_names_from_class
)

app = DomainDispatcherApplication(create_backend_app)
