"""The webhook signature: HMAC-SHA256 of the raw body, as GitHub and Stripe sign theirs.

The header reads ``sha256=<64 lowercase hex digits>``; the sender computes it
over the exact bytes it posts, and a receiver over the exact bytes it got,
before it parses them.
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Sentinel-Signature"
_PREFIX = "sha256="
_HEX_DIGITS = frozenset("0123456789abcdef")


def signature(body: bytes, secret: str | bytes) -> str:
    """Return the signature header's value for ``body`` under ``secret``."""
    return _PREFIX + hmac.new(_key(secret), body, hashlib.sha256).hexdigest()


def verify_signature(body: bytes, header: str | None, secret: str | bytes) -> bool:
    """Tell whether ``header`` is the signature of ``body`` under ``secret``.

    Compares in constant time. A missing or malformed header (another scheme,
    a wrong length, characters other than hex digits) is simply not a valid
    signature: False, never an exception.

    Args:
        body: The request body exactly as received, before any parsing.
        header: The ``X-Sentinel-Signature`` header's value, or None if absent.
        secret: The secret shared with the sender (a str is taken as UTF-8).

    Raises:
        TypeError: ``body`` is not bytes, or ``secret`` neither str nor bytes.
        ValueError: ``secret`` is empty.
    """
    if not isinstance(body, bytes | bytearray | memoryview):
        raise TypeError(f"body must be the raw bytes received, got {type(body).__name__}")
    expected = signature(bytes(body), secret)
    if not isinstance(header, str):
        return False
    # The header is compared as ASCII bytes: compare_digest refuses a str with
    # other characters, and hex digits cased otherwise are not what was signed.
    candidate = header.strip()
    if len(candidate) != len(expected) or not _is_signature_shape(candidate):
        return False
    return hmac.compare_digest(candidate.encode("ascii"), expected.encode("ascii"))


def _is_signature_shape(candidate: str) -> bool:
    return candidate.startswith(_PREFIX) and _HEX_DIGITS.issuperset(candidate[len(_PREFIX) :])


def _key(secret: str | bytes) -> bytes:
    if isinstance(secret, str):
        key = secret.encode("utf-8")
    elif isinstance(secret, bytes):
        key = secret
    else:
        raise TypeError(f"secret must be str or bytes, got {type(secret).__name__}")
    if not key:
        raise ValueError("secret must not be empty")
    return key
