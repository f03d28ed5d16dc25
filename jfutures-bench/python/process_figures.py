"""Python's peer of ProcessPoolFigures: the same five measurements with
concurrent.futures.ProcessPoolExecutor (default start method, 2 workers).

The article's map(square) with chunksize=1 takes about 17 minutes here and is
not re-run; chunksize=10,000 is measured instead.

Run: python3 jfutures-bench/python/process_figures.py
"""
import math
import statistics
import time
from concurrent.futures import ProcessPoolExecutor


def one():
    return 1


def identity(x):
    return x


def square(n):
    return n * n


def burn(seed):
    x = float(seed)
    for i in range(600_000):
        x = math.sqrt(x + i) * 1.0000001
    return x


def main():
    cold = []
    for _ in range(5):
        t0 = time.perf_counter()
        with ProcessPoolExecutor(max_workers=2) as pool:
            pool.submit(one).result()
            cold.append((time.perf_counter() - t0) * 1e3)
    print(f"cold pool to first result: median {statistics.median(cold):.1f} ms")

    with ProcessPoolExecutor(max_workers=2) as pool:
        for _ in range(500):
            pool.submit(one).result()
        trips = []
        for _ in range(2000):
            t = time.perf_counter()
            pool.submit(one).result()
            trips.append((time.perf_counter() - t) * 1e6)
        print(f"round trip of one trivial task: median {statistics.median(trips):.1f} us")
        rates = []
        for _ in range(3):
            t = time.perf_counter()
            futures = [pool.submit(identity, i) for i in range(20_000)]
            for f in futures:
                f.result()
            rates.append(20_000 / (time.perf_counter() - t))
        print(f"20,000 tasks submitted then collected: median {statistics.median(rates):,.0f} tasks/s")

    numbers = list(range(10_000_000))
    t = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(square, numbers, chunksize=10_000))
    assert len(results) == len(numbers)
    print(f"map(square) over 10,000,000 ints, chunksize=10,000, pool start included: {time.perf_counter() - t:.2f} s")

    times = {}
    for workers in (1, 2):
        with ProcessPoolExecutor(max_workers=workers) as pool:
            list(pool.map(burn, [1, 2]))
            t = time.perf_counter()
            list(pool.map(burn, range(40)))
            times[workers] = time.perf_counter() - t
    print(f"CPU-bound, 40 tasks: 1 worker {times[1]:.2f} s, 2 workers {times[2]:.2f} s, speed-up {times[1] / times[2]:.2f}x")


if __name__ == "__main__":
    main()
