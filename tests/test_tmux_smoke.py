"""Smoke test of the installed ``coverage-tui`` binary in a real terminal (tmux):
launch, search, open, next hit, help, quit — reading the screen as a user would."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
BINARY = Path(sys.executable).parent / "coverage-tui"

pytestmark = [
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.skipif(not BINARY.exists(), reason=f"{BINARY} is not installed (pip install -e .)"),
]


class Tmux:
    def __init__(self, name: str):
        self.name = name

    def run(self, *args: str) -> str:
        return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True, timeout=10).stdout

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", self.name, *keys)

    def type(self, text: str) -> None:
        self.run("send-keys", "-t", self.name, "-l", text)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.name)

    def alive(self) -> bool:
        return subprocess.run(["tmux", "has-session", "-t", self.name], capture_output=True).returncode == 0

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared on screen:\n{self.screen()}")


@pytest.fixture
def tmux(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    name = f"covtui-{uuid.uuid4().hex[:8]}"
    cmd = f"{BINARY} {corpus} --index-dir {tmp_path / 'ix'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TMUX")}
    subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "160", "-y", "45", "-c", str(tmp_path), cmd],
                   check=True, env=env, timeout=10)
    t = Tmux(name)
    try:
        yield t
    finally:
        if t.alive():
            subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)


def test_binary_search_open_next_hit_help_quit(tmux):
    tmux.wait_for("5 of 5 articles", timeout=60)
    screen = tmux.screen()
    assert "Articles" in screen and "Reader" in screen and "Search" in screen
    tmux.keys("/")
    time.sleep(0.3)
    tmux.type("Soldaten")
    screen = tmux.wait_for("matching articles")
    assert "hits" in screen
    tmux.keys("Enter")
    time.sleep(0.3)
    tmux.keys("n")
    screen = tmux.wait_for("hit 1 of")
    assert "▶" in screen                       # the line of the current hit is marked
    tmux.keys("n")
    tmux.wait_for("hit 2 of")
    tmux.keys("Escape")                         # in the list: nothing to clear, no crash
    tmux.keys("?")
    tmux.wait_for("every binding")
    tmux.keys("Escape")
    time.sleep(0.3)
    tmux.keys("q")
    t0 = time.monotonic()
    while tmux.alive() and time.monotonic() - t0 < 10:
        time.sleep(0.1)
    assert not tmux.alive(), "q did not quit the app"
