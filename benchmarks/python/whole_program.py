#!/usr/bin/env python3
"""The Python side of the suite's whole-program scenarios (see WholeProgram.java, the Java side).

The user's whole program: start the interpreter, Pool(2) with the given start method, `maps`
times pool.map(square, range(items)), close, exit. The suite times the process (wall, and CPU of
the whole process tree). Prints one line:
    create_ms=<ms> maps_s=<s>,<s>,... close_ms=<ms> [rss_parent_idle_kib=... rss_worker0_idle_kib=...]
Usage: whole_program.py <fork|forkserver|spawn> <maps> <items> [--rss]
"""
import multiprocessing
import os
import sys
import time


def square(x):
    return x * x


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def rss_report(pool, when):
    # Pool._pool is the list of worker Process objects (CPython 3.x); fine for a benchmark
    parts = [f"rss_parent_{when}_kib={rss_kib(os.getpid())}"]
    for i, p in enumerate(pool._pool):
        parts.append(f"rss_worker{i}_{when}_kib={rss_kib(p.pid)}")
    return " " + " ".join(parts)


def main():
    method, maps, items = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rss = len(sys.argv) > 4 and sys.argv[4] == "--rss"
    inputs = list(range(items))
    out = []
    t0 = time.perf_counter()
    with multiprocessing.get_context(method).Pool(2) as pool:
        # Pool() returns once its workers are forked (not necessarily running); a trivial call
        # would add a round trip, so create_ms is what Pool() costs the caller, as on the Java side
        out.append(f"create_ms={(time.perf_counter() - t0) * 1e3:.3f}")
        if rss:
            time.sleep(0.5)
            out.append(rss_report(pool, "idle"))
        times = []
        for _ in range(maps):
            s = time.perf_counter()
            squares = pool.map(square, inputs)
            times.append(time.perf_counter() - s)
            assert squares[-1] == (items - 1) ** 2
        out.append(" maps_s=" + ",".join(f"{t:.6f}" for t in times))
        if rss:
            out.append(rss_report(pool, "busy"))
        close_start = time.perf_counter()
    out.append(f" close_ms={(time.perf_counter() - close_start) * 1e3:.3f}")
    print("".join(out), flush=True)


if __name__ == "__main__":
    main()
