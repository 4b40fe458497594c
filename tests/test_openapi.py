"""The GitHub answers tests feed the gateway have the shapes GitHub's OpenAPI description documents.

``tests/openapi/github-subset.json`` holds the response schemas of the operations studybot uses,
cut from the pinned ``@octokit/openapi`` package by ``scripts/openapi_subset.py``. Checked here:
the samples in ``github_samples``, every answer of the fake API in ``test_faults``, the helpers
of ``test_gateway`` (field types; they leave out fields the gateway never reads), that every
field the gateway reads is documented, and the script's OpenAPI 3.0/3.1 conversion itself.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import re
import urllib.parse
from collections import Counter
from pathlib import Path
from typing import Any

import github_samples as gh
import pytest

jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).resolve().parent.parent
SUBSET_PATH = ROOT / "tests" / "openapi" / "github-subset.json"
SUBSET = json.loads(SUBSET_PATH.read_text(encoding="utf-8"))


def _load_script():
    spec = importlib.util.spec_from_file_location("openapi_subset", ROOT / "scripts" / "openapi_subset.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


script = _load_script()

FORMATS = jsonschema.FormatChecker(formats=())
_DATE_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)")


@FORMATS.checks("date-time")
def _date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.fullmatch(value):
        return False
    dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


@FORMATS.checks("uri")
def _uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urllib.parse.urlsplit(value)
    return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme not in ("http", "https"))


def validator(operation: str, status: str, subset: dict[str, Any] = SUBSET, *, lenient: bool = False):
    schema = subset["operations"][operation]["responses"][status]
    document = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": subset["$defs"], **schema}
    if lenient:
        document = _without_required(document)
    return jsonschema.Draft202012Validator(document, format_checker=FORMATS)


def _without_required(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _without_required(value) for key, value in node.items() if key != "required"}
    if isinstance(node, list):
        return [_without_required(item) for item in node]
    return node


def _keywords(node: Any, names: bool = False) -> Counter[str]:
    """Schema keywords used anywhere below ``node`` (names under ``properties`` are not keywords)."""
    found: Counter[str] = Counter()
    if isinstance(node, dict):
        for key, value in node.items():
            if not names:
                found[key] += 1
            found += _keywords(value, names=key in ("properties", "$defs") and not names)
    elif isinstance(node, list):
        for item in node:
            found += _keywords(item)
    return found


def problems(operation: str, status: str, body: Any, **options) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message[:200]}"
        for error in validator(operation, status, **options).iter_errors(body)
    ]


# ---- the subset file -----------------------------------------------------------------------------


def test_subset_is_the_pinned_package_and_self_contained():
    """Every operation studybot calls is there, every $ref resolves inside the file, and it stays small."""
    assert SUBSET["source"] == {
        "package": "@octokit/openapi",
        "version": script.PINNED,
        "file": "generated/api.github.com.json",
        "openapi": SUBSET["source"]["openapi"],
        "api_version": SUBSET["source"]["api_version"],
    }
    assert set(SUBSET["operations"]) == set(script.OPERATIONS)
    for operation, (method, path) in script.OPERATIONS.items():
        entry = SUBSET["operations"][operation]
        assert (entry["method"], entry["path"]) == (method.upper(), path)
        assert any(status.startswith("2") for status in entry["responses"])
    text = SUBSET_PATH.read_text(encoding="utf-8")
    refs = set(re.findall(r'"\$ref": "([^"]*)"', text))
    assert refs and all(ref.startswith("#/$defs/") and ref[len("#/$defs/"):] in SUBSET["$defs"] for ref in refs)
    assert not set(_keywords(SUBSET["$defs"])) & {"nullable", "description", "example", "discriminator"}
    assert not any(keyword.startswith("x-") for keyword in _keywords(SUBSET["$defs"]))
    assert len(text.encode()) < 200_000
    jsonschema.Draft202012Validator.check_schema({"$defs": SUBSET["$defs"]})


@pytest.mark.skipif(not os.environ.get("OCTOKIT_OPENAPI_DIR"), reason="set OCTOKIT_OPENAPI_DIR to the unpacked npm package")
def test_subset_file_is_what_the_script_makes(tmp_path):
    """With the pinned package at hand, regenerating gives the committed file byte for byte."""
    out = tmp_path / "subset.json"
    assert script.main([os.environ["OCTOKIT_OPENAPI_DIR"], "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == SUBSET_PATH.read_text(encoding="utf-8")


# ---- bodies the tests feed the gateway -----------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "status", "body"),
    gh.examples(),
    ids=[f"{operation}-{status}-{index}" for index, (operation, status, _) in enumerate(gh.examples())],
)
def test_samples_are_what_github_documents(operation, status, body):
    assert problems(operation, status, body) == []


def test_fake_api_answers_are_what_github_documents():
    """Every answer the fault tests' fake API gave in a run without faults: issues, comments, Git data, contents."""
    import test_faults as tf

    from studybot.core.decide import Plan
    from studybot.core.plan import CommitFiles
    from studybot.core.state import load_state
    from studybot.core.world import GitRecords, World
    from studybot.shell.runner import apply_with_retry

    api = tf.world(question=True)
    tf.converge(api, tf.Faults(api, 0, rate=0.0), Counter())
    api.push("mijinkoo", lambda files: {**files, tf.LEDGER: tf.OLD_LEDGER, "big.json": "x" * (1024 * 1024 + 1)})
    start = api.head
    # A member pushes just before the bot's first ref update: GitHub's 422, then a retry that lands.
    faults = tf.Faults(api, 0, rate=0.0, push_rate=1.0, push=lambda api, n: n == 1 and tf.member_push(api, 1))
    with tf.responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        faults.install(mock)
        gateway = tf.gateway()
        assert gateway.default_branch() == "main"
        assert gateway.read_file("missing.md", "main") is None
        assert gateway.permission("stranger").value == "none"
        assert gateway.read_file("big.json", "main") == "x" * (1024 * 1024 + 1)  # over 1 MB: the blob API
        gateway.update_comment(next(iter(api.comments)), "edited")

        report = tf.build_report(tf.CONFIG, tf.SCHEDULE, tf.Evidence(), tf.PHASES[0])

        def render(world: World, state) -> Plan:
            readme = tf.replace_region(world.files[tf.README] or "", "fines", tf.TABLE)
            return Plan(report, (CommitFiles(tf.README, readme, tf.LEDGER, "studybot: week 3"),), state)

        world = World({tf.README: gateway.read_file(tf.README, start)}, gateway.read_file(tf.LEDGER, start), GitRecords(start))
        applied = apply_with_retry(
            gateway, world, render(world, load_state(tf.NEW_LEDGER)),
            branch="main", ledger_path=tf.CONFIG.output.ledger, redecide=render,
        )
        assert applied.commit == api.head
    seen = Counter()
    undocumented = set()
    for operation, status, body in api.log:
        if str(status) not in SUBSET["operations"][operation]["responses"]:
            undocumented.add((operation, status))
            continue
        assert problems(operation, str(status), body) == [], (operation, status)
        seen[operation] += 1
    assert undocumented == set()
    assert set(seen) == set(script.OPERATIONS)
    assert ("git/update-ref", 422) in {(operation, status) for operation, status, _ in api.log}


