"""The build manifest (`modelcc.yaml`): read, validate, and apply environment overrides.

A manifest names the sources merged into one graph, the targets generated from it and,
optionally, environments that override values of the graph and the output paths:

    sources: [models.json]
    targets:
      - {format: codex, path: out/config.toml, mode: generate, set: default}
    environments:
      prod:
        providers: {azure: {base_url: https://prod.example.com/v1, auth_env: AZURE_PROD_KEY}}
        models: {gpt-4o: {context_window: 200000}}
        default_model: gpt-4o
        outputs: {dir: out/prod}            # or suffix: .prod, or paths: {out/config.toml: x.toml}

Paths are relative to the manifest's folder. The manifest is a located YAML document like
every other input: schema problems are `SC*` diagnostics at their line and column, and
what the schema cannot say (unknown provider or model ids in overrides, ...) is `BD*`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from compiler.diagnostics import Diagnostic, Span, diag
from compiler.ir import AssignmentSet, Auth, Graph, Model, Provider, RoleBinding
from compiler.source import Document

MANIFEST_NAMES = ("modelcc.yaml", "modelcc.yml")


@dataclass(frozen=True)
class Source:
    path: Path  # absolute
    format: str | None
    span: Span


@dataclass(frozen=True)
class Target:
    format: str
    path: Path  # absolute, environment applied
    raw_path: str  # as written in the manifest
    mode: str = "generate"
    set: str | None = None
    role: str | None = None
    allow_literal_secrets: bool = False
    span: Span = field(default_factory=lambda: Span("<none>"))


@dataclass(frozen=True)
class Manifest:
    path: Path
    root: Path  # folder of the manifest: relative paths start here
    sources: tuple[Source, ...]
    targets: tuple[Target, ...]
    environments: dict[str, Any]
    document: Document

    def environment_names(self) -> list[str]:
        return sorted(self.environments)


def find_manifest(cwd: Path | None = None) -> Path | None:
    """`modelcc.yaml` (or `.yml`) in the given folder (default: the current one)."""
    folder = cwd or Path.cwd()
    for name in MANIFEST_NAMES:
        p = folder / name
        if p.is_file():
            return p
    return None


def read_manifest(path: Path) -> tuple[Manifest | None, list[Diagnostic]]:
    """Read, parse and schema-check a manifest; None when it cannot be used."""
    from compiler.pipeline import display_path, parse, read_text
    from compiler.schema import validate

    text, diags = read_text(str(path))
    shown = display_path(str(path))
    if text is None:
        return None, diags
    if not text.strip():
        return None, diags + [diag("IO006", Span.file(shown), "manifest is empty",
                                   hint="a manifest needs at least `sources:` and `targets:`")]
    doc, sdiags = parse(shown, text, "yaml")
    diags += sdiags
    if doc is None:
        return None, diags
    diags += doc.problems
    if not isinstance(doc.data, dict):
        return None, diags + [diag("SY004", doc.span(()), "the manifest's top level is not a mapping",
                                   hint="a manifest is a mapping with `sources:` and `targets:`")]
    schema_diags = validate(doc, "manifest")
    if schema_diags:
        return None, diags + schema_diags
    root = path.resolve().parent
    data = doc.data
    sources = []
    for i, s in enumerate(data["sources"]):
        raw, fmt = (s, None) if isinstance(s, str) else (s["path"], s.get("format"))
        sources.append(Source(root / raw, fmt, doc.span(("sources", i))))
    targets = []
    for i, t in enumerate(data["targets"]):
        targets.append(Target(format=t["format"], path=root / t["path"], raw_path=t["path"],
                              mode=t.get("mode", "generate"), set=t.get("set"), role=t.get("role"),
                              allow_literal_secrets=bool(t.get("allow_literal_secrets", False)),
                              span=doc.span(("targets", i))))
    manifest = Manifest(path, root, tuple(sources), tuple(targets), dict(data.get("environments") or {}), doc)
    return manifest, diags


def select_environment(manifest: Manifest, env: str | None) -> tuple[Manifest, list[Diagnostic]]:
    """The manifest with the environment's output paths applied to its targets."""
    if env is None:
        return manifest, []
    if env not in manifest.environments:
        known = ", ".join(manifest.environment_names()) or "none are defined"
        return manifest, [diag("BD003", manifest.document.span(("environments",), key=True)
                               if "environments" in manifest.document.data else Span.file(manifest.document.path),
                               f"environment {env!r} is not defined in the manifest",
                               hint=f"environments: {known}")]
    outputs = manifest.environments[env].get("outputs") or {}
    targets = tuple(replace(t, path=output_path(manifest.root, t.raw_path, outputs)) for t in manifest.targets)
    return replace(manifest, targets=targets), []


