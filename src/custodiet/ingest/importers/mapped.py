"""Any CSV or JSON lines file, read through a mapping file (YAML) that says which column
holds which property: the importer for a dataset no other importer knows.

    dataset:                       # the dataset the rows belong to
      name: city-cctv
      title: City CCTV contracts
      licence: CC BY 4.0
      citation: "Example Council, CCTV contracts register (2024)"
      version: "2024"
    schema: Deployment             # what each row is (default Deployment)
    key: [Contract]                # the columns naming a row (default: its line)
    source: {column: Link}         # each row's source: a column of addresses, or {url: …}
    quote: Summary                 # the column whose words support the row (optional)
    properties:
      vendor: Supplier             # a column, as written
      buyer_country: Country       # countries in any spelling cleaning.py knows
      technology:                  # a column read through a lookup table
        column: Kind
        lookup: {CCTV: safe_city_cctv, ANPR: safe_city_cctv}
      currency: {value: GBP}       # the same value for every row

Organisation properties (vendor, buyer, financier) are company names, resolved onto one
organisation each; country properties are cleaned to ISO codes, the words as written kept.
A lookup that has no entry for a cell reports it (file, line, column) rather than guess.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from custodiet.ingest.cleaning import VendorResolver
from custodiet.ingest.datafile import parse_yaml
from custodiet.ingest.importers.base import Facts, Importer, Release, json_lines, vendors_in
from custodiet.model.datasets import Dataset, parse
from custodiet.model.errors import DataError
from custodiet.model.schemata import schema as get_schema
from custodiet.model.text import slug

MAX_FIELD = 1 << 20  # a CSV cell larger than this is not a cell of a dataset


class Column(BaseModel):
    model_config = ConfigDict(extra="forbid")

    column: str | None = None
    value: str | None = None
    lookup: dict[str, str] | None = None
    default: str | None = None  # for a cell the lookup has no entry for

    @model_validator(mode="after")
    def _one(self) -> Column:
        if (self.column is None) == (self.value is None):
            raise ValueError("give a column or a value, not both")
        return self


class SourceSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    column: str | None = None
    url: str | None = None
    title: str | None = None
    publisher: str | None = None

    @model_validator(mode="after")
    def _one(self) -> SourceSpec:
        if (self.column is None) == (self.url is None):
            raise ValueError("give a column of addresses or a url, not both")
        return self


class Mapping(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dataset: dict[str, Any]
    schema_: str = Field("Deployment", alias="schema")
    format: Literal["csv", "jsonl"] | None = None
    delimiter: str = ","
    key: list[str] = Field(default_factory=list)
    source: SourceSpec
    quote: str | None = None
    properties: dict[str, Column]

    @field_validator("properties", mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        """`vendor: Supplier` is `vendor: {column: Supplier}`."""
        if isinstance(value, dict):
            return {k: {"column": v} if isinstance(v, str) else v for k, v in value.items()}
        return value

    def columns(self) -> set[str]:
        named = {c.column for c in self.properties.values() if c.column}
        return named | set(self.key) | {c for c in (self.source.column, self.quote) if c}


def _yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"cannot read the mapping: {exc}", file=str(path)) from None
    _node, raw = parse_yaml(text, str(path))
    if not isinstance(raw, dict):
        raise DataError("a mapping is a YAML mapping (dataset, properties…)", file=str(path))
    return raw


def _dataset(raw: Any, path: Path) -> Dataset:
    if not isinstance(raw, dict):
        message = "no dataset: name, title, licence, citation"
        raise DataError(message, file=str(path), field="dataset")
    try:
        return parse(str(raw.get("name", "")), {k: v for k, v in raw.items() if k != "name"})
    except ValueError as exc:
        raise DataError(str(exc), file=str(path), field="dataset") from None


def load_dataset(path: Path) -> Dataset:
    """The dataset a mapping file declares (all the ftm importer needs of one)."""
    raw = _yaml(path)
    unknown = sorted(set(raw) - {"dataset"})
    if unknown:
        raise DataError("the ftm importer's mapping declares only the dataset", file=str(path),
                        field=unknown[0])  # fmt: skip
    return _dataset(raw.get("dataset"), path)


def load_mapping(path: Path) -> tuple[Mapping, Dataset]:
    """The mapping in a YAML file, checked against the schema it names, or a DataError
    naming the file and the field."""
    raw = _yaml(path)
    try:
        mapping = Mapping.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise DataError(first["msg"], file=str(path), field=where or None) from None
    dataset = _dataset(mapping.dataset, path)
    try:
        schema = get_schema(mapping.schema_)
    except ValueError as exc:
        raise DataError(str(exc), file=str(path), field="schema") from None
    for prop, spec in mapping.properties.items():
        if prop not in schema.properties:
            known = ", ".join(schema.properties)
            raise DataError(
                f"{schema.name} has no property {prop!r} (it has {known})",
                file=str(path),
                field=f"properties.{prop}",
            )
        if spec.lookup is not None and spec.column is None:
            raise DataError("a lookup reads a column", file=str(path), field=f"properties.{prop}")
    return mapping, dataset


class MappedImporter(Importer):
    name = "csv"
    summary = "any CSV or JSON lines file, with a mapping file (--mapping) naming its columns"
    takes_mapping = True

    def __init__(self, mapping: Path | None = None) -> None:
        if mapping is None:
            raise DataError("the csv importer needs --mapping FILE.yaml (see docs/data-files.md)")
        self.mapping_file = str(mapping)
        self.mapping, self.declared = load_mapping(mapping)
        self.dataset = self.declared.name
        self.schema = get_schema(self.mapping.schema_)

    def read(self, path: Path, vendors: VendorResolver, facts: Facts) -> Release:
        count = 0
        for line, row in self._rows(path):
            count += 1
            with facts.record():
                self._row(facts, vendors, row, line)
        return Release(self.declared, facts, count)

    def _rows(self, path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
        layout = self.mapping.format or ("jsonl" if path.suffix in {".jsonl", ".ndjson"} else "csv")
        with path.open(encoding="utf-8-sig", newline="" if layout == "csv" else None) as f:
            if layout == "jsonl":
                seen: set[str] = set()
                for line, record in _json_lines(f, str(path)):
                    seen.update(record)
                    yield line, record
                never = sorted(self.mapping.columns() - seen)
                if never:
                    raise DataError(f"no record has the field {never[0]!r} the mapping names",
                                    file=str(path))  # fmt: skip
                return
            csv.field_size_limit(MAX_FIELD)
            reader = csv.DictReader(f, delimiter=self.mapping.delimiter)
            header = reader.fieldnames or []
            for column in sorted(self.mapping.columns()):
                if column not in header:
                    raise DataError(
                        f"missing column {column!r}, which {Path(self.mapping_file).name} maps "
                        f"(the file has {', '.join(header[:12]) or 'no header'})",
                        file=str(path),
                    )
            try:
                for row in reader:
                    yield reader.line_num, row
            except csv.Error as exc:
                raise DataError(f"not CSV: {exc}", file=str(path), line=reader.line_num) from None

    def _row(self, facts: Facts, vendors: VendorResolver, row: dict[str, Any], line: int) -> None:
        """The row's facts. A value that cannot be read is left out (and reported); a row
        left without a property its schema requires is left out whole."""
        key = "-".join(slug(str(row.get(k) or "")) for k in self.mapping.key) or f"line-{line}"
        entity = f"{self.schema.id_prefix}:{self.dataset}-{key}"
        source = self._source(facts, row, line)
        quote = _cell(row, self.mapping.quote) if self.mapping.quote else None
        got: set[str] = set()
        for prop, spec in self.mapping.properties.items():
            raw = spec.value if spec.value is not None else _cell(row, spec.column or "")
            if raw is not None and spec.lookup is not None:
                raw = _looked_up(spec, raw, facts, line, prop)
            if raw is None:
                continue
            written = raw if spec.lookup is None else _cell(row, spec.column or "")
            column = spec.column or prop
            kind = self.schema.get(prop).type
            values: list[tuple[str, str | None]] = []
            if kind == "entity":
                found = vendors_in(
                    facts, vendors, raw, source, line=line, column=column, quote=quote
                )
                values = [(org, name) for org, name, _match in found]
            elif kind == "country":
                try:
                    values = [(facts.country(raw, column=column, line=line), written)]
                except DataError as exc:
                    facts.problem(exc)
            else:
                values = [(raw, written)]
            for value, original in values:
                kept = original if original != value else None
                stored = facts.add(entity, prop, value, source, line=line, column=column,
                                   quote=quote, original=kept)  # fmt: skip
                if stored is not None:
                    got.add(prop)
        for prop in self.schema.required:
            if prop not in got:
                raise DataError(f"no {prop}: the row is left out", file=facts.file, line=line,
                                field=self._column_of(prop))  # fmt: skip

    def _column_of(self, prop: str) -> str:
        spec = self.mapping.properties.get(prop)
        return (spec.column if spec else None) or prop

    def _source(self, facts: Facts, row: dict[str, Any], line: int) -> str:
        spec = self.mapping.source
        url = spec.url or _cell(row, spec.column or "")
        if not url or not url.startswith(("http://", "https://")):
            raise DataError(
                f"no source address ({url!r})", file=facts.file, line=line, field=spec.column
            )
        return facts.source(url, title=spec.title, publisher=spec.publisher)


def _cell(row: dict[str, Any], column: str) -> str | None:
    value = row.get(column)
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    return str(value).strip() or None


def _looked_up(spec: Column, cell: str, facts: Facts, line: int, prop: str) -> str | None:
    table = {" ".join(k.lower().split()): v for k, v in (spec.lookup or {}).items()}
    found = table.get(" ".join(cell.lower().split()), spec.default)
    if found is None:
        facts.problem(DataError(f"{cell!r} is not in the lookup of {prop}", file=facts.file,
                                line=line, field=spec.column))  # fmt: skip
    return found


def _json_lines(lines: Any, file: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for line, record in json_lines(lines, file):
        if not isinstance(record, dict):
            raise DataError("each line must be a JSON object", file=file, line=line)
        yield line, record
