"""The data-file format: sources plus entities whose property values carry evidence.

A bundle (one YAML file, or the lines of a JSONL file) compiles to Sources and
Statements. Every problem is raised as a DataError with the path of the field,
which the reader of the file turns into a line number.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from custodiet.model import types
from custodiet.model.datasets import Dataset, catalogue, parse
from custodiet.model.errors import DataError
from custodiet.model.schemata import Schema, schema, schema_for_id
from custodiet.model.source import Source, normalise_text, text_id, url_id
from custodiet.model.statement import DEFAULT_DATASET, Statement, Status, now

Path = tuple[str | int, ...]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceSpec(_Strict):
    id: str | None = None
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: Any = None
    retrieved: Any = None
    language: str | None = None
    licence: str | None = None
    text: str | None = None


class DatasetSpec(_Strict):
    """A dataset declared by the file whose statements come from it."""

    name: str
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    licence: str | None = None
    citation: str | None = None
    version: Any = None
    released: Any = None
    description: str | None = None


class Provenance(_Strict):
    """What a statement says about how it was made; each level overrides the one above."""

    source: str | None = None
    dataset: str | None = None
    method: str | None = None
    status: Status | None = None
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    author: str | None = None
    reviewer: str | None = None


class Evidence(Provenance):
    """The words that support a value: given on a value, or once for a whole entity block."""

    quote: str | None = None
    start: int | None = Field(default=None, ge=0)
    end: int | None = Field(default=None, ge=0)


class ValueSpec(Evidence):
    value: Any


class EntitySpec(Evidence):
    id: str
    schema_name: str | None = Field(default=None, alias="schema")
    properties: dict[str, Any]


class Bundle(_Strict):
    dataset: DatasetSpec | str | None = None
    sources: dict[str, SourceSpec] = Field(default_factory=dict)
    defaults: Provenance = Field(default_factory=Provenance)
    entities: list[EntitySpec] = Field(default_factory=list)


def parse_model(model: type[BaseModel], raw: Any, path: Path) -> Any:
    """Validate with pydantic, turning its first complaint into a located DataError."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise DataError(err["msg"], field=dotted(path + tuple(err["loc"]))) from None


