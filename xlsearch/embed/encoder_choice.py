"""Which encoder embeds passages of the bundled e5 here, decided once and recorded.

Candidates under ``quantization = auto``: OpenVINO ``int8-weights``, ``bf16`` (the
float IR run in bfloat16, only where the CPU computes it natively), ``fp32``; then torch
fp32, which is the reference and always allowed. ``int8`` (post-training quantisation of
activations too) is built only when asked: its vectors cost up to 0.009 nDCG@10 here.
Each candidate is built (once), gated (``encoder_gate``) and the first that passes is
used. Everything is recorded in ``manifest.json`` beside the variants: runtime and
versions, the calibration set and its hash, each variant's figures and why it was
refused, and the decision per ``quantization`` setting, so the next run decides at
once and ``xlsearch models`` / ``xlsearch status`` can say what was chosen. While it
builds and gates (a minute or more, once), each step is told to a ``Step`` callback as
it starts, for indexing's progress display.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xlsearch.embed.base import TORCH as TORCH
from xlsearch.embed.base import Embedder, Step, no_step

if TYPE_CHECKING:  # the gate (and numpy) only when a variant is built: reading the
    # recorded decision, as every indexing run does, needs neither
    from xlsearch.embed.encoder_gate import Limits, Reference, ShippedText

PREFIX = "openvino-"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Variant:
    """An OpenVINO build: its folder, how it is made and the precision it runs in."""

    name: str
    folder: str
    build: str  # "export", "quantize" or "compress"
    precision: str = "f32"

    @property
    def encoder(self) -> str:
        return PREFIX + self.name


VARIANTS = {
    v.name: v
    for v in (
        Variant("int8", "int8", "quantize"),
        Variant("int8-weights", "int8-weights", "compress"),
        Variant("bf16", "fp32", "export", "bf16"),
        Variant("fp32", "fp32", "export"),
    )
}
CANDIDATES = {
    # int8 PTQ only when asked: its 0.9991 mean cosine cost up to 0.009 nDCG@10 on
    # FLORES-200 and XQuAD-R slices (benchmarks/results/encoders.txt); int8 weights lose none.
    "auto": ["int8-weights", "bf16", "fp32"],
    "int8": ["int8"],
    "int8-weights": ["int8-weights"],
    "none": ["fp32"],
}
"""Variants tried per ``quantization`` setting, in order; torch follows them all."""


def variant_of(encoder: str) -> Variant | None:
    return VARIANTS.get(encoder.removeprefix(PREFIX)) if encoder.startswith(PREFIX) else None


def versions() -> dict[str, str]:
    """Versions of the runtimes a variant depends on (a change rebuilds)."""
    import importlib.metadata  # here: importing it costs a cold search some 10 ms

    found = {}
    for package in ("openvino", "nncf", "torch", "transformers", "tokenizers"):
        try:
            found[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            found[package] = "missing"
    return found


def bf16_native() -> bool:
    """Whether OpenVINO computes bfloat16 on this CPU (else bf16 would be emulated)."""
    import openvino as ov

    return "BF16" in ov.Core().get_property("CPU", "OPTIMIZATION_CAPABILITIES")


class Manifest:
    """``manifest.json`` of the OpenVINO folder: what was built, measured and chosen."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "manifest.json"
        try:
            self.data: dict[str, Any] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.data = {}

    def current(self, source: dict[str, Any]) -> bool:
        """Whether the record was made from this float copy, runtimes and limits."""
        return all(self.data.get(k) == v for k, v in source.items())

    def reset(self, source: dict[str, Any]) -> None:
        self.data = {"model": "multilingual-e5-small", "runtime": "openvino", **source}
        self.data.update(variants={}, decisions={})

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.data, indent=1, ensure_ascii=False), encoding="utf-8")
        tmp.replace(self.path)

    def decision(self, quantization: str) -> dict[str, Any] | None:
        found = self.data.get("decisions", {}).get(quantization)
        return found if isinstance(found, dict) else None


