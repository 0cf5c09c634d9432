"""Reading data files (YAML bundles, JSONL lines) with every error located to a line."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import yaml

from custodiet.ingest.bundle import (
    Bundle,
    Compiler,
    DatasetSpec,
    EntitySpec,
    Provenance,
    SourceSpec,
    parse_model,
)
from custodiet.ingest.bundle import (
    Path as FieldPath,
)
from custodiet.model.errors import DataError

SUFFIXES = (".yaml", ".yml", ".jsonl")
MAX_NODES = 1_000_000  # values a YAML data file may hold once its aliases are expanded


def line_of(node: yaml.Node | None, path: FieldPath) -> int | None:
    """The 1-based line where the deepest reachable part of `path` stands in a YAML tree."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in path:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == part), None)
            key = next((k for k, _ in node.value if k.value == part), None)
            if child is None:
                break
            line = key.start_mark.line + 1 if key is not None else line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            child = node.value[part]
            line = child.start_mark.line + 1
        else:
            break
        node = child
    return line


def _field_path(field: str | None) -> FieldPath:
    parts: list[str | int] = []
    for chunk in (field or "").replace("]", "").split("."):
        for i, piece in enumerate(chunk.split("[")):
            if piece:
                parts.append(int(piece) if i else piece)
    return tuple(parts)


def expanded_size(node: yaml.Node | None) -> int:
    """How many nodes the document becomes once every alias is expanded (counted without
    expanding: an alias is the same node object, sized once)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(node, False)] if node is not None else []
    while stack:
        current, children_done = stack.pop()
        if id(current) in sizes:
            continue
        children = _children(current)
        if children_done or not children:
            sizes[id(current)] = 1 + sum(sizes[id(c)] for c in children)
        else:
            stack.append((current, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes[id(node)] if node is not None else 0


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def parse_yaml(text: str, where: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for line numbers) and the data, refusing a document that aliases
    expand beyond MAX_NODES (a "billion laughs" of 636 bytes would take gigabytes)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise DataError(
            f"YAML syntax: {problem}", file=where, line=mark.line + 1 if mark else None
        ) from None
    except RecursionError:
        raise DataError("YAML nested too deep", file=where) from None
    if expanded_size(node) > MAX_NODES:
        raise DataError(
            f"YAML aliases expand to more than {MAX_NODES:,} values; write them out", file=where
        )
    if node is None:
        return None, None
    loader = yaml.SafeLoader("")
    try:
        return node, loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataError(
            f"YAML: {getattr(exc, 'problem', None) or exc}",
            file=where,
            line=mark.line + 1 if mark else None,
        ) from None
    finally:
        loader.dispose()


def load_yaml(path: Path, compiler: Compiler) -> None:
    text = read_text(path)
    node, raw = parse_yaml(text, str(path))
    compiler.begin_file(str(path), lambda field: line_of(node, _field_path(field)))
    try:
        bundle: Bundle = parse_model(Bundle, raw or {}, ())
        if bundle.dataset is not None:
            compiler.use_dataset(bundle.dataset, ("dataset",))
        for key, spec in bundle.sources.items():
            compiler.add_source(key, spec, ("sources", key))
        for i, entity in enumerate(bundle.entities):
            compiler.add_entity(entity, bundle.defaults, ("entities", i))
    except DataError as exc:
        raise exc.located(file=str(path), line=line_of(node, _field_path(exc.field))) from None


def load_jsonl(path: Path, compiler: Compiler) -> None:
    """Each line is {"dataset": …}, {"source": {...}}, {"defaults": {...}} or {"entity": {...}}."""
    compiler.begin_file(str(path))
    defaults = Provenance()
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        compiler.locate_with(functools.partial(_same_line, number))
        try:
            defaults = _load_line(line, compiler, defaults)
        except DataError as exc:
            raise exc.located(file=str(path), line=number) from None


def _same_line(number: int, _field: str) -> int:
    return number


def _load_line(line: str, compiler: Compiler, defaults: Provenance) -> Provenance:
    """Load one line; returns the defaults in force for the lines after it."""
    try:
        record: Any = json.loads(line)
    except json.JSONDecodeError as exc:
        raise DataError(f"not JSON: {exc.msg} at column {exc.colno}") from None
    if not isinstance(record, dict) or len(record) != 1:
        raise DataError(
            'expected one of {"dataset": …}, {"source": …}, {"defaults": …}, {"entity": …}'
        )
    ((kind, body),) = record.items()
    if kind == "dataset":
        spec = body if isinstance(body, str) else parse_model(DatasetSpec, body, (kind,))
        compiler.use_dataset(spec, (kind,))
    elif kind == "source":
        spec = parse_model(SourceSpec, {k: v for k, v in body.items() if k != "key"}, (kind,))
        compiler.add_source(str(body.get("key") or spec.id or spec.url), spec, (kind,))
    elif kind == "entity":
        compiler.add_entity(parse_model(EntitySpec, body, (kind,)), defaults, (kind,))
    elif kind == "defaults":
        return parse_model(Provenance, body, (kind,))  # type: ignore[no-any-return]
    else:
        raise DataError(f"unknown record kind {kind!r}", field=kind)
    return defaults


def read_text(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"not UTF-8 text (byte {exc.start})", file=str(path)) from None
    except OSError as exc:
        raise DataError(exc.strerror or "cannot be read", file=str(path)) from None


def load_file(path: Path, compiler: Compiler) -> None:
    if path.suffix in (".yaml", ".yml"):
        load_yaml(path, compiler)
    elif path.suffix == ".jsonl":
        load_jsonl(path, compiler)
    else:
        raise DataError(f"unknown data file type (expected {', '.join(SUFFIXES)})", file=str(path))