def dotted(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class Compiler:
    """Turns validated bundles into Sources and Statements, checking every value."""

    def __init__(self) -> None:
        self.sources: dict[str, Source] = {}
        self.statements: list[Statement] = []
        self.datasets: dict[str, Dataset] = {}  # declared by the files themselves
        self._dataset: str | None = None  # the current file's
        self._named: dict[str, tuple[str | None, int | None]] = {}  # dataset -> where first
        self._keys: dict[str, str] = {}  # a bundle's local source key -> source id
        self._first_seen: dict[str, tuple[Schema, str, str | None, int | None]] = {}
        self._file: str | None = None
        self._locate: Callable[[str], int | None] = lambda _field: None

    def begin_file(self, name: str, locate: Callable[[str], int | None] | None = None) -> None:
        """Source keys are local to one file; entity ids are global."""
        self._keys = {}
        self._file = name
        self._dataset = None
        self.locate_with(locate or (lambda _field: None))

    def use_dataset(self, spec: DatasetSpec | str, path: Path) -> None:
        """The current file's statements come from this dataset (declared here, or known)."""
        if isinstance(spec, str):
            self._dataset = spec
            self._named.setdefault(spec, (self._file, self._locate(dotted(path))))
            return
        raw = spec.model_dump(exclude={"name"}, exclude_none=True)
        try:
            dataset = parse(spec.name, raw)
        except ValueError as exc:
            raise DataError(str(exc), field=dotted(path)) from None
        known = self.datasets.get(dataset.name)
        if known is not None and known != dataset:
            raise DataError(
                f"dataset {dataset.name} is declared twice, differently", field=dotted(path)
            )
        self.datasets[dataset.name] = dataset
        self._dataset = dataset.name

    def locate_with(self, locate: Callable[[str], int | None]) -> None:
        """How to turn a field path of the current file into a line number."""
        self._locate = locate

    def add_source(self, key: str, spec: SourceSpec, path: Path) -> None:
        source = build_source(spec, path)
        self._keys[key] = source.id
        self.sources.setdefault(source.id, source)

    def add_entity(self, spec: EntitySpec, defaults: Provenance, path: Path) -> None:
        try:
            types.entity(spec.id)
            sch = schema_for_id(spec.id)
            if spec.schema_name and schema(spec.schema_name) is not sch:
                raise ValueError(f"{spec.id} is a {sch.name}, not a {spec.schema_name}")
        except ValueError as exc:
            raise DataError(str(exc), field=dotted((*path, "id"))) from None
        field = dotted((*path, "id"))
        self._first_seen.setdefault(spec.id, (sch, field, self._file, self._locate(field)))
        for prop, raw in spec.properties.items():
            ppath = (*path, "properties", prop)
            try:
                sch.get(prop)
            except ValueError as exc:
                raise DataError(str(exc), field=dotted(ppath)) from None
            items = raw if isinstance(raw, list) else [raw]
            for i, item in enumerate(items):
                vpath = (*ppath, i) if isinstance(raw, list) else ppath
                value = item if isinstance(item, dict) else {"value": item}
                vspec: ValueSpec = parse_model(ValueSpec, value, vpath)
                self.statements.append(self._statement(sch, spec, prop, vspec, defaults, vpath))

    def check_datasets(self, stored: set[str]) -> None:
        """Every dataset a file names is declared in one, shipped, or already stored."""
        for name, (file, line) in self._named.items():
            if name not in self.datasets and name not in stored and name not in catalogue():
                raise DataError(
                    f"unknown dataset {name!r}: declare it (name, title, licence, citation)",
                    file=file,
                    line=line,
                    field="dataset",
                )

    def check_required(self, stored: Callable[[str], set[str]] = lambda _id: set()) -> None:
        """Every entity needs its schema's required properties, here or already stored."""
        present: dict[str, set[str]] = {}
        for s in self.statements:
            present.setdefault(s.entity_id, set()).add(s.prop)
        for entity_id, (sch, field, file, line) in self._first_seen.items():
            have = present.get(entity_id, set())
            missing = [p for p in sch.required if p not in have]
            if missing and (missing := [p for p in missing if p not in stored(entity_id)]):
                raise DataError(
                    f"{entity_id} ({sch.name}) needs {', '.join(missing)}",
                    file=file,
                    line=line,
                    field=field,
                )

    def _statement(
        self,
        sch: Schema,
        entity: EntitySpec,
        prop: str,
        spec: ValueSpec,
        defaults: Provenance,
        path: Path,
    ) -> Statement:
        def pick(name: str) -> Any:
            for level in (spec, entity, defaults):
                if getattr(level, name) is not None:
                    return getattr(level, name)
            return None

        try:
            value = sch.get(prop).normalise(spec.value)
        except ValueError as exc:
            raise DataError(str(exc), field=dotted(path)) from None
        cleaned = isinstance(spec.value, str) and spec.value.strip() != value
        source_id = self._source_id(pick("source"), path)
        if spec.quote is not None and "\x00" in spec.quote:
            raise DataError("the quote contains a NUL character", field=dotted(path))
        if spec.quote is None and entity.quote is not None:
            spec = spec.model_copy(
                update={"quote": entity.quote, "start": entity.start, "end": entity.end}
            )
        start, end = self._offsets(source_id, spec, path)
        dataset = pick("dataset") or self._dataset or DEFAULT_DATASET
        self._named.setdefault(dataset, (self._file, self._locate(dotted(path))))
        status = pick("status") or Status.ACCEPTED
        author = pick("author")
        reviewed = status in (Status.ACCEPTED, Status.REJECTED)
        try:
            return Statement.make(
                entity_id=entity.id,
                schema=sch.name,
                prop=prop,
                value=value,
                source_id=source_id,
                quote=spec.quote,
                start=start,
                end=end,
                method=pick("method") or "manual",
                confidence=1.0 if pick("confidence") is None else pick("confidence"),
                status=status,
                author=author,
                reviewer=(pick("reviewer") or author) if reviewed else None,
                reviewed_at=now() if reviewed else None,
                dataset=dataset,
                original_value=spec.value.strip() if cleaned else None,
            )
        except ValidationError as exc:
            raise DataError(exc.errors()[0]["msg"], field=dotted(path)) from None

    def _source_id(self, key: str | None, path: Path) -> str:
        if key is None and len(self._keys) == 1:
            key = next(iter(self._keys))
        if key is None:
            raise DataError("no source: name one with `source:`", field=dotted(path))
        if key in self._keys:
            return self._keys[key]
        if key in self.sources:
            return key
        raise DataError(f"unknown source {key!r}", field=dotted(path))

    def _offsets(
        self, source_id: str, spec: ValueSpec, path: Path
    ) -> tuple[int | None, int | None]:
        text = self.sources[source_id].text if source_id in self.sources else None
        if spec.quote is None or text is None:
            return spec.start, spec.end
        if spec.start is None:
            found = text.find(spec.quote)
            if found < 0:
                raise DataError("the quote is not in the source's text", field=dotted(path))
            return found, found + len(spec.quote)
        if text[spec.start : spec.end] != spec.quote:
            raise DataError(
                "the quote does not stand at start:end in the source's text", field=dotted(path)
            )
        return spec.start, spec.end


def build_source(spec: SourceSpec, path: Path) -> Source:
    def check(field: str, fn: types.Normaliser) -> str | None:
        raw = getattr(spec, field)
        if raw is None:
            return None
        try:
            return fn(raw)
        except ValueError as exc:
            raise DataError(str(exc), field=dotted((*path, field))) from None

    url = check("url", types.url)
    text = normalise_text(spec.text) if spec.text is not None else None
    source_id = spec.id or (text_id(text) if text else url_id(url) if url else None)
    if source_id is None:
        raise DataError("a source needs an id, a url or a text", field=dotted(path))
    if text is not None and source_id != text_id(text):
        raise DataError("id is not the sha256 of the normalised text", field=dotted(path))
    data = spec.model_dump() | {
        "id": source_id,
        "url": url,
        "text": text,
        "published": check("published", types.date),
        "retrieved": check("retrieved", types.date),
    }
    source: Source = parse_model(Source, data, path)
    return source
