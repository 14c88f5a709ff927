#!/usr/bin/env python3
"""Alternating whole-program runs of several sides, for before/after comparisons of one change.

Usage: ab_whole_program.py ROUNDS MAPS name=command...
Each command gets "MAPS 100000" appended (WholeProgram and whole_program.py read them; TwoJvmFloor
and Hello ignore them) and runs as a fresh process, the sides alternating, after one untimed round
(AOT caches trained, files cached). Prints the medians of wall time, CPU of the process tree
(getrusage of the children), and, where the program reports them, create and first-map times in ms,
and the median rate of each map (M items/s) with the slowest map after the best, as % of the best.

Example (the jar of a commit before the change against the current one, and Python):
  J=$(bin/jdk25)/bin/java; M=io.github.multiproc.benchmarks.suite.WholeProgram
  benchmarks/python/ab_whole_program.py 9 1 "before=$J -cp /tmp/before.jar $M" \\
      "after=$J -cp benchmarks/target/benchmarks.jar $M" \\
      "python=$(python3 -c 'import sys; print(sys.executable)') benchmarks/python/whole_program.py fork"
Start Python as the interpreter itself: a version manager's python3 shim adds its own start-up.
"""
import os
import resource
import shlex
import statistics
import subprocess
import sys
import time


def main():
    rounds, maps = int(sys.argv[1]), sys.argv[2]
    sides = [a.split("=", 1) for a in sys.argv[3:]]
    results = {name: [] for name, _ in sides}
    curves = {name: [] for name, _ in sides}
    for r in range(rounds + 1):
        for name, command in sides:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.monotonic()
            out = subprocess.run(shlex.split(command) + [maps, "100000"], capture_output=True, text=True,
                                 check=True).stdout
            wall = (time.monotonic() - t0) * 1000
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
            fields = dict(kv.split("=", 1) for kv in out.split() if "=" in kv)
            create = float(fields["create_ms"]) if "create_ms" in fields else float("nan")
            first = float(fields["maps_s"].split(",")[0]) * 1000 if "maps_s" in fields else float("nan")
            if r > 0:
                results[name].append((wall, cpu, create, first))
                if "maps_s" in fields:
                    curves[name].append([100000 / float(s) / 1e6 for s in fields["maps_s"].split(",")])
    print(f"rounds={rounds} maps={maps} load after={os.getloadavg()[0]:.1f}")
    print(f"{'side':12} {'wall':>7} {'cpu':>7} {'create':>7} {'map 1':>7}")
    for name, rows in results.items():
        print(f"{name:12} " + " ".join(f"{statistics.median(column):7.0f}" for column in zip(*rows)))
    for name, runs in curves.items():
        if runs and len(runs[0]) > 1:
            per_map = " ".join(f"{statistics.median(m):.1f}" for m in zip(*runs))
            after_best = statistics.median(100 * min(run[run.index(max(run)):]) / max(run) for run in runs)
            print(f"{name}: M items/s per map (median of each map): {per_map}; "
                  f"slowest map after the best, % of the best (median of the runs): {after_best:.0f}")


if __name__ == "__main__":
    main()
