"""A stand-in for ``index.service._build_worker`` that dies after its first task,
for tests/test_index.py (the spawned child imports this module by name)."""
import os


def dying_worker(index_dir, opts, tasks, results, stop, wid):
    tasks.get()
    os._exit(3)
