"""The model registry (``models/registry/*.toml``) and the local model store.

Each supported model has one small TOML file: hub id, pinned revision, family,
language codes, licence, size and length limits. Fetched snapshots live in
the store (``models/<name>/`` in a source checkout, or ``$TRANSLATE_MODELS_DIR``).
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from translate.errors import ModelError, ModelNotAvailableError, UsageError

FAMILIES = ("nllb", "m2m100", "marian", "t5")
_PACKAGE_DIR = Path(__file__).resolve().parents[1]  # translate/
_REPO_MODELS = _PACKAGE_DIR.parent / "models"
SNAPSHOT_FILE = ".translate-snapshot.json"


@dataclass(frozen=True)
class ModelInfo:
    """One registry entry."""

    name: str
    hub_id: str
    revision: str
    family: str
    languages: tuple[tuple[str, str], ...]
    directions: tuple[str, ...]
    license: str
    parameters: str
    download_gb: float
    max_input_tokens: int
    max_output_tokens: int
    default: bool = False
    gated: bool = False
    notes: str = ""

    def code(self, lang: str) -> str | None:
        return dict(self.languages).get(lang)


@dataclass(frozen=True)
class ResolvedModel:
    """Where a ``--model`` value points: a local directory or a hub id."""

    spec: str
    location: str
    revision: str | None
    local: bool
    info: ModelInfo | None = None

    @property
    def model_id(self) -> str:
        return self.info.hub_id if self.info else self.location


def registry_dir() -> Path:
    env = os.environ.get("TRANSLATE_REGISTRY")
    if env:
        return Path(env)
    packaged = _PACKAGE_DIR / "_registry"
    if packaged.is_dir():
        return packaged
    return _REPO_MODELS / "registry"


def model_store() -> Path:
    """Directory holding fetched and converted models."""
    env = os.environ.get("TRANSLATE_MODELS_DIR")
    if env:
        return Path(env)
    if (_REPO_MODELS / "registry").is_dir():
        return _REPO_MODELS
    return Path.home() / ".cache" / "translate" / "models"


def _load(path: Path) -> ModelInfo:
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
        family = raw["family"]
        if family not in FAMILIES:
            raise ValueError(f"unknown family {family!r}")
        return ModelInfo(
            name=raw["name"],
            hub_id=raw["hub_id"],
            revision=str(raw["revision"]),
            family=family,
            languages=tuple(sorted(raw["languages"].items())),
            directions=tuple(raw["directions"]),
            license=raw["license"],
            parameters=str(raw["parameters"]),
            download_gb=float(raw["download_gb"]),
            max_input_tokens=int(raw["max_input_tokens"]),
            max_output_tokens=int(raw["max_output_tokens"]),
            default=bool(raw.get("default", False)),
            gated=bool(raw.get("gated", False)),
            notes=raw.get("notes", ""),
        )
    except (KeyError, ValueError, TypeError, tomllib.TOMLDecodeError) as exc:
        raise ModelError(f"registry file {path} is invalid: {exc}") from exc


def list_models() -> list[ModelInfo]:
    """All registry entries, default first."""
    d = registry_dir()
    if not d.is_dir():
        raise ModelError(f"model registry not found at {d}; set TRANSLATE_REGISTRY")
    models = [_load(p) for p in sorted(d.glob("*.toml"))]
    return sorted(models, key=lambda m: (not m.default, m.name))


def get_model(name: str) -> ModelInfo:
    for m in list_models():
        if m.name == name or m.hub_id == name:
            return m
    names = ", ".join(m.name for m in list_models())
    raise UsageError(
        f"unknown model {name!r} (registry names: {names}; or give a hub id or a path)"
    )


def default_model() -> ModelInfo:
    for m in list_models():
        if m.default:
            return m
    raise ModelError("the registry names no default model")


def is_model_dir(path: Path) -> bool:
    return (path / "config.json").is_file() or (path / "model.bin").is_file()


def resolve(spec: str | None) -> ResolvedModel:
    """Turn a ``--model`` value (registry name, hub id or path) into a location.

    A registry model already fetched into the store is used from there.

    Raises:
        ModelError: a path that holds no model.
        UsageError: a value that is neither a path, a registry name nor a hub id.
    """
    if spec is None:
        spec = default_model().name
    path = Path(spec).expanduser()
    looks_like_path = spec.startswith((".", "/", "~")) or os.sep in spec and path.exists()
    if path.exists() or (looks_like_path and not _is_registry_name(spec)):
        if not path.exists():
            raise ModelError(f"model directory {spec} does not exist")
        if not path.is_dir():
            raise ModelError(f"{spec} is a file; --model needs a model directory")
        if not is_model_dir(path):
            raise ModelError(
                f"{spec} holds no model (no config.json): give a directory in the Hugging Face "
                "layout (config.json, tokenizer files, *.safetensors)"
            )
        return ResolvedModel(spec, str(path), _snapshot_revision(path), True, _info_for_dir(path))
    if _is_registry_name(spec):
        info = get_model(spec)
        local = model_store() / info.name
        if is_model_dir(local):
            return ResolvedModel(
                spec, str(local), _snapshot_revision(local) or info.revision, True, info
            )
        return ResolvedModel(spec, info.hub_id, info.revision, False, info)
    if "/" in spec and not spec.startswith("/"):
        return ResolvedModel(spec, spec, None, False, None)
    names = ", ".join(m.name for m in list_models())
    raise UsageError(
        f"unknown model {spec!r}: not a directory, a registry name ({names}) or a hub id (org/name)"
    )


def _is_registry_name(spec: str) -> bool:
    try:
        return any(m.name == spec or m.hub_id == spec for m in list_models())
    except ModelError:
        return False


def _snapshot_revision(path: Path) -> str | None:
    f = path / SNAPSHOT_FILE
    if f.is_file():
        try:
            return json.loads(f.read_text("utf-8")).get("revision")
        except (OSError, ValueError):
            return None
    return None


def _info_for_dir(path: Path) -> ModelInfo | None:
    f = path / SNAPSHOT_FILE
    if f.is_file():
        try:
            name = json.loads(f.read_text("utf-8")).get("name")
            return get_model(name) if name else None
        except (OSError, ValueError, UsageError):
            return None
    return None


def offline_mode() -> bool:
    """Whether the user set Hugging Face's offline mode (``HF_HUB_OFFLINE``)."""
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


