#!/usr/bin/env python3
"""Cut the response schemas of the GitHub operations studybot uses out of GitHub's OpenAPI description.

GitHub publishes its REST API description in the npm package ``@octokit/openapi``. This script
reads the unpacked package, keeps only the responses of the operations in :data:`OPERATIONS`
on ``api.github.com``, resolves every ``$ref`` into one self-contained JSON Schema (2020-12)
document, and writes ``tests/openapi/github-subset.json``. Only that file is committed.

Regenerate it (the version is pinned in :data:`PINNED`; change both together)::

    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack @octokit/openapi@23.0.2 && tar -xzf octokit-openapi-23.0.2.tgz)
    python scripts/openapi_subset.py "$tmp/package"
    rm -rf "$tmp"

OpenAPI 3.0 and 3.1 differ in how a schema says "or null": 3.0 writes ``nullable: true``
beside ``type`` (and it means nothing on a schema without ``type``), 3.1 is plain JSON Schema
(``type: [string, "null"]``). This script turns 3.0's ``nullable`` into JSON Schema, adding
``null`` to ``enum`` lists too (a 3.0 nullable enum accepts null without listing it), and
wraps nullable ``oneOf``/``anyOf``/``allOf`` schemas as ``anyOf: [{type: null}, …]``. 3.1
schemas are already JSON Schema and are kept as they are. In 3.0 the siblings of ``$ref`` are
ignored, so they are dropped; in 3.1 they apply, so they are kept. Annotations that validate
nothing (descriptions, examples, titles, ``x-*`` extensions, ``discriminator``) are pruned.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

PACKAGE = "@octokit/openapi"
PINNED = "23.0.2"
DESCRIPTION = "generated/api.github.com.json"
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "tests" / "openapi" / "github-subset.json"

# operationId → (method, path) of every call studybot.gateway makes.
OPERATIONS: dict[str, tuple[str, str]] = {
    "repos/get": ("get", "/repos/{owner}/{repo}"),
    "issues/list-for-repo": ("get", "/repos/{owner}/{repo}/issues"),
    "issues/create": ("post", "/repos/{owner}/{repo}/issues"),
    "issues/update": ("patch", "/repos/{owner}/{repo}/issues/{issue_number}"),
    "issues/list-comments-for-repo": ("get", "/repos/{owner}/{repo}/issues/comments"),
    "issues/create-comment": ("post", "/repos/{owner}/{repo}/issues/{issue_number}/comments"),
    "issues/update-comment": ("patch", "/repos/{owner}/{repo}/issues/comments/{comment_id}"),
    "reactions/create-for-issue-comment": ("post", "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"),
    "repos/get-collaborator-permission-level": ("get", "/repos/{owner}/{repo}/collaborators/{username}/permission"),
    "repos/list-activities": ("get", "/repos/{owner}/{repo}/activity"),
    "git/get-ref": ("get", "/repos/{owner}/{repo}/git/ref/{ref}"),
    "git/update-ref": ("patch", "/repos/{owner}/{repo}/git/refs/{ref}"),
    "git/get-commit": ("get", "/repos/{owner}/{repo}/git/commits/{commit_sha}"),
    "git/create-commit": ("post", "/repos/{owner}/{repo}/git/commits"),
    "git/create-blob": ("post", "/repos/{owner}/{repo}/git/blobs"),
    "git/get-blob": ("get", "/repos/{owner}/{repo}/git/blobs/{file_sha}"),
    "git/create-tree": ("post", "/repos/{owner}/{repo}/git/trees"),
    "repos/get-content": ("get", "/repos/{owner}/{repo}/contents/{path}"),
    "repos/get-branch-rules": ("get", "/repos/{owner}/{repo}/rules/branches/{branch}"),
}

# Keywords that only annotate; none of them changes what validates.
ANNOTATIONS = frozenset(
    {
        "description",
        "summary",
        "title",
        "example",
        "examples",
        "externalDocs",
        "discriminator",
        "xml",
        "deprecated",
        "readOnly",
        "writeOnly",
        "default",
        "$comment",
        "contentMediaType",
    }
)
# Keywords whose value is a map of names to schemas, and those whose value is a schema list.
SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})
SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
COMBINATORS = ("oneOf", "anyOf", "allOf")


class SubsetError(Exception):
    """The package is not the one expected, or an operation is missing from it."""


def _pointer(document: dict[str, Any], ref: str) -> Any:
    if not ref.startswith("#/"):
        raise SubsetError(f"only local $refs are supported, not {ref!r}")
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


class Converter:
    """Turns OpenAPI schemas into JSON Schema 2020-12, collecting referenced components as ``$defs``."""

    def __init__(self, document: dict[str, Any]):
        self.document = document
        self.openapi_31 = str(document.get("openapi", "")).startswith("3.1")
        self.defs: dict[str, Any] = {}
        self._pending: list[str] = []

    def _def_name(self, ref: str) -> str:
        prefix = "#/components/schemas/"
        if not ref.startswith(prefix):
            raise SubsetError(f"a schema $ref must point into components/schemas, not {ref!r}")
        name = ref[len(prefix) :]
        if name not in self.defs:
            self.defs[name] = None  # reserved, so a recursive schema is converted once
            self._pending.append(name)
        return name

    def finish(self) -> dict[str, Any]:
        while self._pending:
            name = self._pending.pop()
            self.defs[name] = self.schema(self.document["components"]["schemas"][name])
        return dict(sorted(self.defs.items()))

    def schema(self, node: Any) -> Any:
        if isinstance(node, bool):
            return node
        if not isinstance(node, dict):
            raise SubsetError(f"not a schema: {node!r}")
        if "$ref" in node:
            target = {"$ref": "#/$defs/" + self._def_name(node["$ref"])}
            if not self.openapi_31:
                return target  # OpenAPI 3.0: siblings of $ref are ignored
            rest = {k: v for k, v in node.items() if k != "$ref"}
            converted = self.schema(rest)
            return {**target, **converted} if converted else target
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in ANNOTATIONS or key.startswith("x-") or key == "nullable":
                continue
            if key in SCHEMA_MAPS:
                out[key] = {name: self.schema(child) for name, child in value.items()}
            elif key in SCHEMA_LISTS:
                out[key] = [self.schema(child) for child in value]
            elif key in ("items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else"):
                out[key] = self.schema(value) if isinstance(value, (dict, bool)) else value
            elif key in ("exclusiveMinimum", "exclusiveMaximum") and isinstance(value, bool):
                # OpenAPI 3.0 makes minimum/maximum exclusive with a flag; JSON Schema wants the number.
                bound = node.get("minimum" if key == "exclusiveMinimum" else "maximum")
                if value and bound is not None:
                    out[key] = bound
            else:
                out[key] = value
        if not self.openapi_31:
            if out.get("exclusiveMinimum") is not None and out.get("minimum") == out["exclusiveMinimum"]:
                del out["minimum"]
            if out.get("exclusiveMaximum") is not None and out.get("maximum") == out["exclusiveMaximum"]:
                del out["maximum"]
            if node.get("nullable") is True:
                out = _nullable(out)
        return out


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """OpenAPI 3.0's ``nullable: true`` in JSON Schema terms."""
    if "type" in schema and not any(key in schema for key in COMBINATORS):
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        result = {**schema, "type": [*kinds, "null"] if "null" not in kinds else kinds}
        if "enum" in result and None not in result["enum"]:
            result["enum"] = [*result["enum"], None]
        return result
    if not schema or set(schema) <= {"format"}:
        return schema  # no type: anything, null included, already validates
    return {"anyOf": [{"type": "null"}, schema]}


