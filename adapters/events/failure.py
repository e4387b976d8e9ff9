"""NotificationFailed, and how a notifier names its target without credentials."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from ...domain import AccessRequestError


class NotificationFailed(AccessRequestError):
    """A notifier gave up delivering an event; the last cause is chained.

    Attributes:
        target: Where the event was to go (a URL without credentials or query
            string, or a topic ARN); several, comma-separated, from MultiNotifier.
        reason: What went wrong, in words.
    """

    def __init__(self, target: str, reason: str) -> None:
        super().__init__(f"notification to {target} failed: {reason}")
        self.target = target
        self.reason = reason

    def __reduce__(self) -> tuple[type[NotificationFailed], tuple[str, str]]:
        return (type(self), (self.target, self.reason))


def url_without_userinfo(url: str) -> str:
    """Return ``url`` without its ``user:password@``, if it has one."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def url_without_credentials(url: str) -> str:
    """Return ``url`` without ``user:password@``, query string or fragment.

    Credentials ride in the userinfo and, as tokens, in the query string; a
    message or a log line that names the URL must carry neither.
    """
    parts = urlsplit(url_without_userinfo(url))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
