package io.jfutures.base;

import io.jfutures.PoolInsights;
import io.jfutures.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The {@value PoolInsights#SLOWEST_TASKS} slowest tasks of a pool. A task is described only when it
 * is slower than the fastest one kept (the {@code floor}, read without a lock), so a run of
 * ordinary tasks costs one comparison each; the kept entries are guarded by this object's monitor,
 * and a task's {@code toString} runs before it is taken.
 */
public final class SlowestTasks {
  private record Entry(long nanos, String worker, String task) {}

  private final PriorityQueue<Entry> kept =
      new PriorityQueue<>(Comparator.comparingLong(Entry::nanos));
  private volatile long floor;

  /** Whether a task that ran {@code nanos} would be kept. */
  public boolean qualifies(long nanos) {
    return nanos > floor;
  }

  /** Keeps {@code task}, which ran {@code nanos} on {@code worker}, if it is among the slowest. */
  public void offer(long nanos, String worker, Task<?> task) {
    offer(nanos, worker, task, 1);
  }

  /**
   * Keeps a run of {@code tasks} tasks that ran back to back for {@code nanos} on {@code worker},
   * {@code last} the last of them (null if unknown), if it is among the slowest: a worker that
   * times short tasks in runs knows no more.
   */
  public void offer(long nanos, String worker, Task<?> last, int tasks) {
    if (!qualifies(nanos)) {
      return;
    }
    String text;
    if (last == null) {
      text = tasks == 1 ? "a task" : tasks + " tasks in a row";
    } else {
      text = tasks == 1 ? describe(last) : tasks + " tasks in a row, the last " + describe(last);
    }
    synchronized (this) {
      kept.add(new Entry(nanos, worker, text));
      if (kept.size() > PoolInsights.SLOWEST_TASKS) {
        kept.poll();
      }
      if (kept.size() == PoolInsights.SLOWEST_TASKS) {
        floor = kept.peek().nanos();
      }
    }
  }

  /** The kept tasks, slowest first. */
  public List<PoolInsights.SlowTask> snapshot() {
    List<Entry> entries;
    synchronized (this) {
      entries = new ArrayList<>(kept);
    }
    entries.sort(Comparator.comparingLong(Entry::nanos).reversed());
    List<PoolInsights.SlowTask> tasks = new ArrayList<>(entries.size());
    for (Entry entry : entries) {
      tasks.add(
          new PoolInsights.SlowTask(Duration.ofNanos(entry.nanos()), entry.worker(), entry.task()));
    }
    return tasks;
  }

  /**
   * A task's {@code toString}, cut short: a map chunk's as its size and function, a lambda's as the
   * class that wrote it (its own {@code toString} is a generated name and a hash). Tasks are named
   * so in insights and in flight recordings.
   */
  public static String describe(Task<?> task) {
    String text;
    try {
      text =
          task instanceof Chunk<?, ?> chunk
              ? "map chunk of " + chunk.inputs().length + " inputs: " + text(chunk.fn())
              : text(task);
    } catch (RuntimeException | LinkageError broken) {
      text = task.getClass().getName() + " (its toString threw " + broken + ")";
    }
    int max = PoolInsights.TASK_TEXT_LENGTH;
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  private static String text(Object code) {
    String name = code.getClass().getName();
    int lambda = name.indexOf("$$Lambda");
    return lambda > 0 ? "lambda in " + name.substring(0, lambda) : String.valueOf(code);
  }
}
