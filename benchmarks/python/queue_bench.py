#!/usr/bin/env python3
"""Python's multiprocessing.Queue between two processes: the peer of QueueBench.java.

Usage: queue_bench.py [runs=5] [messages=100000] [round_trips=10000] [message_bytes=16]

Prints one line per run and a final line
  median throughput=<messages/s> round_trip_us=<mean us> round_trip_p50_us=<median us>
Throughput: the parent puts `messages` bytes objects; a child process gets them all and
acknowledges on a second queue; timed from the first put to the acknowledgement.
Round trip: ping-pong of one message over two queues with an echoing child, mean and median per trip.
"""
import multiprocessing as mp
import statistics
import sys
import time


def sink(data, acks, count):
    acks.put(b"r")
    for _ in range(count):
        data.get()
    acks.put(b"a")


def echo(ping, pong, count):
    pong.put(b"r")
    for _ in range(count):
        pong.put(ping.get())


def throughput_run(messages, size):
    data, acks = mp.Queue(), mp.Queue()
    child = mp.Process(target=sink, args=(data, acks, messages))
    child.start()
    acks.get()
    message = bytes(size)
    start = time.perf_counter()
    for _ in range(messages):
        data.put(message)
    acks.get()
    elapsed = time.perf_counter() - start
    child.join()
    return messages / elapsed


def latency_run(round_trips, size):
    ping, pong = mp.Queue(), mp.Queue()
    child = mp.Process(target=echo, args=(ping, pong, round_trips))
    child.start()
    pong.get()
    message = bytes(size)
    trips = []
    clock = time.perf_counter
    start = clock()
    for _ in range(round_trips):
        t0 = clock()
        ping.put(message)
        pong.get()
        trips.append(clock() - t0)
    elapsed = clock() - start
    child.join()
    return elapsed / round_trips * 1e6, statistics.median(trips) * 1e6


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    messages = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    round_trips = int(sys.argv[3]) if len(sys.argv) > 3 else 10_000
    size = int(sys.argv[4]) if len(sys.argv) > 4 else 16
    throughput_run(messages // 4, size)  # warm-up
    throughputs, latencies, p50s = [], [], []
    for r in range(runs):
        throughputs.append(throughput_run(messages, size))
        mean, p50 = latency_run(round_trips, size)
        latencies.append(mean)
        p50s.append(p50)
        print(f"run {r}: throughput={throughputs[-1]:.0f} round_trip_us={mean:.2f} round_trip_p50_us={p50:.2f}",
              flush=True)
    print(f"median throughput={statistics.median(throughputs):.0f} "
          f"round_trip_us={statistics.median(latencies):.2f} "
          f"round_trip_p50_us={statistics.median(p50s):.2f}", flush=True)


if __name__ == "__main__":
    mp.set_start_method("fork")
    main()
