"""Benchmark 1: Request to item to Request, per item, for each codec."""

from __future__ import annotations

from collections.abc import Callable

from access_requests.adapters.dynamodb.codec import decode_item, encode_request

from . import alternatives
from .requests import sample_requests
from .timing import interleaved_medians

CODECS: dict[str, tuple[Callable[..., object], Callable[..., object]]] = {
    "access-requests (cattrs)": (encode_request, decode_item),
    "boto3 TypeSerializer": (alternatives.boto3_encode, alternatives.boto3_decode),
    "PynamoDB Model": (alternatives.pynamodb_encode, alternatives.pynamodb_decode),
    "hand-written dict (floor)": (alternatives.hand_encode, alternatives.hand_decode),
}


def run(*, items: int = 100, rounds: int = 41) -> dict[str, float]:
    """Return each codec's median seconds for one round trip of one request."""
    requests = sample_requests(items)
    for name, (encode, decode) in CODECS.items():
        for request in requests:
            assert decode(encode(request)) == request, name

    def round_trips(
        encode: Callable[..., object], decode: Callable[..., object]
    ) -> Callable[[], None]:
        def all_of_them() -> None:
            for request in requests:
                decode(encode(request))

        return all_of_them

    per_batch = interleaved_medians(
        {name: round_trips(*codec) for name, codec in CODECS.items()}, calls=1, rounds=rounds
    )
    return {name: seconds / items for name, seconds in per_batch.items()}


if __name__ == "__main__":
    for name, seconds in run().items():
        print(f"{name:28} {seconds * 1e6:8.2f} us")
