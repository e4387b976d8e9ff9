"""The webhook signature: HMAC-SHA256 of the raw body, checked in constant time."""

import hashlib
import hmac

import pytest

from access_requests.adapters.events.signature import signature, verify_signature

BODY = b'{"Type":"request.created"}'
SECRET = "a shared secret"


def test_the_signature_is_sha256_hmac_of_the_body_in_lowercase_hex() -> None:
    """The header carries sha256= and the hex HMAC-SHA256, as GitHub's does."""
    expected = hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()
    assert signature(BODY, SECRET) == f"sha256={expected}"


def test_a_str_secret_is_its_utf8_bytes() -> None:
    """A str secret signs as its UTF-8 encoding."""
    assert signature(BODY, "clé") == signature(BODY, "clé".encode())


def test_a_receiver_accepts_the_signature_of_the_body_it_got() -> None:
    """verify_signature is True for the sender's header over the same bytes."""
    assert verify_signature(BODY, signature(BODY, SECRET), SECRET)
    assert verify_signature(BODY, signature(BODY, SECRET), SECRET.encode())


def test_a_receiver_refuses_another_body_or_another_secret() -> None:
    """One changed byte of the body, or another secret, fails the check."""
    header = signature(BODY, SECRET)
    assert not verify_signature(BODY + b" ", header, SECRET)
    assert not verify_signature(BODY, header, "another secret")


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "sha256=",
        "sha1=" + "0" * 40,
        "sha256=" + "0" * 63,
        "sha256=" + "0" * 65,
        "sha256=" + "g" * 64,
        "SHA256=" + "0" * 64,
        "sha256=" + "é" * 64,
        "sha256=" + "\x00" * 64,
    ],
)
def test_a_malformed_header_is_refused_without_an_exception(header: str | None) -> None:
    """A missing, truncated, foreign or non-ASCII header is simply not a valid signature."""
    assert verify_signature(BODY, header, SECRET) is False


def test_uppercase_hex_is_not_what_was_signed() -> None:
    """The sender writes lowercase hex; the same digits in uppercase are refused."""
    header = signature(BODY, SECRET)
    assert not verify_signature(
        BODY, "sha256=" + header.removeprefix("sha256=").upper(), SECRET
    )


def test_surrounding_whitespace_in_the_header_is_ignored() -> None:
    """A header value with spaces around it, as some proxies leave it, still verifies."""
    assert verify_signature(BODY, f" {signature(BODY, SECRET)} ", SECRET)


def test_a_body_that_is_not_bytes_or_an_empty_secret_is_a_clear_error() -> None:
    """Verifying a parsed body, or with an empty secret, is a mistake named at once."""
    with pytest.raises(TypeError, match="raw bytes"):
        verify_signature(BODY.decode(), signature(BODY, SECRET), SECRET)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="secret must not be empty"):
        verify_signature(BODY, signature(BODY, SECRET), "")
    with pytest.raises(TypeError, match="secret must be str or bytes"):
        verify_signature(BODY, signature(BODY, SECRET), 42)  # type: ignore[arg-type]