def test_test_gateway_helpers_have_documented_field_types():
    """test_gateway's trimmed bodies: whatever fields they do carry have GitHub's types."""
    import test_gateway as tg

    samples = [
        ("issues/list-for-repo", "200", [
            tg.issue_json(3), tg.issue_json(4, pull=True), tg.issue_json(5, state="closed", closed_at="2022-04-13T00:00:00Z"),
        ]),
        ("issues/create", "201", tg.issue_json(7)),
        ("issues/list-comments-for-repo", "200", [tg.comment_json(11, 3), tg.comment_json(12, 4, body="질문")]),
        ("issues/create-comment", "201", tg.comment_json(99, 7)),
        ("repos/list-activities", "200", [tg.activity_json(1, "b" * 40, "2022-04-12T12:00:00Z")]),
        ("repos/get-branch-rules", "200", [
            tg.rule_json("file_path_restriction", {"restricted_file_paths": ["config/**"]}), tg.rule_json("deletion"),
        ]),
    ]
    for operation, status, body in samples:
        assert problems(operation, status, body, lenient=True) == [], operation


# Every field the gateway reads, per schema; "required" where it indexes without a default.
GATEWAY_READS = {
    "full-repository": {"default_branch": True},
    "git-ref": {"object": True, "object.sha": True},
    "git-commit": {"sha": True, "tree": True, "tree.sha": True},
    "short-blob": {"sha": True},
    "git-tree": {"sha": True},
    "content-file": {"type": True, "encoding": False, "content": False, "sha": True},
    "blob": {"content": False},
    "issue": {
        "number": True, "title": False, "body": False, "state": True, "labels": False, "user": False,
        "created_at": True, "updated_at": True, "closed_at": False, "pull_request": False,
    },
    "issue-comment": {"id": True, "issue_url": True, "user": False, "body": False, "created_at": True, "updated_at": True},
    "activity": {
        "id": True, "activity_type": False, "ref": False, "before": False, "after": False, "actor": False, "timestamp": True,
    },
    "repository-collaborator-permission": {"role_name": False, "permission": False},
    "repository-rule-file-path-restriction": {
        "type": True, "parameters": False, "parameters.restricted_file_paths": False,
    },
    "repository-rule-pull-request": {"type": True, "parameters": False, "parameters.require_code_owner_review": False},
    "simple-user": {"login": False},
}


