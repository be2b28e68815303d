"""Read the `aiOrchestrator.*` settings of a VS Code settings.json (JSONC).

Steps:
1. Split the file's top-level keys: `aiOrchestrator.*` keys are ours, everything else is
   kept verbatim (in order) in `graph.extras["vscode"]["settings"]`.
2. Merge dotted variants the way VS Code's settings tree does: `aiOrchestrator.providers.
   fireworks` = {"customModels": [...]} and `aiOrchestrator.providers.fireworks.customModels`
   name the same setting; the more dotted key wins (VS003 when both are given). Unknown
   `aiOrchestrator.*` keys (or members) are warned about (VS001) and kept as other settings.
3. Schema pass (`schemas/vscode.schema.json`) over the merged view; every error is mapped
   back to the span of the key/value it concerns in the file.
4. Lowering:
   - the Fireworks provider: Provider("fireworks", api openai, FIREWORKS_URL, auth from apiKey)
     whenever the file configures it (builtin=None) or references a Fireworks preset
     (pulled from the catalog, builtin="vscode");
   - Fireworks custom models (and `providers.custom` entries without `type`/`endpoint`):
     Model(..., deployments=[Deployment("fireworks", modelPath)]);
   - `providers.custom` endpoint entries: one Provider per distinct (type, endpoint, apiKey)
     with a derived id (`provider_id()`: the endpoint's host and port, lower-case, every run
     of other characters turned into "-", e.g. `localhost-11434`, `myco-openai-azure-com`;
     a second distinct endpoint on the same host gets `-2`, `-3`, ... in file order);
   - `agents.providerAssignment`: AssignmentSet("providerAssignment", kind "assignment");
   - `agents.unifiedProviderChoice` (+ `useUnifiedProvider`, kept in extras):
     AssignmentSet("unified", kind "default") with one binding of role "default".
   Model references: `auto` -> "auto"; a preset -> the catalog's Model(builtin="vscode");
   `custom:<id>` -> model `<id>` (a dangling one is the generic RF002).
Lowering is defensive: a value the schema pass rejected is left out rather than lowered, so
the generic limit checks never report it a second time.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from compiler import roles
from compiler.context import ReadContext
from compiler.diagnostics import Diagnostic, Related, Span, diag
from compiler.ir import AssignmentSet, Auth, Cost, Deployment, Graph, Model, Provider, RoleBinding
from compiler.resources import load_catalog
from compiler.schema import validate
from compiler.source import Document

FMT = "vscode"
PREFIX = "aiOrchestrator."
FIREWORKS_URL = "https://api.fireworks.ai/inference/v1"
FIREWORKS_ID = "fireworks"

S_FIREWORKS = "aiOrchestrator.providers.fireworks"
S_CUSTOM = "aiOrchestrator.providers.custom"
S_ASSIGN = "aiOrchestrator.agents.providerAssignment"
S_USE = "aiOrchestrator.agents.useUnifiedProvider"
S_CHOICE = "aiOrchestrator.agents.unifiedProviderChoice"
SETTINGS = (S_FIREWORKS, S_CUSTOM, S_ASSIGN, S_USE, S_CHOICE)
FIREWORKS_MEMBERS = ("apiKey", "enabled", "defaultModel", "customModels")

ASSIGNMENT_SET_ID = "providerAssignment"
UNIFIED_SET_ID = "unified"

# The settings tree: a dict is an object whose members may also be written as dotted keys;
# None is a leaf setting (its value is taken whole).
TREE: dict[str, Any] = {
    "providers": {"fireworks": {m: None for m in FIREWORKS_MEMBERS}, "custom": None},
    "agents": {"providerAssignment": None, "useUnifiedProvider": None, "unifiedProviderChoice": None},
}

# CustomModel fields
API_OF_TYPE = {"openai-compatible": "openai", "anthropic": "anthropic", "azure-openai": "azure-openai",
               "google-vertex": "google-vertex"}
TYPE_OF_API = {v: k for k, v in API_OF_TYPE.items()}
COMMON_FIELDS = ("id", "displayName", "description", "contextWindow", "cost", "temperature", "topP", "maxTokens")
FIREWORKS_FIELDS = ("modelPath",)  # the key is the provider's (aiOrchestrator.providers.fireworks.apiKey)
_SECRETISH = re.compile(r"key|token|secret|password|credential", re.I)
ENDPOINT_FIELDS = ("type", "endpoint", "modelName", "deploymentName", "apiKey")
KNOWN_FIELDS = tuple(dict.fromkeys(COMMON_FIELDS + FIREWORKS_FIELDS + ENDPOINT_FIELDS))
SETTING_FIELDS = {"temperature": "temperature", "topP": "top_p", "maxTokens": "max_tokens"}

SECRET_REF = re.compile(r"^\$\{SECRET:([^{}\s]+)\}\Z")
NOT_NEEDED = "not-needed"
CUSTOM_REF = "custom:"
AUTO = "auto"


def presets() -> list[str]:
    return list(load_catalog(FMT)["presets"])


def catalog() -> Graph:
    data = load_catalog(FMT)
    return Graph.from_dict({"providers": data["providers"], "models": data["models"]})


# -- auth ----------------------------------------------------------------------------------------


def auth_of(api_key: Any) -> Auth:
    """apiKey -> Auth: `${SECRET:n}` secret, "not-needed" none, other text literal, absent default."""
    if not isinstance(api_key, str) or not api_key:
        return Auth("default")
    m = SECRET_REF.match(api_key)
    if m:
        return Auth("secret", m.group(1))
    if api_key == NOT_NEEDED:
        return Auth("none")
    return Auth("literal", api_key)


def provider_id(endpoint: str) -> str:
    """Stable provider id derived from an endpoint URL: its host[-port], slugged."""
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        host, port = "", None
    if not host:
        host = endpoint
    base = re.sub(r"[^a-z0-9]+", "-", host.lower()).strip("-") or "endpoint"
    return f"{base}-{port}" if port else base


# -- the merged view -------------------------------------------------------------------------------


class _View:
    """The merged aiOrchestrator settings and where each piece came from in the file."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.data: dict[str, Any] = {}
        # view pointer prefix -> file pointer prefix
        self.origins: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        # leaf path -> (file pointer, specificity)
        self.leaves: dict[tuple[str, ...], tuple[tuple[Any, ...], int]] = {}
        self.other: dict[str, Any] = {}
        self.present: dict[str, tuple[Any, ...]] = {}  # object settings given (even empty) -> file pointer

    def file_ptr(self, ptr: tuple[Any, ...]) -> tuple[Any, ...]:
        for n in range(len(ptr), 0, -1):
            base = self.origins.get(tuple(ptr[:n]))
            if base is not None:
                return (*base, *ptr[n:])
        return tuple(ptr)

    # the Document-like interface compiler.schema uses
    def span(self, ptr: Any = (), *, key: bool = False) -> Span:
        return self.doc.span(self.file_ptr(tuple(ptr)), key=key)

    def at(self, ptr: tuple[Any, ...], *, key: bool = False) -> Span:
        return self.span(ptr, key=key)


