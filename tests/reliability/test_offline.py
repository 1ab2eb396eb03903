"""No network, ever: index, search and eval never open a socket, and index and search work
with the network switched off."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.corpora.concurrency import make_corpus
from tests.conftest import REPO
from tests.support.bilingual import write_corpus

pytestmark = pytest.mark.model

_NO_SOCKETS = """
import os, socket, traceback

class _Refused(socket.socket):
    def __init__(self, *args, **kwargs):
        with open(os.environ["XLSEARCH_SOCKET_LOG"], "a") as log:
            log.write("socket attempted:\\n" + "".join(traceback.format_stack(limit=8)) + "\\n")
        raise OSError("network use is forbidden in this test")

def _refuse(*args, **kwargs):
    _Refused()

socket.socket = _Refused
socket.create_connection = _refuse
socket.socketpair = _refuse
socket.getaddrinfo = _refuse
"""


def test_index_search_and_eval_never_open_a_socket(tmp_path: Path, shared_models: Path) -> None:
    from tests.eval.test_runner import _tiny_beir

    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(_NO_SOCKETS)
    log = tmp_path / "sockets.log"
    home = tmp_path / "home"
    home.mkdir()
    (home / "models").symlink_to(shared_models, target_is_directory=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))}
    env.update(
        XLSEARCH_HOME=str(home),
        XLSEARCH_SOCKET_LOG=str(log),
        PYTHONPATH=os.pathsep.join([str(site), str(REPO)]),
    )
    xlsearch = [sys.executable, "-c", "from xlsearch.cli import main; main()"]
    corpus = make_corpus(tmp_path / "corpus", 3)
    data = _tiny_beir(tmp_path / "tiny")
    for args in (
        ["index", str(corpus)],
        ["search", "Note 1 about sharedword"],
        ["eval", str(data), "--system", "bm25", "--system", "multilingual"],
    ):
        done = subprocess.run(
            [*xlsearch, *args], env=env, capture_output=True, text=True, timeout=900
        )
        assert done.returncode == 0, (args, done.stderr[-2000:])
    probe = subprocess.run(
        [sys.executable, "-c", "import socket; socket.socket()"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert probe.returncode != 0  # the guard is really in place in these processes
    attempts = log.read_text() if log.exists() else ""
    starts = [line for line in attempts.splitlines() if line == "socket attempted:"]
    assert len(starts) == 1, attempts  # only the probe's


def _xlsearch() -> list[str]:
    return [sys.executable, "-c", "from xlsearch.cli import main; main()"]


@pytest.mark.skipif(shutil.which("unshare") is None, reason="unshare is not installed")
def test_index_and_search_with_the_network_switched_off(tmp_path: Path) -> None:
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("cannot create a network namespace here")
    corpus = write_corpus(tmp_path / "corpus")
    env = {**os.environ, "XLSEARCH_HOME": str(tmp_path / "home")}
    subprocess.run(
        ["unshare", "-n", *_xlsearch(), "index", str(corpus)],
        env=env,
        check=True,
        capture_output=True,
    )
    found = subprocess.run(
        [
            "unshare",
            "-n",
            *_xlsearch(),
            "search",
            "--json",
            "How can I stop mosquitoes breeding around my house?",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert "dengue.txt" in found.stdout.split("\n", 3)[2]