def output_path(root: Path, raw: str, outputs: dict[str, Any]) -> Path:
    """Where a target's file goes under an environment's `outputs` (paths > dir > suffix)."""
    paths = outputs.get("paths") or {}
    if raw in paths:
        return root / paths[raw]
    p = PurePosixPath(raw)
    name = p.name
    suffix = outputs.get("suffix")
    if suffix:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem}{suffix if suffix.startswith('.') else '.' + suffix}.{ext}" if dot and stem else name + suffix
    folder = Path(outputs["dir"]) if outputs.get("dir") else Path(*p.parent.parts) if p.parent.parts else Path()
    return root / folder / name


def _unknown_ids(over: dict[str, Any], known: set[str], code: str, kind: str, doc: Any,
                 env: str) -> list[Diagnostic]:
    """An override naming a provider/model no source defines (BD004/BD005)."""
    return [diag(code, doc.span(("environments", env, f"{kind}s", name), key=True),
                 f"environment {env}: {kind} {name!r} is not defined by any source",
                 hint=_close(name, known, f"{kind}s"))
            for name in over if name not in known]


def apply_environment(graph: Graph, manifest: Manifest, env: str | None) -> tuple[Graph, list[Diagnostic]]:
    """Apply an environment's value overrides to the graph (a new graph; the input is unchanged)."""
    if env is None or env not in manifest.environments:
        return graph, []
    spec = manifest.environments[env] or {}
    doc = manifest.document
    base = ("environments", env)
    diags: list[Diagnostic] = []

    provider_over: dict[str, dict[str, Any]] = spec.get("providers") or {}
    diags += _unknown_ids(provider_over, {p.id for p in graph.providers}, "BD004", "provider", doc, env)
    providers = tuple(_provider(p, provider_over[p.id]) if p.id in provider_over else p for p in graph.providers)

    model_over: dict[str, dict[str, Any]] = spec.get("models") or {}
    known_m = {m.id for m in graph.models}
    diags += _unknown_ids(model_over, known_m, "BD005", "model", doc, env)
    models = tuple(_model(m, model_over[m.id]) if m.id in model_over else m for m in graph.models)

    sets = graph.assignment_sets
    default_model = spec.get("default_model")
    if default_model is not None:
        if default_model not in known_m:
            diags.append(diag("BD005", doc.span((*base, "default_model")),
                              f"environment {env}: default_model {default_model!r} is not defined by any source",
                              hint=_close(default_model, known_m, "models")))
        else:
            sets = _with_default(sets, default_model)
    return replace(graph, providers=providers, models=models, assignment_sets=sets), diags


def _close(name: str, known: set[str], what: str) -> str:
    import difflib

    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    shown = ", ".join(sorted(known)[:12]) + (", ..." if len(known) > 12 else "")
    return f"{what} defined by the sources: {shown or 'none'}"


def _provider(p: Provider, over: dict[str, Any]) -> Provider:
    changes: dict[str, Any] = {}
    if "name" in over:
        changes["name"] = over["name"]
    if "base_url" in over:
        changes["base_url"] = over["base_url"]
    if "auth_env" in over:
        changes["auth"] = Auth("env", over["auth_env"])
    if "auth" in over:
        changes["auth"] = Auth(over["auth"]["kind"], over["auth"].get("value"))
    if "headers" in over:
        changes["headers"] = tuple(sorted({**dict(p.headers), **over["headers"]}.items()))
    if "query_params" in over:
        changes["query_params"] = tuple(sorted({**dict(p.query_params), **over["query_params"]}.items()))
    return replace(p, **changes)


def _model(m: Model, over: dict[str, Any]) -> Model:
    changes = {k: over[k] for k in ("display_name", "context_window", "max_output_tokens",
                                    "reserved_output_tokens") if k in over}
    if "model_name" in over:
        changes["deployments"] = tuple(replace(d, model_name=over["model_name"]) for d in m.deployments)
    return replace(m, **changes)


def _with_default(sets: tuple[AssignmentSet, ...], model: str) -> tuple[AssignmentSet, ...]:
    """Bind role `default` of every default set to `model` (adding a default set if none)."""
    if not any(s.kind == "default" for s in sets):
        return (*sets, AssignmentSet(id="default", kind="default", bindings=(RoleBinding("default", model),)))
    out = []
    for s in sets:
        if s.kind == "default":
            if any(b.role == "default" for b in s.bindings):
                bindings = tuple(replace(b, model=model) if b.role == "default" else b for b in s.bindings)
            else:
                bindings = (RoleBinding("default", model), *s.bindings)
            s = replace(s, bindings=bindings)
        out.append(s)
    return tuple(out)