def _all_names(node: dict[str, Any], path: list[str]) -> list[str]:
    out = []
    for k, sub in node.items():
        out.append(PREFIX + ".".join([*path, k]))
        if isinstance(sub, dict):
            out.extend(_all_names(sub, [*path, k]))
    return out


ALL_NAMES = _all_names(TREE, [])


def _known_names(node: dict[str, Any], path: list[str]) -> list[str]:
    return [PREFIX + ".".join([*path, k]) for k in node]


def _build_view(doc: Document, sink: list[Diagnostic]) -> _View:
    view = _View(doc)
    for key, value in doc.data.items():
        if isinstance(key, str) and key.startswith(PREFIX):
            _spread(view, key[len(PREFIX):].split("."), value, (key,), key.count(".") , sink)
        else:
            view.other[key] = value
    # assemble the view: setting -> value (fireworks members merged into one object)
    for path, (ptr, _spec) in view.leaves.items():
        setting = PREFIX + ".".join(path[:2])
        value = _get(doc.data, ptr)
        if len(path) == 2:
            view.data[setting] = value
            view.origins[(setting,)] = ptr
        else:
            obj = view.data.setdefault(setting, {})
            if not isinstance(obj, dict):
                continue  # the object itself is not an object: the schema pass says so
            obj[path[2]] = value
            view.origins[(setting, path[2])] = ptr
            if (setting,) not in view.origins:
                view.origins[(setting,)] = ptr[:-1] if len(ptr) > 1 else ptr
    for setting, ptr in view.present.items():
        if setting not in view.data:
            view.data[setting] = {}
            view.origins[(setting,)] = ptr
    view.data = {s: view.data[s] for s in SETTINGS if s in view.data}
    return view


