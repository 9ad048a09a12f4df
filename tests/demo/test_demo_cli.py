"""`triage-bot demo` as a process: it prints the page's address, serves it, picks free ports
so two demos can run at once, and Ctrl-C or SIGTERM stops it with exit 0 and no files left."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import IO

STARTUP_SECONDS = 20


def _start(tmp: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONUNBUFFERED": "1"}
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "demo", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )


def _address(process: subprocess.Popen[str]) -> str:
    stream: IO[str] | None = process.stdout
    assert stream is not None
    deadline = time.monotonic() + STARTUP_SECONDS
    seen = []
    while time.monotonic() < deadline:
        line = stream.readline()
        if not line:
            break
        seen.append(line)
        match = re.search(r"open (http://127\.0\.0\.1:\d+/) in your browser", line)
        if match:
            return match[1]
    process.kill()
    raise AssertionError("the demo printed no address:\n" + "".join(seen))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_two_demos_run_at_once_and_each_stops_cleanly(tmp_path: Path) -> None:
    port = _free_port()
    first = _start(tmp_path, "--no-browser")
    second = _start(tmp_path, "--no-browser", "--port", str(port))
    try:
        urls = [_address(first), _address(second)]
        assert urls[1] == f"http://127.0.0.1:{port}/" and urls[0] != urls[1]
        assert len(list(tmp_path.glob("triage-demo-*/demo.db"))) == 2
        for url in urls:
            with urllib.request.urlopen(url, timeout=5) as response:
                assert response.status == 200
                assert b"Register with invite" in response.read()
        first.send_signal(signal.SIGINT)
        second.send_signal(signal.SIGTERM)
        outputs = [p.communicate(timeout=15)[0] for p in (first, second)]
    finally:
        for process in (first, second):
            if process.poll() is None:
                process.kill()
                process.wait()
    assert (first.returncode, second.returncode) == (0, 0), outputs
    for output in outputs:
        assert "Demo stopped" in output and "Traceback" not in output
    assert list(tmp_path.iterdir()) == []


def test_a_port_in_use_is_reported(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        process = _start(tmp_path, "--no-browser", "--port", str(port))
        output = process.communicate(timeout=STARTUP_SECONDS)[0]
    assert process.returncode == 1
    assert "cannot start" in output and "Traceback" not in output
    assert list(tmp_path.iterdir()) == []
