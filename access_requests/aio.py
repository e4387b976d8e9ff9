"""The RequestStore port for asyncio services, and its two adapters.

``AsyncRequestStore`` has the methods of ``RequestStore`` as coroutines.
``AsyncInMemoryRequestStore`` and ``AsyncDynamoDBRequestStore`` keep every
rule of their sync twins by sharing their code: only the awaiting differs.
``AsyncDynamoDBRequestStore`` takes an aiobotocore client (the ``async`` extra);
this module imports without it. Each lives beside its sync twin
(``ports.store_async``, ``adapters.memory_async``, ``adapters.dynamodb.store_async``);
this is their public import path.
"""

from .adapters.dynamodb.store_async import AsyncDynamoDBRequestStore
from .adapters.memory_async import AsyncInMemoryRequestStore
from .ports.store_async import AsyncRequestStore

__all__ = ["AsyncDynamoDBRequestStore", "AsyncInMemoryRequestStore", "AsyncRequestStore"]