def _get(data: Any, ptr: tuple[Any, ...]) -> Any:
    for p in ptr:
        data = data[p]
    return data


def _spread(view: _View, path: list[str], value: Any, ptr: tuple[Any, ...], spec: int,
            sink: list[Diagnostic]) -> None:
    node: Any = TREE
    for i, seg in enumerate(path):
        if not isinstance(node, dict) or seg not in node:
            parent = path[:i]
            names = _known_names(node, parent) if isinstance(node, dict) else []
            full = PREFIX + ".".join(path)
            close = difflib.get_close_matches(full, ALL_NAMES, n=1, cutoff=0.8)
            if not close and isinstance(node, dict):
                close = difflib.get_close_matches(seg, list(node), n=1, cutoff=0.6)
                close = [PREFIX + ".".join([*parent, close[0]])] if close else []
            hint = f"did you mean {close[0]!r}?" if close else (
                "known settings: " + ", ".join(names) if names else None)
            what = "setting" if len(ptr) == 1 else "member"
            sink.append(diag("VS001", view.doc.span(ptr, key=True),
                             f"unknown aiOrchestrator {what} {full!r}: the extension does not define it, "
                             f"VS Code ignores it", hint=hint))
            view.other[full if len(ptr) > 1 else ptr[0]] = value
            return
        node = node[seg]
    if isinstance(node, dict):
        if isinstance(value, dict):
            if len(path) == 2:
                view.present.setdefault(PREFIX + ".".join(path), ptr)
            for member, v in value.items():
                _spread(view, [*path, member], v, (*ptr, member), spec, sink)
            return
        if len(path) < 2:  # aiOrchestrator.providers / aiOrchestrator.agents as a non-object
            sink.append(diag("SC001", view.doc.span(ptr), f"{PREFIX + '.'.join(path)}: expected an object, "
                                                           f"found {_kind(value)}"))
            return
        # a setting-level object (fireworks) given as something else: the schema reports it
    _assign(view, tuple(path), ptr, spec, sink)


def _kind(value: Any) -> str:
    return {list: "an array", str: "a string", bool: "a boolean", int: "a number", float: "a number",
            type(None): "null"}.get(type(value), type(value).__name__)


def _assign(view: _View, path: tuple[str, ...], ptr: tuple[Any, ...], spec: int, sink: list[Diagnostic]) -> None:
    old = view.leaves.get(path)
    if old is None:
        view.leaves[path] = (ptr, spec)
        return
    old_ptr, old_spec = old
    (win_ptr, lose_ptr) = (ptr, old_ptr) if spec >= old_spec else (old_ptr, ptr)
    if spec >= old_spec:
        view.leaves[path] = (ptr, spec)
    name = PREFIX + ".".join(path)
    win = view.doc.span(win_ptr, key=True)
    sink.append(diag("VS003", view.doc.span(lose_ptr, key=True),
                     f"{name} is set twice: here and by the key {json.dumps(win_ptr[0])} on line {win.line}; "
                     f"VS Code uses the more specific (dotted) key, so this value is ignored",
                     hint="keep one of the two", related=[Related(win, "this value wins")]))


