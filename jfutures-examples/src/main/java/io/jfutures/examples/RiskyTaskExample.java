package io.jfutures.examples;

import io.jfutures.Futures;
import io.jfutures.TaskFailedException;
import io.jfutures.TaskFuture;
import io.jfutures.ThreadPool;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The article's exception handling: one of ten tasks fails, is reported, and the others carry on.
 *
 * <pre>{@code
 * for future in as_completed(futures):
 *     try:
 *         print(future.result())
 *     except Exception as e:
 *         print(f'Error: {e}')
 * }</pre>
 */
public final class RiskyTaskExample {
  private RiskyTaskExample() {}

  static int riskyTask(int x) {
    if (x == 5) {
      throw new IllegalArgumentException("Bad number!");
    }
    return x * 2;
  }

  public static void run(PrintStream out) {
    try (ThreadPool pool = ThreadPool.create(4)) {
      List<TaskFuture<Integer>> futures = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        int x = i;
        futures.add(pool.submit(() -> riskyTask(x)));
      }
      for (TaskFuture<Integer> future : Futures.asCompleted(futures)) {
        try {
          out.println(future.result());
        } catch (TaskFailedException e) {
          out.println("Error: " + e.getCause().getMessage());
        }
      }
    }
  }

  public static void main(String[] args) {
    run(System.out);
  }
}