def hub_reachable(timeout: float = 3.0) -> bool:
    """Whether the model hub answers a TCP connection (False when offline mode is set)."""
    import socket
    from urllib.parse import urlparse

    if offline_mode():
        return False
    url = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co"))
    host, port = (
        url.hostname or "huggingface.co",
        url.port or (443 if url.scheme == "https" else 80),
    )
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


FETCH_PATTERNS = [
    "*.json",
    "*.safetensors",
    "*.model",
    "*.spm",
    "*.txt",
    "sentencepiece*",
    "spiece*",
]


def fetch(name: str, store: Path | None = None, allow_pickle: bool = False) -> Path:
    """Download a registry model's pinned snapshot into the store for offline use.

    Raises:
        ModelNotAvailableError: the hub cannot be reached or the model is gated.
    """
    from huggingface_hub import snapshot_download  # heavy: imported on use

    info = get_model(name)
    target = (store or model_store()) / info.name
    patterns = FETCH_PATTERNS + (["*.bin"] if allow_pickle else [])
    if not hub_reachable():
        raise ModelNotAvailableError(
            f"cannot reach the model hub to download {info.hub_id} (offline, or HF_HUB_OFFLINE "
            f"is set). Fetch it on a machine with network and copy {target} here, or give a "
            "local directory with --model."
        )
    try:
        path = snapshot_download(
            info.hub_id, revision=info.revision, local_dir=str(target), allow_patterns=patterns
        )
    except Exception as exc:  # huggingface_hub raises many types; all mean "not fetched"
        raise ModelNotAvailableError(
            f"could not download {info.hub_id} (revision {info.revision}): "
            f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}. "
            "Check the network (and HF_TOKEN for gated models), or copy a snapshot into "
            f"{target} by hand."
        ) from exc
    resolved_revision = info.revision
    try:
        from huggingface_hub import HfApi

        resolved_revision = (
            HfApi().model_info(info.hub_id, revision=info.revision).sha or info.revision
        )
    except Exception:  # the snapshot is there; the exact commit is a nicety
        pass
    (Path(path) / SNAPSHOT_FILE).write_text(
        json.dumps({"name": info.name, "hub_id": info.hub_id, "revision": resolved_revision}),
        "utf-8",
    )
    return Path(path)
