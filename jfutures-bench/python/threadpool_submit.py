"""Python's peer of SubmitCollectBenchmark: submit 100,000 trivial tasks to a
ThreadPoolExecutor of 2 workers, then collect every result. Prints tasks/s.

Run: python3 jfutures-bench/python/threadpool_submit.py
"""
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

TASKS = 100_000


def identity(x):
    return x


def main():
    rates = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        for _ in range(7):
            start = time.perf_counter()
            futures = [pool.submit(identity, i) for i in range(TASKS)]
            total = sum(f.result() for f in futures)
            elapsed = time.perf_counter() - start
            assert total == TASKS * (TASKS - 1) // 2
            rates.append(TASKS / elapsed)
    rates = rates[2:]  # warm-up
    print(f"python ThreadPoolExecutor(2) submit+collect: median {statistics.median(rates):,.0f} tasks/s "
          f"(min {min(rates):,.0f}, max {max(rates):,.0f}, {len(rates)} runs)")


if __name__ == "__main__":
    main()
