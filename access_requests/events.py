"""Lifecycle events (spec section 7): the public import path of ``adapters.events``.

Every name that ``access_requests.adapters.events`` exports, under a shorter
path; the list itself is kept there, once.
"""

from .adapters.events import *  # noqa: F403
from .adapters.events import __all__ as __all__
