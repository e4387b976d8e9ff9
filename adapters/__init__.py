"""Adapters of the RequestStore port.

``access_requests.adapters.memory`` keeps requests in this process;
``access_requests.adapters.dynamodb`` keeps them in a DynamoDB table.
"""

from .memory import InMemoryRequestStore

__all__ = ["InMemoryRequestStore"]