def _response(document: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in response:
        response = _pointer(document, response["$ref"])
    return response


def subset(document: dict[str, Any], version: str) -> dict[str, Any]:
    """The self-contained subset for the operations in :data:`OPERATIONS`."""
    converter = Converter(document)
    operations: dict[str, Any] = {}
    for operation_id, (method, path) in OPERATIONS.items():
        item = document["paths"].get(path, {})
        operation = item.get(method)
        if not operation or operation.get("operationId") != operation_id:
            raise SubsetError(f"{method.upper()} {path} is not {operation_id} in this description")
        responses: dict[str, Any] = {}
        for status, response in sorted(operation.get("responses", {}).items()):
            content = _response(document, response).get("content") or {}
            media = content.get("application/json")
            if media and "schema" in media:
                responses[status] = converter.schema(media["schema"])
        if not any(status.startswith("2") for status in responses):
            raise SubsetError(f"{operation_id} documents no JSON success response")
        operations[operation_id] = {"method": method.upper(), "path": path, "responses": responses}
    return {
        "$comment": (
            f"Generated by scripts/openapi_subset.py from {PACKAGE}@{version} {DESCRIPTION}; "
            "do not edit by hand."
        ),
        "source": {
            "package": PACKAGE,
            "version": version,
            "file": DESCRIPTION,
            "openapi": document.get("openapi"),
            "api_version": document.get("info", {}).get("version"),
        },
        "operations": operations,
        "$defs": converter.finish(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("package", type=Path, help="the unpacked npm package (the folder holding package.json)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"where to write (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    try:
        meta = json.loads((args.package / "package.json").read_text(encoding="utf-8"))
        if meta.get("name") != PACKAGE or meta.get("version") != PINNED:
            raise SubsetError(
                f"{args.package} holds {meta.get('name')}@{meta.get('version')}, not {PACKAGE}@{PINNED}; "
                "fetch the pinned version, or change PINNED and the command in this script's docstring"
            )
        document = json.loads((args.package / DESCRIPTION).read_text(encoding="utf-8"))
        result = subset(document, PINNED)
    except (OSError, ValueError, KeyError, SubsetError) as error:
        print(f"openapi_subset: {error}", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text.encode()):,} bytes, {len(result['operations'])} operations, "
          f"{len(result['$defs'])} schemas)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
