#!/usr/bin/env python3
"""Python's side of the process-pool benchmarks (run by ProcessPoolThroughputBenchmark).

Maps x -> x*x over N integers with multiprocessing.Pool.map and
concurrent.futures.ProcessPoolExecutor.map, each with its default chunking, on a pool started
once per API (start-up excluded, as on the Java side). Prints one line per measurement:
    <name> median_s=<seconds> items_per_s=<rate> runs=<k>
Usage: pool_bench.py <workers> <items> <runs>
"""
import multiprocessing
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor


def square(x):
    return x * x


def measure(name, fn, runs):
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    return name, med


def main():
    workers, n, runs = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    data = list(range(n))
    expected = [x * x for x in data]
    results = []
    with multiprocessing.Pool(workers) as pool:
        def pool_map():
            assert pool.map(square, data) == expected
        results.append(measure("python_pool_map", pool_map, runs))
    with ProcessPoolExecutor(workers) as ex:
        def executor_map():
            assert list(ex.map(square, data)) == expected
        results.append(measure("python_executor_map", executor_map, min(3, max(1, runs // 2))))  # ~16 s each here
    for name, med in results:
        print(f"{name} median_s={med:.6f} items_per_s={n / med:.0f} runs={runs}", flush=True)


if __name__ == "__main__":
    main()
