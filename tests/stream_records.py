"""Pending requests and the Lambda record of creating one, for the event and notifier tests."""

from datetime import UTC, datetime, timedelta
from typing import Any

from access_requests.adapters.dynamodb.codec import encode_request
from access_requests.domain import Request, RequestStatus

CREATED_AT = datetime(2026, 1, 15, 3, 53, 45, 123456, tzinfo=UTC)


def pending_request(
    request_id: str = "5f0c2a9e41d7b3c8", requester: str = "alice", **changes: Any
) -> Request:
    """A pending request created at CREATED_AT; ``changes`` sets more (``lock_token``)."""
    return Request(
        id=request_id,
        requester=requester,
        profile="prod-admin",
        justification="Deploy hotfix for INC-4521",
        duration=timedelta(hours=2),
        status=RequestStatus.PENDING,
        created_at=CREATED_AT,
        updated_at=CREATED_AT,
        expires_at=CREATED_AT + timedelta(days=1),
        **changes,
    )


def pending(number: int) -> Request:
    """A pending request whose id ends in ``number``."""
    return pending_request(f"{number:016x}", f"user-{number}")


def insert(number: int, image: dict[str, Any] | None = None) -> dict[str, Any]:
    """A Lambda record of a creation (of ``image``, if given), SequenceNumber ``number``."""
    return {
        "eventName": "INSERT",
        "eventSource": "aws:dynamodb",
        "dynamodb": {
            "NewImage": encode_request(pending(number)) if image is None else image,
            "SequenceNumber": str(number),
            "StreamViewType": "NEW_AND_OLD_IMAGES",
        },
    }
