"""Running a system program (antiword, catdoc) over one file's bytes, bounded.

The program is found at run time with ``shutil.which``; without it the file fails with
the one command that installs it. The bytes go to a private temporary file (these
programs need a seekable file), output is capped, and the program is killed after a
time limit, inside the guarded reader's own limit.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

from xlsearch.errors import ExtractError

SECONDS = 30.0
"""The longest one program may run on one file."""
MAX_OUTPUT = 64 * 1024 * 1024
"""The most output kept from one program run."""

INSTALL = {
    "antiword": "sudo apt install antiword",
    "catdoc": "sudo apt install catdoc",
}


def missing(program: str) -> ExtractError:
    """The failure for a file that needs ``program``, which is not installed."""
    return ExtractError(f"install {program} to read this file: {INSTALL[program]}")


def run_tool(program: str, args: list[str], data: bytes, suffix: str) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of ``program args FILE`` with ``data`` as FILE."""
    found = shutil.which(program)
    if found is None:
        raise missing(program)
    with tempfile.TemporaryDirectory(prefix="xlsearch-") as folder:
        path = os.path.join(folder, f"input{suffix}")
        with open(path, "wb") as handle:
            handle.write(data)
        try:
            done = subprocess.run(
                [found, *args, path],
                capture_output=True,
                timeout=SECONDS,
                env={**os.environ, "LC_ALL": "C.UTF-8"},
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise ExtractError(
                f"{program} took longer than {SECONDS:g} s, so it was stopped"
            ) from exc
        except OSError as exc:
            raise ExtractError(f"{program} could not run: {exc.strerror}") from exc
    out = done.stdout[:MAX_OUTPUT].decode("utf-8", "replace")
    err = done.stderr[:4096].decode("utf-8", "replace").replace(path, "this file").strip()
    return done.returncode, out, err