@dataclass
class Chooser:
    """Builds, gates and records; ``load`` and ``reference`` are injectable so a test
    can hand it a broken variant."""

    folder: Path  # <models>/multilingual-e5-small-openvino
    float_dir: Path
    text: ShippedText
    limits: Limits
    load: Callable[[Path, Variant], Embedder]
    reference: Callable[[], Embedder]
    step: Step = no_step
    _done: int = field(default=0, init=False)
    _planned: int = field(default=0, init=False)

    def choose(self, quantization: str) -> str:
        """The encoder for ``quantization`` (recorded decision, or decided now)."""
        manifest = Manifest(self.folder)
        source = self._source()
        if not manifest.current(source):  # other runtimes or weights: build afresh
            for variant in VARIANTS.values():
                shutil.rmtree(self.folder / variant.folder, ignore_errors=True)
            manifest.reset(source)
        decided = manifest.decision(quantization)
        if decided is not None:
            return str(decided["encoder"])
        chosen, tried = self._decide(manifest, quantization)
        if self._planned:
            self._done = self._planned  # a variant that failed to build skipped steps
            self._tell(f"done: passages go through {chosen}")
        manifest.data["decisions"][quantization] = {
            "encoder": chosen,
            "tried": tried,
            "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        manifest.save()
        return chosen

    def _source(self) -> dict[str, Any]:
        stamp = self.float_dir / "xlsearch_manifest.json"
        return {
            "versions": versions(),
            "float_copy": json.loads(stamp.read_text()) if stamp.exists() else None,
            "limits": asdict(self.limits),
            "calibration": {
                "source": "assets/benchmark/corpus.jsonl (half of the topics, ne and en)",
                "texts": len(self.text.calibration),
                "sha256": self.text.digest(),
            },
            "probe": {"passages": len(self.text.passages), "queries": len(self.text.queries)},
        }

    def _decide(self, manifest: Manifest, quantization: str) -> tuple[str, list[str]]:
        tried: list[str] = []
        reference: Reference | None = None
        for name in CANDIDATES.get(quantization, CANDIDATES["auto"]):
            variant = VARIANTS[name]
            record = manifest.data["variants"].get(name)
            if record is None:
                if variant.precision == "bf16" and not bf16_native():
                    continue
                self._planned += len(self._steps(variant)) + (reference is None)
                if reference is None:
                    self._begin(f"encoding {len(self.text.passages)} probe passages with torch")
                    from xlsearch.embed.encoder_gate import Reference

                    reference = Reference.of(self.reference(), self.text)
                record = self._build_and_gate(variant, reference)
                manifest.data["variants"][name] = record
                manifest.save()
                if not record["figures"]["passed"]:
                    failed = "; ".join(record["figures"]["failures"])
                    self._tell(f"{variant.encoder} refused ({failed}), trying the next")
            tried.append(name)
            if record["figures"]["passed"]:
                return variant.encoder, tried
        return TORCH, tried

    def _steps(self, variant: Variant) -> list[str]:
        """What preparing ``variant`` takes, in order (building only if not yet built)."""
        steps = []
        if not (self.folder / variant.folder / "model.xml").exists():
            steps.append(f"converting the model to OpenVINO ({variant.name})")
            if variant.build == "quantize":
                steps.append(f"quantising to int8 on {len(self.text.calibration)} shipped texts")
            elif variant.build == "compress":
                steps.append("compressing its weights to int8")
        steps.append(f"checking quality against torch ({variant.encoder})")
        return steps

    def _begin(self, what: str) -> None:
        self._tell(what)
        self._done += 1

    def _tell(self, what: str) -> None:
        self.step(what, self._done, self._planned)

    def _build_and_gate(self, variant: Variant, reference: Reference) -> dict[str, Any]:
        from xlsearch.embed.encoder_gate import as_record, gate

        steps = self._steps(variant)
        started = time.perf_counter()
        try:
            self._build(variant, steps[:-1])
            built = time.perf_counter() - started
            self._begin(steps[-1])
            figures = gate(self.load(self.folder, variant), reference, self.text, self.limits)
        except Exception as exc:  # a variant that cannot be built is refused, not fatal
            log.warning("OpenVINO variant %s failed (%s)", variant.name, exc)
            return {"figures": {"passed": False, "failures": [f"build failed: {exc}"]}}
        log.info("variant %s: %s", variant.name, figures.summary())
        return {"build_seconds": round(built, 1), "figures": as_record(figures)}

    def _build(self, variant: Variant, steps: list[str] | None = None) -> None:
        """Build ``variant`` unless built; ``steps`` (from ``_steps``) are told as they start."""
        from xlsearch.embed import openvino_build as build

        target = self.folder / variant.folder
        if (target / "model.xml").exists():
            return
        told = iter(steps or [])
        with build.quiet():
            self._next(told)
            model = build.export(self.float_dir)
            if variant.build == "quantize":
                self._next(told)
                batches = build.calibration_batches(self.float_dir, self.text.calibration)
                model = build.quantize(model, batches)
            elif variant.build == "compress":
                self._next(told)
                model = build.compress_weights(model)
            build.save(model, self.float_dir, target)

    def _next(self, steps: Iterator[str]) -> None:
        what = next(steps, None)
        if what is not None:
            self._begin(what)


def load_variant(folder: Path, variant: Variant) -> Embedder:
    """The OpenVINO embedder of a built variant."""
    from xlsearch.embed.openvino_encoder import OpenVinoEmbedder

    return OpenVinoEmbedder(folder / variant.folder, variant.encoder, variant.precision)


def recorded(folder: Path) -> dict[str, Any]:
    """The manifest as recorded (empty when nothing was built), for listings."""
    return Manifest(folder).data
