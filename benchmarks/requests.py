"""The requests the benchmarks work on: varied, valid, and the same on every run."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3

from access_requests.domain import Request, RequestStatus

START = datetime(2026, 1, 15, 3, 53, 45, 123456, tzinfo=UTC)


def sample_requests(
    count: int,
    *,
    seed: int = 7,
    requesters: int = 100,
    profiles: int = 20,
    start: datetime = START,
) -> list[Request]:
    """Return ``count`` requests of ``requesters`` people for ``profiles`` profiles.

    One is created a minute after the other; statuses are spread evenly.
    """
    chooser = random.Random(seed)
    made = []
    for number in range(count):
        created = start + timedelta(minutes=number, microseconds=chooser.randrange(10**6))
        status = chooser.choice(list(RequestStatus))
        made.append(
            Request(
                id=f"{chooser.getrandbits(64):016x}",
                requester=f"engineer-{chooser.randrange(requesters)}@example.com",
                profile=f"profile-{chooser.randrange(profiles)}",
                justification="Investigate incident INC-" + str(chooser.randrange(10**6)) * 3,
                duration=timedelta(minutes=chooser.randrange(1, 480)),
                status=status,
                created_at=created,
                updated_at=created + timedelta(seconds=chooser.randrange(3600)),
                expires_at=created + timedelta(hours=24),
                approver="" if status is RequestStatus.PENDING else "approver@example.com",
                approver_comment="" if status is RequestStatus.PENDING else "looks right",
            )
        )
    return made


def emulator_client(endpoint: str) -> Any:
    """A low-level DynamoDB client of the local emulator at ``endpoint``."""
    return boto3.client(
        "dynamodb",
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
    )


def pending_request(number: int, created_at: datetime, ttl: timedelta) -> Request:
    """The ``number``-th pending request; the constructor is the cheapest valid way."""
    return Request(
        id=f"{number:016x}",
        requester=f"engineer-{number % 5}@example.com",
        profile=f"profile-{number % 5}",
        justification="Investigate incident INC-1234",
        duration=timedelta(hours=1),
        status=RequestStatus.PENDING,
        created_at=created_at,
        updated_at=created_at,
        expires_at=created_at + ttl,
    )
