"""A DynamoDB client whose index Queries read a snapshot that lags the table.

Real DynamoDB's global secondary indexes are eventually consistent: a Query
of one may return an item as it was a moment ago, or one deleted since. The
wrapper keeps a second table of the same schema on the same backend as the
snapshot, and sends every Query that names an IndexName there; everything
else (GetItem, UpdateItem, a Query of the table itself...) goes to the table.
``catch_up()`` copies the table into the snapshot, as an index catches up.
Expressions, pagination and cursors then behave exactly as the backend's.
"""

from __future__ import annotations

from typing import Any, cast

from mypy_boto3_dynamodb import DynamoDBClient

from access_requests.adapters.dynamodb import create_table


class LaggingIndexClient:
    """Wraps a boto3 DynamoDB client; its index Queries read ``snapshot_table``.

    Pass ``as_client()`` where a DynamoDBClient is wanted.
    """

    def __init__(self, client: DynamoDBClient, table: str, snapshot_table: str) -> None:
        self._client = client
        self._table = table
        self._snapshot = snapshot_table
        self.index_queries = 0

    @classmethod
    def create(cls, client: DynamoDBClient, table: str) -> LaggingIndexClient:
        """Create the snapshot table beside ``table`` and return the wrapper, caught up."""
        lagging = cls(client, table, f"{table}-lagging-index")
        create_table(client, lagging._snapshot)
        lagging.catch_up()
        return lagging

    def as_client(self) -> DynamoDBClient:
        """This wrapper, typed as the client it stands in for."""
        return cast(DynamoDBClient, self)

    def query(self, **params: Any) -> Any:
        """A Query: of an index, from the snapshot; of the table, from the table."""
        if "IndexName" in params and params.get("TableName") == self._table:
            self.index_queries += 1
            params = {**params, "TableName": self._snapshot}
        return self._client.query(**params)

    def catch_up(self) -> None:
        """Make the snapshot what the table holds now."""
        held = {item["id"]["S"]: item for item in self._scan(self._table)}
        for item in self._scan(self._snapshot):
            if item["id"]["S"] not in held:
                self._client.delete_item(TableName=self._snapshot, Key={"id": item["id"]})
        for item in held.values():
            self._client.put_item(TableName=self._snapshot, Item=item)

    def drop(self) -> None:
        """Delete the snapshot table."""
        self._client.delete_table(TableName=self._snapshot)

    def _scan(self, table: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        for page in self._client.get_paginator("scan").paginate(
            TableName=table, ConsistentRead=True
        ):
            items.extend(page.get("Items", []))
        return items

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)
