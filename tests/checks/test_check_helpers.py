"""Unit tests of the graph checks' helpers, span fallbacks and cost on large graphs."""

from __future__ import annotations

import time

import pytest

from compiler.checks import run
from compiler.checks.auth import classify_literal, redact
from compiler.checks.graph_checks import CHECKS, CODES
from compiler.checks.urls import is_local_host, parse_url
from compiler.diagnostics import Span
from compiler.ir import (
    NOSPAN,
    Alias,
    AssignmentSet,
    Auth,
    Deployment,
    Fallback,
    Graph,
    Model,
    Provider,
    RoleBinding,
    Route,
)


@pytest.mark.parametrize(("value", "kind"), [
    ("sk-proj-4f9a8b7c6d5e4f3a2b1c0d9e", "secret"),
    ("sk-ant-api03-AbCdEf0123456789", "secret"),
    ("AIzaSyA1b2C3d4E5f6G7h8", "secret"),
    ("gsk_0123456789abcdefABCDEF", "secret"),
    ("xai-0123456789abcdefABCDEF", "secret"),
    ("fw_3ZkPq9Xr7Lm2Nb8Vt", "secret"),
    ("3f2a9c8e7d6b5a4f3e2d1c0b9a8f7e6d", "secret"),  # Azure-style hex key
    ("Bearer abcdefgh12345678ABCDEFGH", "secret"),
    ("", "placeholder"),
    ("none", "placeholder"),
    ("not-needed", "placeholder"),
    ("ollama", "placeholder"),
    ("EMPTY", "placeholder"),
    ("sk-no-key-required", "placeholder"),
    ("sk-xxxxxxxxxxxxxxxxxxxxxxxx", "placeholder"),
    ("<your-api-key>", "placeholder"),
    ("your-api-key-here", "placeholder"),
    ("${env:OPENAI_API_KEY}", "placeholder"),
    ("$OPENAI_API_KEY", "placeholder"),
    ("sk-1234", "placeholder"),
    ("letmein42", "other"),
    ("correct-horse-battery-staple", "other"),
])
def test_classify_literal(value: str, kind: str) -> None:
    assert classify_literal(value) == kind


def test_redact_never_shows_the_key() -> None:
    key = "sk-proj-4f9a8b7c6d5e4f3a2b1c0d9e"
    assert redact(key) == "sk-p…(32 chars)"
    assert "4f9a" not in redact("Bearer " + key)


@pytest.mark.parametrize(("url", "error"), [
    ("https://api.example.com/v1", None),
    ("http://[::1]:8080/v1", None),
    ("localhost:11434/v1", "has no scheme"),
    ("ftp://x.example.com", 'uses scheme "ftp"; only http and https are supported'),
    ("https://x.example.com:99999", "has an invalid port"),
    ("https://x.example.com:0", "has port 0"),
    ("https:///v1", "has no host"),
    ("https://x.example.com/a b", "contains whitespace"),
    ("http://[::1/v1", "cannot be parsed (Invalid IPv6 URL)"),
    ("", "is empty"),
])
def test_parse_url(url: str, error: str | None) -> None:
    assert parse_url(url).error == error


@pytest.mark.parametrize(("host", "local"), [
    ("localhost", True), ("127.0.0.1", True), ("::1", True), ("10.1.2.3", True), ("192.168.0.4", True),
    ("172.20.0.2", True), ("169.254.1.1", True), ("0.0.0.0", True), ("litellm", True),
    ("host.docker.internal", True), ("gpu.local", True), ("api.openai.com", False), ("8.8.8.8", False),
])
def test_is_local_host(host: str, local: bool) -> None:
    assert is_local_host(host) is local


def test_every_registered_check_runs_and_codes_map_to_registered_checks() -> None:
    assert set(CODES.values()) <= set(CHECKS)
    assert len(set(CHECKS)) == len(CHECKS)


def _spanless_graph(sources: tuple[tuple[str, str], ...]) -> Graph:
    return Graph(
        providers=(Provider("gw", base_url="localhost:8080"),),
        models=(Model("m", context_window=0, deployments=(Deployment("nope", "m"),)),),
        assignment_sets=(AssignmentSet("p", bindings=(RoleBinding("planner", "x"),)),),
        sources=sources,
    )


def test_nodes_without_spans_fall_back_to_the_source_file() -> None:
    diags = run(_spanless_graph((("plandex", "models.json"),)))
    assert {d.code for d in diags} >= {"UR001", "LM003", "RF001", "RF002", "RF006"}
    assert {d.span for d in diags} == {Span.file("models.json")}


def test_nodes_without_spans_or_sources_still_report() -> None:
    diags = run(_spanless_graph(()))
    assert diags and {d.span for d in diags} == {NOSPAN}


def test_fallback_binding_without_span_uses_the_enclosing_one() -> None:
    inner = RoleBinding("planner", "a")  # no span
    root = RoleBinding("planner", "a", fallbacks=(Fallback("error", inner, span=Span("f.json", 7, 3)),),
                       span=Span("f.json", 5, 3))
    g = Graph(models=(Model("a", span=Span("f.json", 2, 3)),),
              assignment_sets=(AssignmentSet("p", bindings=(root,), span=Span("f.json", 4, 3)),))
    (d,) = run(g)
    assert (d.code, d.span.line) == ("RF003", 7)


def test_checks_are_linear_on_a_20000_model_graph() -> None:
    n = 20_000
    providers = tuple(Provider(f"p{i}", base_url=f"https://p{i}.example.com/v1", auth=Auth("env", "KEY"))
                      for i in range(50))
    models = tuple(Model(f"p{i % 50}/m{i}", context_window=100_000, max_output_tokens=8_000,
                         deployments=(Deployment(f"p{i % 50}", f"m{i}"),)) for i in range(n))
    bindings = tuple(RoleBinding("planner", f"p{i % 50}/m{i}", settings={"temperature": 0.5},
                                 fallbacks=(Fallback("large-context", RoleBinding("planner", f"p{(i + 1) % 50}/m{i + 1}")),))
                     for i in range(n - 1))
    g = Graph(providers, models, (AssignmentSet("big", bindings=bindings),),
              tuple(Alias(f"a{i}", f"m{i}") for i in range(n)),
              tuple(Route(f"r{i}", "d", (f"p{i % 50}/m{i}",)) for i in range(n)))
    start = time.perf_counter()
    diags = run(g, cross_file=True, check_env=True, environ={"KEY": "x"})
    elapsed = time.perf_counter() - start
    assert diags == []
    assert elapsed < 20, f"checks took {elapsed:.1f}s on {n} models: something is quadratic"
