"""``make dist``: the wheel and the sdist of one commit, built from a clean checkout.

The commit is exported with ``git archive`` into a scratch folder, so nothing that is not
committed (a stale ``generated/``, an egg-info, a local edit) can reach a release. The
build runs with ``SOURCE_DATE_EPOCH`` set to the commit's time: the wheel's zip dates come
from it, and the sdist is repacked with every owner, mode and date fixed (setuptools
writes the gzip header with the current time, so two builds of the same commit differed
in four bytes). Two builds of one commit are therefore byte-identical; ``twine check
--strict`` must pass before anything is copied to ``dist/``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from .spec import REPO


class DistError(Exception):
    """The distributions could not be built; the message says which step failed."""


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise DistError(f"{' '.join(command[:4])} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def commit_time(ref: str, repo: Path = REPO) -> int:
    return int(_run(["git", "log", "-1", "--format=%ct", ref], repo).strip())


def normalise_sdist(path: Path, epoch: int) -> None:
    """Repack an sdist with members sorted, owned by root, dated no later than ``epoch``."""
    members: list[tuple[tarfile.TarInfo, bytes | None]] = []
    with tarfile.open(path, "r:gz") as source:
        for member in source:
            handle = source.extractfile(member) if member.isfile() else None
            members.append((member, handle.read() if handle is not None else None))
    buffer = io.BytesIO()
    with (
        gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=epoch) as packed,
        tarfile.open(fileobj=packed, mode="w", format=tarfile.PAX_FORMAT) as target,
    ):
        for member, data in sorted(members, key=lambda pair: pair[0].name):
            member.uid = member.gid = 0
            member.uname = member.gname = ""
            member.mtime = min(int(member.mtime), epoch)
            member.mode = 0o755 if member.isdir() or member.mode & 0o100 else 0o644
            member.pax_headers = {}
            target.addfile(member, io.BytesIO(data) if data is not None else None)
    path.write_bytes(buffer.getvalue())


def build(ref: str = "HEAD", out: Path | None = None, repo: Path = REPO) -> list[Path]:
    """Build ``ref``'s wheel and sdist into ``out`` (default ``dist/``); return their paths."""
    out = out or repo / "dist"
    epoch = commit_time(ref, repo)
    with tempfile.TemporaryDirectory(prefix="sinch-voice-dist-") as scratch:
        source, built = Path(scratch) / "source", Path(scratch) / "built"
        source.mkdir()
        archive = subprocess.run(
            ["git", "archive", "--format=tar", ref],  # noqa: S607
            cwd=repo,
            capture_output=True,
            check=False,
        )
        if archive.returncode != 0:
            raise DistError(f"git archive {ref} failed: {archive.stderr.decode()}")
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            if hasattr(tarfile, "data_filter"):  # 3.10.12 and later
                tar.extractall(source, filter="data")
            else:  # our own commit, from git archive
                tar.extractall(source)  # noqa: S202
        env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "PYTHONHASHSEED": "0"}
        _run(
            [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(built), "."],
            source,
            env,
        )
        files = sorted(built.iterdir())
        for sdist in built.glob("*.tar.gz"):
            normalise_sdist(sdist, epoch)
        _run([sys.executable, "-m", "twine", "check", "--strict", *map(str, files)], built)
        out.mkdir(parents=True, exist_ok=True)
        copied = []
        for file in files:
            target = out / file.name
            shutil.copyfile(file, target)
            copied.append(target)
    return copied


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen.dist", description=__doc__)
    parser.add_argument("--ref", default="HEAD", help="the commit to build (default HEAD)")
    parser.add_argument("--out", type=Path, default=None, help="folder (default dist/)")
    args = parser.parse_args(argv)
    dirty = _run(["git", "status", "--porcelain", "--untracked-files=no"], REPO)
    if dirty and args.ref == "HEAD":
        print("note: uncommitted changes are not in the build (it is made from HEAD)")
    try:
        files = build(args.ref, args.out)
    except DistError as error:
        print(error, file=sys.stderr)
        return 1
    for file in files:
        digest = hashlib.sha256(file.read_bytes()).hexdigest()
        print(f"{digest}  {file.relative_to(REPO) if file.is_relative_to(REPO) else file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
