#!/usr/bin/env python3
"""The Python side of multiproc's side-by-side benchmark suite (bin/bench).

Reads one command per line on stdin and answers each with one JSON line on stdout:
{"value": <number>} or {"error": "<text>"}. Every command is one repetition of one scenario,
measured the same way as the Java side (see io.github.multiproc.benchmarks.suite.Scenarios).
Uses only the standard library: multiprocessing, concurrent.futures, threading.
"""
import json
import multiprocessing
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor


def square(x):
    return x * x


def cpu_task(n):
    total = 0
    for i in range(n):
        total += i ^ (total >> 7)
    return total


def pool_map(workers, items, warmups, timed):
    inputs = list(range(items))
    with multiprocessing.Pool(workers) as pool:
        for _ in range(warmups):
            pool.map(square, inputs)
        times = []
        for _ in range(timed):
            t0 = time.perf_counter()
            out = pool.map(square, inputs)
            times.append(time.perf_counter() - t0)
        assert out[-1] == (items - 1) ** 2
    return items / statistics.median(times)


def pool_start(workers):
    t0 = time.perf_counter()
    with multiprocessing.Pool(workers) as pool:
        pool.map(square, [1])
        elapsed = time.perf_counter() - t0
    return elapsed * 1e3


def cpu_speedup(workers, jobs, iterations):
    t0 = time.perf_counter()
    serial = [cpu_task(iterations) for _ in range(jobs)]
    serial_s = time.perf_counter() - t0
    with multiprocessing.Pool(workers) as pool:
        pool.map(square, [1])  # started before timing, as on the Java side
        t0 = time.perf_counter()
        parallel = pool.map(cpu_task, [iterations] * jobs, chunksize=1)
        parallel_s = time.perf_counter() - t0
    assert serial == parallel
    return serial_s / parallel_s


def thread_speedup(workers, jobs, iterations):
    t0 = time.perf_counter()
    serial = [cpu_task(iterations) for _ in range(jobs)]
    serial_s = time.perf_counter() - t0
    with ThreadPoolExecutor(workers) as pool:
        t0 = time.perf_counter()
        parallel = list(pool.map(cpu_task, [iterations] * jobs))
        parallel_s = time.perf_counter() - t0
    assert serial == parallel
    return serial_s / parallel_s


def _echo(conn, rounds):
    for _ in range(rounds):
        conn.send_bytes(conn.recv_bytes())


def _median_round_trip_us(round_trip, rounds, warm_up=100):
    """Runs round_trip() warm_up times, then times each of `rounds` more; the median in µs."""
    for _ in range(warm_up):
        round_trip()
    trips = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        round_trip()
        trips.append(time.perf_counter() - t0)
    return statistics.median(trips) * 1e6


def pipe_round_trip(rounds, size):
    parent, child = multiprocessing.Pipe()
    p = multiprocessing.Process(target=_echo, args=(child, rounds + 100))
    p.start()
    message = b"x" * size
    median_us = _median_round_trip_us(lambda: (parent.send_bytes(message), parent.recv_bytes()), rounds)
    p.join()
    return median_us


def _sink(conn, count):
    for _ in range(count):
        conn.recv_bytes()
    conn.send_bytes(b"done")


def pipe_throughput(mib, size):
    parent, child = multiprocessing.Pipe()
    count = mib * (1 << 20) // size
    p = multiprocessing.Process(target=_sink, args=(child, count))
    p.start()
    message = b"x" * size
    t0 = time.perf_counter()
    for _ in range(count):
        parent.send_bytes(message)
    parent.recv_bytes()
    elapsed = time.perf_counter() - t0
    p.join()
    return count * size / elapsed / 1e9


def _queue_sink(q, done, count):
    for _ in range(count):
        q.get()
    done.put(b"done")


def queue_throughput(messages, size):
    q, done = multiprocessing.Queue(), multiprocessing.Queue()
    p = multiprocessing.Process(target=_queue_sink, args=(q, done, messages))
    p.start()
    message = b"x" * size
    t0 = time.perf_counter()
    for _ in range(messages):
        q.put(message)
    done.get()
    elapsed = time.perf_counter() - t0
    p.join()
    return messages / elapsed


def _queue_echo(ping, pong, count):
    for _ in range(count):
        pong.put(ping.get())


def queue_round_trip(rounds, size):
    ping, pong = multiprocessing.Queue(), multiprocessing.Queue()
    p = multiprocessing.Process(target=_queue_echo, args=(ping, pong, rounds + 100))
    p.start()
    message = b"x" * size
    median_us = _median_round_trip_us(lambda: (ping.put(message), pong.get()), rounds)
    p.join()
    return median_us


def _dict_ops(d, op, ops):
    if op == "set":
        for i in range(ops):
            d["k%d" % (i % 1000)] = i
    elif op == "get":
        total = 0
        for i in range(ops):
            total += d.get("k%d" % (i % 1000))
    else:  # "update": 100 keys per round trip
        for i in range(0, ops, 100):
            d.update({"k%d" % (j % 1000): j for j in range(i, i + 100)})


def _dict_worker(d, op, ops, results):
    _dict_ops(d, op, 1000)  # warm-up, as the Java side's
    t0 = time.perf_counter()
    _dict_ops(d, op, ops)
    results.put(ops / (time.perf_counter() - t0))


def manager_dict(op, ops):
    """Operations per second on a Manager().dict() from a worker process (op: set, get, update)."""
    with multiprocessing.Manager() as manager:
        d = manager.dict({"k%d" % i: i for i in range(1000)})
        results = multiprocessing.Queue()
        p = multiprocessing.Process(target=_dict_worker, args=(d, op, ops, results))
        p.start()
        value = results.get()
        p.join()
    return value


def ident(b):
    return b


def big_round_trip(size, rounds):
    """One bytes object of `size` bytes to a worker and back through Pool.map; median ms of `rounds`."""
    data = bytes(range(256)) * (size // 256) + bytes(size % 256)
    with multiprocessing.Pool(1) as pool:
        pool.map(ident, [b"x"])  # started and warm, as on the Java side
        times = []
        for _ in range(rounds):
            t0 = time.perf_counter()
            out = pool.map(ident, [data])
            times.append(time.perf_counter() - t0)
        assert out[0] == data
    return statistics.median(times) * 1e3


COMMANDS = {
    "big_round_trip": big_round_trip,
    "pool_map": pool_map,
    "pool_start": pool_start,
    "cpu_speedup": cpu_speedup,
    "thread_speedup": thread_speedup,
    "pipe_round_trip": pipe_round_trip,
    "pipe_throughput": pipe_throughput,
    "queue_throughput": queue_throughput,
    "queue_round_trip": queue_round_trip,
    "manager_dict": manager_dict,
}


def main():
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        try:
            value = COMMANDS[words[0]](*[w if w.isalpha() else int(w) for w in words[1:]])
            print(json.dumps({"value": value}), flush=True)
        except Exception as e:  # reported to the Java side, which stops the suite
            print(json.dumps({"error": f"{type(e).__name__}: {e}"}), flush=True)


if __name__ == "__main__":
    main()
