"""The RequestStore port for asyncio services, and its two adapters.

``AsyncRequestStore`` has the methods of ``RequestStore`` as coroutines.
``AsyncInMemoryRequestStore`` and ``AsyncDynamoDBRequestStore`` keep every
rule of their sync twins by sharing their code: only the awaiting differs.
``AsyncDynamoDBRequestStore`` takes an aiobotocore client (the ``async`` extra);
this package imports without it.
"""

from .dynamodb import AsyncDynamoDBRequestStore
from .memory import AsyncInMemoryRequestStore
from .store import AsyncRequestStore

__all__ = ["AsyncDynamoDBRequestStore", "AsyncInMemoryRequestStore", "AsyncRequestStore"]
