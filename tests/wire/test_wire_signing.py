"""The direct wire signs every request exactly as botocore's SigV4Auth signs it."""

from datetime import UTC, datetime

import botocore.auth
import pytest
from botocore.awsrequest import AWSRequest
from botocore.credentials import ReadOnlyCredentials
from botocore.exceptions import NoCredentialsError

from access_requests.adapters.dynamodb.wire import Attempt, Signer

AT = datetime(2026, 11, 29, 23, 59, 58, tzinfo=UTC)
UNSIGNED = ("User-Agent", "amz-sdk-invocation-id", "amz-sdk-request")  # sent unsigned
BODY = b'{"TableName":"t","Key":{"id":{"S":"r-1"}},"ConsistentRead":true}'


def botocore_headers(
    url: str,
    attempt: Attempt,
    credentials: ReadOnlyCredentials,
    monkeypatch: pytest.MonkeyPatch,
) -> dict[str, str]:
    """The headers botocore's SigV4Auth gives the same request at AT."""
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: AT.replace(tzinfo=None))
    request = AWSRequest(
        method="POST",
        url=url,
        data=attempt.body,
        headers={
            "X-Amz-Target": f"DynamoDB_20120810.{attempt.operation}",
            "Content-Type": "application/x-amz-json-1.0",
        },
    )
    botocore.auth.SigV4Auth(credentials, "dynamodb", "eu-west-1").add_auth(request)
    return {name.lower(): value for name, value in request.headers.items()}


@pytest.mark.parametrize(
    "url",
    [
        "https://dynamodb.eu-west-1.amazonaws.com/",
        "http://127.0.0.1:8000/",
        "https://localhost:443/",
        "http://[::1]:8000/",
        "https://example.com:8443/dynamo/",
    ],
)
@pytest.mark.parametrize("token", [None, "a session token"])
def test_signs_as_botocore_signs(
    url: str, token: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every header botocore's signer sets has the same value on the direct wire."""
    credentials = ReadOnlyCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG", token)
    attempt = Attempt("GetItem", BODY)
    ours = Signer(url, "eu-west-1", "dynamodb").headers(attempt, credentials, AT)
    theirs = botocore_headers(url, attempt, credentials, monkeypatch)
    # Check the signature, and every header it covers
    assert {
        name.lower(): value for name, value in ours.items() if name not in UNSIGNED
    } == theirs


def test_a_new_secret_is_signed_with_a_new_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refreshed credentials sign with their own key, not the one cached for the old secret."""
    url = "http://127.0.0.1:8000/"
    signer = Signer(url, "eu-west-1", "dynamodb")
    attempt = Attempt("PutItem", BODY)
    old = ReadOnlyCredentials("AKIDOLD", "old secret", None)
    new = ReadOnlyCredentials("AKIDNEW", "new secret", "new token")
    signer.headers(attempt, old, AT)
    ours = signer.headers(attempt, new, AT)
    assert (
        ours["Authorization"]
        == botocore_headers(url, attempt, new, monkeypatch)["authorization"]
    )


def test_signing_without_credentials_raises_botocores_error() -> None:
    """No credentials at all raise NoCredentialsError, as botocore's signer does."""
    signer = Signer("http://127.0.0.1:8000/", "eu-west-1", "dynamodb")
    with pytest.raises(NoCredentialsError):
        signer.headers(Attempt("GetItem", BODY), None, AT)