# -- reader ------------------------------------------------------------------------------------------


def read(doc: Document, ctx: ReadContext) -> Graph:
    sink = ctx.sink
    view = _build_view(doc, sink)
    for d in validate(view, FMT, view.data):  # type: ignore[arg-type]
        msg = d.message
        for s in SETTINGS:
            msg = msg.replace(json.dumps(s), s, 1) if msg.startswith(json.dumps(s)) else msg
        sink.append(replace(d, message=msg))
    return _Lowering(view, sink).graph()


def _num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


class _Lowering:
    def __init__(self, view: _View, sink: list[Diagnostic]):
        self.view = view
        self.sink = sink
        self.providers: list[Provider] = []
        self.models: list[Model] = []
        self.sets: list[AssignmentSet] = []
        self.endpoint_ids: dict[tuple[str, str, str | None], str] = {}
        self.fw_used = False

    def add(self, code: str, ptr: tuple[Any, ...], message: str, *, key: bool = False, hint: str | None = None,
            related: list[Related] | None = None) -> None:
        self.sink.append(diag(code, self.view.at(ptr, key=key), message, hint=hint, related=related or []))

    # -- the whole graph --------------------------------------------------------------------------
    def graph(self) -> Graph:
        data = self.view.data
        fw = data.get(S_FIREWORKS)
        fw_provider = self.fireworks_provider(fw) if S_FIREWORKS in data else None
        if isinstance(fw, dict) and isinstance(fw.get("customModels"), list):
            for i, entry in enumerate(fw["customModels"]):
                self.custom_model(entry, (S_FIREWORKS, "customModels", i), fireworks_list=True)
        if isinstance(data.get(S_CUSTOM), list):
            for i, entry in enumerate(data[S_CUSTOM]):
                self.custom_model(entry, (S_CUSTOM, i), fireworks_list=False)
        refs: list[str] = []
        self.assignment(refs)
        self.unified(refs)
        providers = list(self.providers)
        if fw_provider is not None:
            providers.insert(0, fw_provider)
        extras: dict[str, Any] = {}
        if self.view.other:
            extras[FMT] = {"settings": dict(self.view.other)}
        g = Graph(providers=tuple(providers), models=tuple(self.models), assignment_sets=tuple(self.sets),
                  extras=extras, sources=((FMT, self.view.doc.path),))
        return pull_builtins(g, refs)

    # -- Fireworks provider -----------------------------------------------------------------------------
    def fireworks_provider(self, fw: Any) -> Provider:
        api_key = fw.get("apiKey") if isinstance(fw, dict) else None
        extras = {}
        if isinstance(fw, dict):
            extras = {k: fw[k] for k in ("enabled", "defaultModel") if k in fw}
            if "apiKey" in fw:
                self.check_secret_ref(api_key, (S_FIREWORKS, "apiKey"))
        return Provider(id=FIREWORKS_ID, name="Fireworks AI", api="openai", base_url=FIREWORKS_URL,
                        auth=auth_of(api_key), extras={FMT: extras} if extras else {},
                        span=self.view.at((S_FIREWORKS,), key=True))

    def check_secret_ref(self, api_key: Any, ptr: tuple[Any, ...]) -> None:
        if isinstance(api_key, str) and "${" in api_key and not SECRET_REF.match(api_key):
            self.add("VS013", ptr, f"apiKey {api_key!r} is not a secret reference the extension understands; "
                                   "it is sent as the key itself",
                     hint="write ${SECRET:<name>} (VS Code does not expand ${env:...} in extension settings)")

    # -- custom models ---------------------------------------------------------------------------------
    def custom_model(self, entry: Any, ptr: tuple[Any, ...], *, fireworks_list: bool) -> None:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not entry["id"]:
            return  # the schema pass reported it
        mid = entry["id"]
        is_endpoint = not fireworks_list and ("type" in entry or "endpoint" in entry)
        kind = "custom endpoint" if is_endpoint else "Fireworks custom model"
        relevant = COMMON_FIELDS + (ENDPOINT_FIELDS if is_endpoint else FIREWORKS_FIELDS)
        extra_fields: dict[str, Any] = {}
        for f, v in entry.items():
            if f in relevant:
                continue
            secret = isinstance(v, str) and _SECRETISH.search(f) is not None and auth_of(v).kind == "literal"
            if not secret:  # a literal key in an ignored field is never carried along
                extra_fields[f] = v
            if f in KNOWN_FIELDS:
                why = ("a Fireworks model is served by the Fireworks API with its modelPath"
                       if not is_endpoint else "a custom endpoint model is sent as its modelName")
                if f == "deploymentName":
                    why = "deploymentName is only used by azure-openai endpoints"
                if f == "apiKey":
                    why = "it uses the key of aiOrchestrator.providers.fireworks" + \
                        ("; this literal key is not carried along by modelcc" if secret else "")
                self.add("VS012", (*ptr, f), f"{_where(ptr)}: {f!r} has no effect on a {kind} ({why})",
                         key=True, hint=f"remove {f!r}" + ("" if is_endpoint or fireworks_list else
                                                           ", or add \"type\" and \"endpoint\" to make this "
                                                           "a custom endpoint"))
            else:
                close = difflib.get_close_matches(f, list(relevant), n=1, cutoff=0.6)
                self.add("VS002", (*ptr, f), f"{_where(ptr)}: unknown field {f!r}; the extension ignores it",
                         key=True, hint=f"did you mean {close[0]!r}?" if close else
                         "known fields: " + ", ".join(relevant))
        if is_endpoint and entry.get("type") != "azure-openai" and "deploymentName" in entry:
            extra_fields["deploymentName"] = entry["deploymentName"]
            self.add("VS012", (*ptr, "deploymentName"),
                     f"{_where(ptr)}: 'deploymentName' has no effect on a {entry.get('type')} endpoint "
                     "(only azure-openai uses it)", key=True, hint="remove 'deploymentName'")
        deployment = self.endpoint_deployment(entry, ptr) if is_endpoint else self.fireworks_deployment(entry, ptr)
        cost = entry.get("cost")
        cost_v = None
        if isinstance(cost, dict) and _num(cost.get("input")) and _num(cost.get("output")) and \
                cost["input"] >= 0 and cost["output"] >= 0:
            cost_v = Cost(input=cost["input"], output=cost["output"])
        cw = entry.get("contextWindow")
        if isinstance(cw, float) and cw.is_integer():
            cw = int(cw)
        settings: dict[str, Any] = {}
        for f, name in SETTING_FIELDS.items():
            v = entry.get(f)
            if _num(v) and (f != "maxTokens" or (isinstance(v, int) or float(v).is_integer()) and v > 0):
                settings[name] = int(v) if f == "maxTokens" else v
        mextras: dict[str, Any] = {}
        if extra_fields:
            mextras["fields"] = extra_fields
        if not fireworks_list and not is_endpoint:
            mextras["list"] = "custom"  # a Fireworks model kept in providers.custom
        self.models.append(Model(
            id=mid,
            display_name=_str(entry.get("displayName")),
            description=_str(entry.get("description")),
            context_window=cw if isinstance(cw, int) and not isinstance(cw, bool) and cw > 0 else None,
            cost=cost_v,
            settings=settings,
            deployments=(deployment,) if deployment else (),
            extras={FMT: mextras} if mextras else {},
            span=self.view.at(ptr),
        ))

    def fireworks_deployment(self, entry: dict[str, Any], ptr: tuple[Any, ...]) -> Deployment | None:
        if not _str(entry.get("modelPath")):
            if "modelPath" not in entry:
                self.add("VS010", ptr, f"{_where(ptr)}: Fireworks custom model {entry['id']!r} has no 'modelPath'",
                         hint="add \"modelPath\": \"accounts/<account>/models/<name>\""
                              + ("" if ptr[0] == S_FIREWORKS else
                                 ", or \"type\", \"endpoint\" and \"modelName\" for a custom endpoint"))
            return None
        self.fw_used = True
        return Deployment(provider=FIREWORKS_ID, model_name=entry["modelPath"],
                          span=self.view.at((*ptr, "modelPath")))

    def endpoint_deployment(self, entry: dict[str, Any], ptr: tuple[Any, ...]) -> Deployment | None:
        where = _where(ptr)
        ok = True
        typ = entry.get("type")
        if "type" not in entry:
            self.add("VS006", ptr, f"{where}: custom endpoint {entry['id']!r} has no 'type'",
                     hint="add \"type\": one of " + ", ".join(API_OF_TYPE), key=True)
            ok = False
        elif not isinstance(typ, str) or typ not in API_OF_TYPE:
            ok = False  # schema pass reported it
        if "endpoint" not in entry:
            self.add("VS008", ptr, f"{where}: custom endpoint {entry['id']!r} has no 'endpoint'",
                     hint="add \"endpoint\": the base URL, e.g. \"http://localhost:11434/v1\"", key=True)
            ok = False
        elif not _str(entry.get("endpoint")):
            ok = False
        if "modelName" not in entry:
            self.add("VS007", ptr, f"{where}: custom endpoint {entry['id']!r} has no 'modelName'",
                     hint="add \"modelName\": the model name the endpoint expects", key=True)
            ok = False
        elif not _str(entry.get("modelName")):
            ok = False
        if typ == "azure-openai" and "deploymentName" not in entry:
            self.add("VS009", ptr, f"{where}: azure-openai endpoint {entry['id']!r} has no 'deploymentName'",
                     hint="add \"deploymentName\": the Azure OpenAI deployment to call", key=True)
            ok = False
        if "apiKey" in entry:
            self.check_secret_ref(entry["apiKey"], (*ptr, "apiKey"))
        if not ok:
            return None
        endpoint = entry["endpoint"]
        api_key = entry.get("apiKey") if isinstance(entry.get("apiKey"), str) else None
        triple = (typ, endpoint, api_key)
        pid = self.endpoint_ids.get(triple)
        if pid is None:
            base = provider_id(endpoint)
            taken = {p.id for p in self.providers} | {FIREWORKS_ID}
            pid, n = base, 1
            while pid in taken:
                n += 1
                pid = f"{base}-{n}"
            self.endpoint_ids[triple] = pid
            self.providers.append(Provider(id=pid, api=API_OF_TYPE[typ], base_url=endpoint, auth=auth_of(api_key),
                                           span=self.view.at((*ptr, "endpoint"))))
        dep_name = entry.get("deploymentName") if typ == "azure-openai" else None
        return Deployment(provider=pid, model_name=entry["modelName"],
                          deployment_name=dep_name if isinstance(dep_name, str) else None,
                          span=self.view.at((*ptr, "modelName")))

    # -- model references ---------------------------------------------------------------------------------
    def model_ref(self, value: Any, ptr: tuple[Any, ...], refs: list[str]) -> str | None:
        if not isinstance(value, str) or not value:
            return None  # schema pass
        if value == AUTO:
            return AUTO
        if value in presets():
            refs.append(value)
            return value
        if value.startswith(CUSTOM_REF) and len(value) > len(CUSTOM_REF):
            return value[len(CUSTOM_REF):]
        known_ids = [m.id for m in self.models]
        choices = [AUTO, *presets(), *(CUSTOM_REF + i for i in known_ids)]
        if value in known_ids:
            hint = f"custom models are referenced with a prefix: write {CUSTOM_REF + value!r}"
        else:
            close = difflib.get_close_matches(value, choices, n=1, cutoff=0.5)
            hint = f"did you mean {close[0]!r}?" if close else "write auto, a preset (" + \
                ", ".join(presets()) + ") or custom:<id>"
        self.add("VS005", ptr, f"{_where(ptr)}: {value!r} is not a model reference: expected auto, "
                               f"a built-in preset or custom:<id>", hint=hint)
        return None

    def assignment(self, refs: list[str]) -> None:
        pa = self.view.data.get(S_ASSIGN)
        if not isinstance(pa, dict):
            return
        bindings = []
        unknown: dict[str, Any] = {}
        known_roles = list(roles.TOOL_ROLES[FMT])
        for role, value in pa.items():
            ptr = (S_ASSIGN, role)
            canon = roles.to_canonical(FMT, role)
            if canon is None:
                close = difflib.get_close_matches(role, known_roles, n=1, cutoff=0.5)
                self.add("VS004", ptr, f"{_where(ptr)}: unknown agent role {role!r}", key=True,
                         hint=(f"did you mean {close[0]!r}? " if close else "") + "known roles: "
                         + ", ".join(known_roles))
                unknown[role] = value
                continue
            model = self.model_ref(value, ptr, refs)
            if model is None:
                continue
            bindings.append(RoleBinding(role=canon, model=model, span=self.view.at(ptr)))
        self.sets.append(AssignmentSet(id=ASSIGNMENT_SET_ID, kind="assignment", bindings=tuple(bindings),
                                       extras={FMT: {"roles": unknown}} if unknown else {},
                                       span=self.view.at((S_ASSIGN,), key=True)))

    def unified(self, refs: list[str]) -> None:
        data = self.view.data
        use = data.get(S_USE)
        choice = data.get(S_CHOICE)
        if use is True and S_CHOICE not in data:
            self.add("VS011", (S_USE,), "aiOrchestrator.agents.useUnifiedProvider is true but "
                                        "aiOrchestrator.agents.unifiedProviderChoice is not set",
                     key=True, hint="add \"aiOrchestrator.agents.unifiedProviderChoice\": \"auto\" "
                                    "(or a preset, or custom:<id>)")
        if S_CHOICE not in data and S_USE not in data:
            return
        extras = {"useUnifiedProvider": use} if isinstance(use, bool) else {}
        bindings: tuple[RoleBinding, ...] = ()
        if S_CHOICE in data:
            model = self.model_ref(choice, (S_CHOICE,), refs)
            if model is not None:
                bindings = (RoleBinding(role="default", model=model, span=self.view.at((S_CHOICE,))),)
        if not bindings and not extras:
            return
        span = self.view.at((S_CHOICE,) if S_CHOICE in data else (S_USE,), key=True)
        self.sets.append(AssignmentSet(id=UNIFIED_SET_ID, kind="default", bindings=bindings,
                                       extras={FMT: extras} if extras else {}, span=span))


