"""Child process for tests/test_excerpts.py: saves excerpts in a loop until killed.

usage: excerpt_writer_child.py FILE SEED COUNTER_BASE [MAX_ADDS]

After every save that returned, it prints one line and flushes, so the parent
knows exactly what was *confirmed saved* before it sent SIGKILL:

    A <id> <counter>      an excerpt was added (note starts with "n<counter>")
    U <id> <counter>      an excerpt's note was set to "n<counter>..."

The module is loaded from its file path so this script does not depend on what
``index/__init__.py`` imports (keeps 100 process starts fast).
"""
from __future__ import annotations

import importlib.util
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("_excerpts_under_test", ROOT / "index" / "excerpts.py")
mod = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = mod
spec.loader.exec_module(mod)

TEXT = ("Die Behörden meldeten am 3. Oktober rund 12.000 Teilnehmer. "
        "Laut Polizei waren es eher acht Millionen Euro Schaden. Anzeige\n\n") * 20
PAD = "Notiz mit Umlauten äöüß „Zitat“ und [markup] " * 20  # ~1 KB per excerpt


def main() -> None:
    path, seed, base = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    max_adds = int(sys.argv[4]) if len(sys.argv) > 4 else 300
    if os.environ.get("EXCERPT_CHILD_UNSAFE") == "1":  # to check the test can fail
        def unsafe(p, data, **kw):
            with open(p, "wb") as f:
                for i in range(0, len(data), 4096):
                    f.write(data[i:i + 4096])
        mod.atomic_write_bytes = unsafe
    rnd = random.Random(seed)
    store = mod.ExcerptStore(path)
    ids = [e.id for e in store.load()]
    print("ready", flush=True)
    counter = base
    while True:
        counter += 1
        r = rnd.random()
        if len(ids) < max_adds and r < 0.7 or not ids:
            s = rnd.randrange(0, len(TEXT) - 40)
            ex = mod.make_excerpt("a.txt", "T", "O", "2024-10-03", None, TEXT, s,
                                  s + rnd.randrange(5, 40), note=f"n{counter} {PAD}",
                                  tags=[f"t{counter % 7}"], colour="green")
            store.add(ex)
            ids.append(ex.id)
            print(f"A {ex.id} {counter}", flush=True)
        else:
            i = rnd.choice(ids)
            store.update(i, note=f"n{counter} {PAD}", tags=[f"t{counter % 5}", "u"])
            print(f"U {i} {counter}", flush=True)


if __name__ == "__main__":
    main()
