"""``make demo``: one scripted call through the example IVR, served by gunicorn, on the
local Sinch platform; prints the call's transcript.

The caller presses 1 (support), 1 again (an agent: connected, with answering machine
detection), and the agent hangs up in the end.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

from sinch_voice.testing import LocalPlatform

from examples.ivr import KEY, SECRET

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> int:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--log-level", "warning", "examples.ivr:wsgi"],
        cwd=REPO,
    )  # fmt: skip
    try:
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        time.sleep(0.5)
        url = f"http://127.0.0.1:{port}/sinch/callback"
        print(f"example IVR under gunicorn on {url}; calling it from the local platform\n")
        with LocalPlatform({KEY: SECRET}) as platform:
            transcript = platform.call(url=url, press=["1", "1"])
        print(transcript)
    finally:
        server.terminate()
        server.wait(timeout=15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
