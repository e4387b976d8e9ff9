"""Adapters of the RequestStore port, each with its sync and async store side by side.

``access_requests.adapters.memory`` (and ``memory_async``) keep requests in
this process; ``access_requests.adapters.dynamodb`` keeps them in a DynamoDB
table. ``lock``, ``sweep``, ``cursor`` and ``timestamps`` hold the rules every
adapter shares.
"""

from .memory import InMemoryRequestStore
from .memory_async import AsyncInMemoryRequestStore

__all__ = ["AsyncInMemoryRequestStore", "InMemoryRequestStore"]
