#!/usr/bin/env python3
"""Python's multiprocessing.Pipe, measured the way PipeBenchmark measures multiproc's Pipe.

Prints one JSON object: per-run results and their medians for
  - rt_bytes_us:  round trip of a 64-byte message (send_bytes/recv_bytes), microseconds
  - rt_object_us: round trip of a 64-byte bytes object through pickle (send/recv), microseconds
  - mib_per_s:    one-way throughput of 1 MiB messages (send_bytes/recv_bytes), MiB/s

Usage: pipe_bench.py [runs] [round_trips_per_run] [mib_per_run]
"""
import json
import multiprocessing as mp
import statistics
import sys
import time


def peer(conn):
    while True:
        cmd = conn.recv()
        if cmd[0] == "echo-bytes":
            for _ in range(cmd[1]):
                conn.send_bytes(conn.recv_bytes())
        elif cmd[0] == "echo-objects":
            for _ in range(cmd[1]):
                conn.send(conn.recv())
        elif cmd[0] == "source":
            block = b"\x5a" * cmd[2]
            for _ in range(cmd[1]):
                conn.send_bytes(block)
        else:
            conn.close()
            return


def round_trips(conn, n, objects):
    msg = b"\x01" * 64
    conn.send(("echo-objects" if objects else "echo-bytes", n))
    start = time.perf_counter()
    if objects:
        for _ in range(n):
            conn.send(msg)
            conn.recv()
    else:
        for _ in range(n):
            conn.send_bytes(msg)
            conn.recv_bytes()
    return (time.perf_counter() - start) / n * 1e6


def throughput(conn, count, size):
    conn.send(("source", count, size))
    start = time.perf_counter()
    for _ in range(count):
        conn.recv_bytes()
    return count * size / (time.perf_counter() - start) / (1 << 20)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    rts = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    mib = int(sys.argv[3]) if len(sys.argv) > 3 else 512
    parent, child = mp.Pipe()
    p = mp.Process(target=peer, args=(child,))
    p.start()
    child.close()
    round_trips(parent, rts // 2, False)  # warm-up
    throughput(parent, 64, 1 << 20)
    out = {"rt_bytes_us": [], "rt_object_us": [], "mib_per_s": []}
    for _ in range(runs):
        out["rt_bytes_us"].append(round_trips(parent, rts, False))
        out["rt_object_us"].append(round_trips(parent, rts, True))
        out["mib_per_s"].append(throughput(parent, mib, 1 << 20))
    parent.send(("stop",))
    p.join()
    result = {k: {"runs": v, "median": statistics.median(v)} for k, v in out.items()}
    result["python"] = sys.version.split()[0]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