def _where(ptr: tuple[Any, ...]) -> str:
    from compiler.schema import where

    out = where(ptr)
    for s in SETTINGS:
        q = json.dumps(s)
        if out.startswith(q):
            return s + out[len(q):]
    return out


def _str(v: Any) -> str | None:
    return v if isinstance(v, str) and v else None


def pull_builtins(g: Graph, refs: list[str] | None = None) -> Graph:
    """Add the catalog models the graph's bindings name, and the built-in providers they need.

    Also used by the writer to predict what reading its output back gives.
    """
    cat = catalog()
    names = list(refs) if refs is not None else [
        b.model for s in g.assignment_sets for b in s.bindings if b.model in presets()]
    have_models = {m.id for m in g.models}
    # a built-in node points at the first place that uses it (for diagnostics about it)
    first_use = {}
    for s in g.assignment_sets:
        for b in s.bindings:
            first_use.setdefault(b.model, b.span)
    add_models = []
    for name in dict.fromkeys(names):
        m = cat.model(name)
        if m is not None and name not in have_models:
            add_models.append(replace(m, span=first_use.get(name, m.span)))
    have_providers = {p.id for p in g.providers}
    add_providers = []
    for m in (*g.models, *add_models):
        for d in m.deployments:
            p = cat.provider(d.provider)
            if p is not None and p.id not in have_providers:
                have_providers.add(p.id)
                add_providers.append(replace(p, span=m.span))
    if not add_models and not add_providers:
        return g
    return replace(g, providers=(*g.providers, *add_providers), models=(*g.models, *add_models))
