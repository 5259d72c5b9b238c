"""Querysets compiled to SQL once per process, then run with each request's values.

Building a queryset and compiling it to SQL costs the ORM one to two milliseconds of CPU, more than
PostgreSQL takes to answer the small indexed queries of a public page. For the few queries every
uncached request of a busy page makes (the release page's row, a person's page), the queryset is
built once with *stand-in* values, compiled, and its SQL kept with a slot where each stand-in was;
a request then only fills the slots and makes the rows into model instances as the ORM does
(``Model.from_db``). The queryset stays the one definition of the query (built with ``public_q`` and
the like), and :func:`compile_queryset` refuses one whose SQL it could not run faithfully.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import connections
from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class Slot:
    """Where a stand-in value was: filled with the request's value of that name."""

    name: str


@dataclass(frozen=True)
class CompiledQuery:
    model: type[Model]
    alias: str
    sql: str
    slots: tuple
    #: The model's fields selected, by attribute name, in the order of the row.
    columns: tuple[str, ...]
    #: The annotations selected after them, set as attributes.
    annotations: tuple[str, ...]

    def params(self, values: Mapping[str, object]) -> list:
        return [values[slot.name] if isinstance(slot, Slot) else slot for slot in self.slots]

    def rows(self, values: Mapping[str, object]) -> list[tuple]:
        """The raw rows (model columns, then annotations)."""
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, self.params(values))
            return cursor.fetchall()

    def instances(self, values: Mapping[str, object]) -> list[Model]:
        return [self.instance(row) for row in self.rows(values)]

    def instance(self, row: tuple) -> Model:
        count = len(self.columns)
        instance = self.model.from_db(self.alias, self.columns, row[:count])
        for name, value in zip(self.annotations, row[count:], strict=True):
            setattr(instance, name, value)
        return instance


def compile_queryset(queryset: QuerySet, stand_ins: Mapping[str, object]) -> CompiledQuery:
    """``queryset`` (built with the ``stand_ins`` values where a request's values will go) as SQL
    with slots, for the database it reads from.

    Each stand-in must be a value no real request uses and must appear in the SQL; the query must
    select plain model columns (then annotations) that need no converting from the database's value,
    and prefetch nothing. Otherwise ``RuntimeError``: a query changed so that it cannot be kept
    compiled fails on its first use, in the tests, not with wrong rows.
    """
    if queryset._prefetch_related_lookups or queryset.query.select_related:
        raise RuntimeError("A compiled query cannot follow relations")
    alias = queryset.db
    compiler = queryset.query.get_compiler(alias)
    sql, params = compiler.as_sql()
    slots = tuple(_slot_for(param, stand_ins) for param in params)
    missing = set(stand_ins) - {slot.name for slot in slots if isinstance(slot, Slot)}
    if missing:
        raise RuntimeError(f"Stand-ins missing from the compiled query: {sorted(missing)}")
    selected = [expression for expression, _sql, _alias in compiler.select]
    if compiler.get_converters(selected):
        raise RuntimeError("A compiled query selects a value the ORM would convert")
    columns, annotations = [], []
    for expression, _sql, name in compiler.select:
        target = getattr(expression, "target", None)
        if target is not None and target.model._meta.concrete_model is queryset.model._meta.concrete_model:
            if annotations:
                raise RuntimeError("A compiled query selects the model's columns first")
            columns.append(target.attname)
        elif name in queryset.query.annotation_select:
            annotations.append(name)
        else:
            raise RuntimeError(f"A compiled query selects something it cannot place: {expression!r}")
    return CompiledQuery(queryset.model, alias, sql, slots, tuple(columns), tuple(annotations))


@dataclass(frozen=True)
class SiteStandIn:
    """A site carrying these (stand-in) organisation ids, for ``on_site``: one parameter per id."""

    organisation_ids: list[int]


def numbered(name: str, values) -> dict[str, object]:
    """``{"name-0": first, "name-1": second, …}``: a list of values as named stand-ins or values."""
    return {f"{name}-{n}": value for n, value in enumerate(values)}


def _slot_for(param, stand_ins: Mapping[str, object]):
    for name, value in stand_ins.items():
        if isinstance(param, type(value)) and param == value:  # psycopg's Int4 is an int
            return Slot(name)
    return param
