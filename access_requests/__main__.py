"""``python -m access_requests``: the same as the ``access-requests`` command."""

from .cli import main

raise SystemExit(main())
