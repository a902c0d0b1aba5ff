"""One page of a list, read in the database: keyset on the id, one row more than asked.

A page starts after the last id of the page before (a cursor, not an offset), so rows
added or removed between two pages neither repeat nor skip the rows not yet read. The
visibility filter stays in the same query: a page never counts, nor reveals, a row the
reader may not see. Reading `limit + 1` rows tells whether a next page exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.sql import Select

T = TypeVar("T", bound=Select[Any])


@dataclass(frozen=True)
class Window:
    """Where a page starts (after the id of the previous page's last row) and how many rows it holds."""

    after: int | None
    limit: int
    newest_first: bool = False

    def apply(self, q: T, id_column: Any) -> T:
        """`q` narrowed to this page, ordered by `id_column`, with one row more than the page holds."""
        if self.after is not None:
            q = q.where(id_column < self.after if self.newest_first else id_column > self.after)
        order = id_column.desc() if self.newest_first else id_column.asc()
        return q.order_by(None).order_by(order).limit(self.limit + 1)
