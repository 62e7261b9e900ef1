"""Querysets of a fixed shape, compiled to SQL once per process and run with new values.

Building the SQL of a queryset (joins, the column list of .only() and select_related, the
window function) costs several times what SQLite or PostgreSQL take to answer it. The pages
read on every request ask the same question with a different article each time, so the
question is compiled once per database connection alias, with a marker value where the
article goes, and each request runs that SQL with its own value. Rows become model
instances exactly as the ORM makes them (database converters, deferred fields,
select_related objects, annotations).

A queryset whose SQL does not carry the marker as exactly one parameter is simply run
through the ORM each time.
"""

from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from django.core.signals import setting_changed
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

M = TypeVar("M", bound=Model)

# Stand-ins for the varying value while the SQL is built: values no row holds.
INT_MARK = -7_364_019_281
STR_MARK = "\x00yumao-prepared-query-marker\x00"


class _Compiled:
    def __init__(self, queryset: QuerySet, mark: Any):
        compiler = queryset.query.get_compiler(queryset.db)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        positions = [index for index, param in enumerate(self.params) if param == mark]
        self.position = positions[0] if len(positions) == 1 else None
        self.using = queryset.db
        self.compiler = compiler
        klass_info = compiler.klass_info
        select = compiler.select
        fields = klass_info["select_fields"]
        self.model = klass_info["model"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [column[0].target.attname for column in select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, select, self.using)
        self.annotations = list(compiler.annotation_col_map.items())

    def run(self, value: Any) -> list[Model]:
        params = list(self.params)
        params[self.position] = value
        with connections[self.using].cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        objects = []
        for row in self.compiler.results_iter(results=[rows]):
            obj = self.model.from_db(self.using, self.init_list, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in self.annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects


_all: list["PreparedQuery"] = []


def _forget_compiled(**kwargs) -> None:
    """A changed setting (in tests: the databases) may change the SQL: compile again."""
    for prepared in _all:
        prepared._compiled.clear()


setting_changed.connect(_forget_compiled)


class PreparedQuery(Generic[M]):
    """`build(value, *shape)` returns the queryset; `shape` (e.g. a page's offset) is part of
    the SQL, so each shape is compiled once; `value` varies freely."""

    def __init__(self, model: type[M], build: Callable[..., QuerySet[M]], *, mark: Any = INT_MARK):
        self.model = model
        self.build = build
        self.mark = mark
        self._compiled: dict[tuple, _Compiled] = {}
        _all.append(self)

    def list(self, value: Any, *shape: Hashable) -> list[M]:
        using = router.db_for_read(self.model)
        key = (using, connections[using].vendor, *shape)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = _Compiled(self.build(self.mark, *shape), self.mark)
            self._compiled[key] = compiled
        if compiled.position is None or compiled.using != using:
            return list(self.build(value, *shape))
        return compiled.run(value)