@pytest.mark.parametrize("schema", sorted(GATEWAY_READS))
def test_gateway_reads_only_documented_fields(schema):
    for path, indexed in GATEWAY_READS[schema].items():
        node = SUBSET["$defs"][schema]
        *parents, field = path.split(".")
        for parent in parents:
            node = node["properties"][parent]
        assert field in node["properties"], f"{schema}.{path} is not documented"
        if indexed:
            assert field in node.get("required", ()), f"{schema}.{path} is read with [] but GitHub may leave it out"


def test_validation_catches_what_github_would_never_send():
    """The schemas have teeth: a missing number, a null where none is allowed, a string id."""
    good = gh.issue(3)
    assert problems("issues/create", "201", good) == []
    assert problems("issues/create", "201", {k: v for k, v in good.items() if k != "number"})
    assert problems("issues/create", "201", {**good, "created_at": None})
    assert problems("issues/create", "201", {**good, "created_at": "yesterday"})
    assert problems("issues/list-comments-for-repo", "200", [{**gh.issue_comment(1, 3), "id": "1"}])
    assert problems("reactions/create-for-issue-comment", "201", gh.reaction(1, "thumbsup"))
    # OpenAPI 3.0's nullable, carried over: a deleted user, an open issue, a nullable enum.
    assert problems("issues/create", "201", {**good, "user": None, "closed_at": None, "state_reason": None}) == []
    deleted_actor = gh.activity(1, before="a", after="b", timestamp="2022-05-10T00:00:00Z", actor=None)
    assert problems("repos/list-activities", "200", [deleted_actor]) == []


# ---- the subset script ---------------------------------------------------------------------------


