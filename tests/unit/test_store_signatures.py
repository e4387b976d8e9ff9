"""Every store, sync or async, has the port's methods with the port's signatures and words.

The port's ten methods are written in six classes (two ports, four stores);
this holds each copy to ``RequestStore``, so that none can drift.
"""

import inspect
from collections.abc import Callable
from typing import Any

import pytest

from access_requests.adapters.dynamodb import AsyncDynamoDBRequestStore, DynamoDBRequestStore
from access_requests.adapters.memory import InMemoryRequestStore
from access_requests.adapters.memory_async import AsyncInMemoryRequestStore
from access_requests.ports import AsyncRequestStore, RequestStore

METHODS = [
    name
    for name, member in vars(RequestStore).items()
    if inspect.isfunction(member) and not name.startswith("_")
]
SYNC = [InMemoryRequestStore, DynamoDBRequestStore]
ASYNC = [AsyncRequestStore, AsyncInMemoryRequestStore, AsyncDynamoDBRequestStore]


def shape(method: Callable[..., Any]) -> tuple[object, ...]:
    """What a caller relies on: each parameter (name, kind, default, type) and the result."""
    signature = inspect.signature(method)
    return (
        [(p.name, p.kind, p.default, str(p.annotation)) for p in signature.parameters.values()],
        str(signature.return_annotation),
    )


def test_the_port_has_the_ten_methods() -> None:
    """The port names ten methods, each with a docstring of its own."""
    assert len(METHODS) == 10
    assert all(getattr(RequestStore, name).__doc__ for name in METHODS)


@pytest.mark.parametrize("store", SYNC + ASYNC, ids=lambda store: store.__name__)
@pytest.mark.parametrize("name", METHODS)
def test_every_copy_has_the_ports_signature_and_docstring(store: type, name: str) -> None:
    """Each store's method takes, returns and says what the port's does."""
    port_method = getattr(RequestStore, name)
    method = getattr(store, name)
    assert shape(method) == shape(port_method)
    assert method.__doc__ == port_method.__doc__
    assert inspect.iscoroutinefunction(method) is (store in ASYNC)