def _document(version: str, schemas: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    operations = {}
    for index, (operation_id, (method, path)) in enumerate(script.OPERATIONS.items()):
        body = response if index == 0 else {"$ref": "#/components/schemas/plain"}
        operations.setdefault(path, {})[method] = {
            "operationId": operation_id,
            "responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": body}}},
                "404": {"$ref": "#/components/responses/not_found"},
                "304": {"description": "not modified"},
            },
        }
    return {
        "openapi": version,
        "info": {"version": "1.1.4"},
        "paths": operations,
        "components": {
            "schemas": {"plain": {"type": "object", "x-github": {"a": 1}, "description": "d"}, **schemas},
            "responses": {"not_found": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/plain"}}}}},
        },
    }


SCHEMAS_30 = {
    "thing": {
        "type": "object",
        "title": "Thing",
        "properties": {
            "name": {"type": "string", "nullable": True, "example": "x"},
            "reason": {"type": "string", "enum": ["a", "b"], "nullable": True},
            "owner": {"nullable": True, "allOf": [{"$ref": "#/components/schemas/user"}]},
            "plain_ref": {"$ref": "#/components/schemas/user", "description": "ignored beside $ref in 3.0"},
            "count": {"type": "integer", "minimum": 0, "exclusiveMinimum": True},
            "anything": {"nullable": True},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/thing"}},
        },
        "required": ["name"],
    },
    "user": {"type": "object", "properties": {"login": {"type": "string"}}, "required": ["login"], "nullable": True},
}


def test_script_turns_openapi_30_nullable_into_json_schema():
    result = script.subset(_document("3.0.3", SCHEMAS_30, {"$ref": "#/components/schemas/thing"}), "0")
    thing = result["$defs"]["thing"]
    assert thing["properties"]["name"] == {"type": ["string", "null"]}
    assert thing["properties"]["reason"] == {"type": ["string", "null"], "enum": ["a", "b", None]}
    assert thing["properties"]["owner"] == {"anyOf": [{"type": "null"}, {"allOf": [{"$ref": "#/$defs/user"}]}]}
    assert thing["properties"]["plain_ref"] == {"$ref": "#/$defs/user"}
    assert thing["properties"]["count"] == {"type": "integer", "exclusiveMinimum": 0}
    assert thing["properties"]["anything"] == {}
    assert result["$defs"]["user"]["type"] == ["object", "null"]
    assert result["$defs"]["plain"] == {"type": "object"}  # pruned annotations and extensions
    first = next(iter(script.OPERATIONS))
    assert set(result["operations"][first]["responses"]) == {"200", "404"}  # 404 via components/responses
    check = jsonschema.Draft202012Validator({"$defs": result["$defs"], "$ref": "#/$defs/thing"})
    assert check.is_valid({"name": None, "reason": None, "owner": None, "children": [{"name": "x"}]})
    assert not check.is_valid({"name": "x", "reason": "c"})
    assert not check.is_valid({"name": "x", "count": 0})
    assert not check.is_valid({"name": "x", "owner": {}})


def test_script_keeps_openapi_31_schemas_as_json_schema():
    schemas = {
        "thing": {
            "type": "object",
            "properties": {
                "name": {"type": ["string", "null"]},
                "owner": {"$ref": "#/components/schemas/user", "description": "kept siblings in 3.1", "type": "object"},
                "count": {"type": "integer", "exclusiveMinimum": 0},
            },
        },
        "user": {"type": ["object", "null"], "properties": {"login": {"type": "string"}}},
    }
    result = script.subset(_document("3.1.0", schemas, {"$ref": "#/components/schemas/thing"}), "0")
    thing = result["$defs"]["thing"]["properties"]
    assert thing["name"] == {"type": ["string", "null"]}
    assert thing["owner"] == {"$ref": "#/$defs/user", "type": "object"}
    assert thing["count"] == {"type": "integer", "exclusiveMinimum": 0}


def test_script_refuses_another_package_version(tmp_path, capsys):
    (tmp_path / "package.json").write_text(json.dumps({"name": "@octokit/openapi", "version": "1.0.0"}))
    assert script.main([str(tmp_path), "--out", str(tmp_path / "out.json")]) == 1
    assert "not @octokit/openapi@" + script.PINNED in capsys.readouterr().err
    assert not (tmp_path / "out.json").exists()
