package io.jfutures;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Where a pool's time went, as a snapshot: for each worker (a thread, a worker process or a cluster
 * member) its start-up, the tasks it did and how its time split between work, waiting and idleness,
 * its memory where known and how often it was replaced; and the slowest tasks. {@link #toString()}
 * renders it as a table with a one-line verdict, such as whether more workers would help.
 *
 * <p>Times are as the pool sees them. A worker's <em>busy</em> time runs from when it began a task
 * to when its answer arrived, so for a worker process or a member it includes carrying the answer
 * back. <em>Waiting</em> is dispatch overhead: time a worker had nothing to run while a task waited
 * for it (a round trip to a process or member; never for threads, which take their next task from
 * the queue themselves). <em>Idle</em> is the rest of its life after start-up: no work was there. A
 * member with several worker threads counts each thread's time. A map chunk counts as its inputs in
 * {@link Worker#tasksDone} and as one task among the slowest.
 *
 * <p>Collecting this costs a clock read per task at most, done where the pool already works; the
 * snapshot is taken when asked for, and its totals may be a task apart from each other.
 *
 * @param pool the pool's name
 * @param elapsed how long the pool has existed
 * @param workers one entry per place a worker runs, with its replacements: a worker that was
 *     replaced and its replacement share an entry
 * @param slowestTasks the slowest tasks so far, slowest first
 */
public record PoolInsights(
    String pool, Duration elapsed, List<Worker> workers, List<SlowTask> slowestTasks) {
  /** How many of the slowest tasks a pool keeps. */
  public static final int SLOWEST_TASKS = 10;

  /** How much of a task's {@code toString} a {@link SlowTask} keeps. */
  public static final int TASK_TEXT_LENGTH = 80;

  public PoolInsights {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(elapsed, "elapsed");
    workers = List.copyOf(workers);
    slowestTasks = List.copyOf(slowestTasks);
  }

  /**
   * One worker's times; for a place whose worker was replaced, the sums over each worker that held
   * it.
   *
   * @param name the worker's name now: a thread's, a worker process's, or a member's address
   * @param threads how many tasks it runs at once: 1, or a member's worker threads
   * @param startup how long it took to start, summed over its replacements
   * @param tasksDone the tasks it answered
   * @param busy time spent running tasks
   * @param waiting time with nothing to run while tasks waited for dispatch
   * @param idle time with nothing to run and no task waiting
   * @param residentMemory the worker process's resident memory in bytes, where known
   * @param restarts how many times a new worker took this place
   */
  public record Worker(
      String name,
      int threads,
      Duration startup,
      long tasksDone,
      Duration busy,
      Duration waiting,
      Duration idle,
      OptionalLong residentMemory,
      int restarts) {
    public Worker {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(startup, "startup");
      Objects.requireNonNull(busy, "busy");
      Objects.requireNonNull(waiting, "waiting");
      Objects.requireNonNull(idle, "idle");
      Objects.requireNonNull(residentMemory, "residentMemory");
    }
  }

  /**
   * One of the slowest tasks.
   *
   * @param duration how long it ran, as the pool saw it
   * @param worker the worker that ran it
   * @param task its {@code toString}, cut to {@value #TASK_TEXT_LENGTH} characters
   */
  public record SlowTask(Duration duration, String worker, String task) {
    public SlowTask {
      Objects.requireNonNull(duration, "duration");
      Objects.requireNonNull(worker, "worker");
      Objects.requireNonNull(task, "task");
    }
  }

  /** Start-up time, summed over the workers. */
  public Duration startup() {
    return sum(Worker::startup);
  }

  /** Time spent running tasks, summed over the workers. */
  public Duration busy() {
    return sum(Worker::busy);
  }

  /** Dispatch overhead: time workers sat with nothing while tasks waited, summed. */
  public Duration waiting() {
    return sum(Worker::waiting);
  }

  /** Time workers had no work, summed. */
  public Duration idle() {
    return sum(Worker::idle);
  }

  private Duration sum(java.util.function.Function<Worker, Duration> part) {
    Duration total = Duration.ZERO;
    for (Worker worker : workers) {
      total = total.plus(part.apply(worker));
    }
    return total;
  }

  /**
   * The verdict of a glance: whether the workers were short of work, short in number, or slowed by
   * dispatch or start-up.
   */
  public String verdict() {
    long start = startup().toNanos();
    long busy = busy().toNanos();
    long waiting = waiting().toNanos();
    long idle = idle().toNanos();
    long all = start + busy + waiting + idle;
    if (workers.isEmpty() || all == 0) {
      return "no worker has started yet";
    }
    if (busy + waiting > 0.9 * all && waiting < 0.1 * all) {
      return "the workers were busy almost all the time: more workers would help, if the machine"
          + " has the cores";
    }
    if (waiting >= 0.1 * all) {
      return "workers waited for tasks "
          + percent(waiting, all)
          + " of the time: the dispatch cost is high beside the tasks; larger tasks or chunks"
          + " would help";
    }
    if (start >= 0.25 * all) {
      return "start-up took "
          + percent(start, all)
          + " of the time: a longer-lived pool, or fewer workers, would help";
    }
    if (idle >= 0.25 * all) {
      return "workers were idle "
          + percent(idle, all)
          + " of the time: the work ran out, so more workers would not help";
    }
    return "the workers were well used";
  }

  /** A table of the workers, the split of their time, the slowest tasks and the verdict. */
  @Override
  public String toString() {
    long start = startup().toNanos();
    long busy = busy().toNanos();
    long waiting = waiting().toNanos();
    long idle = idle().toNanos();
    long all = Math.max(1, start + busy + waiting + idle);
    StringBuilder s = new StringBuilder();
    s.append(pool)
        .append(": ")
        .append(workers.size())
        .append(workers.size() == 1 ? " worker" : " workers")
        .append(" over ")
        .append(seconds(elapsed.toNanos()))
        .append("; their time: work ")
        .append(percent(busy, all))
        .append(", dispatch ")
        .append(percent(waiting, all))
        .append(", start-up ")
        .append(percent(start, all))
        .append(", idle ")
        .append(percent(idle, all))
        .append(System.lineSeparator());
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "worker", "start-up", "tasks", "busy", "waiting", "idle", "memory", "restarts"
        });
    List<Worker> shown = new ArrayList<>(workers);
    int hidden = 0;
    if (shown.size() > 20) {
      shown.sort(Comparator.comparing(Worker::busy).reversed());
      hidden = shown.size() - 20;
      shown = shown.subList(0, 20);
    }
    for (Worker worker : shown) {
      rows.add(
          new String[] {
            worker.threads() == 1 ? worker.name() : worker.name() + " ×" + worker.threads(),
            seconds(worker.startup().toNanos()),
            String.format("%,d", worker.tasksDone()),
            seconds(worker.busy().toNanos()),
            seconds(worker.waiting().toNanos()),
            seconds(worker.idle().toNanos()),
            worker.residentMemory().isPresent()
                ? (worker.residentMemory().getAsLong() >> 20) + " MiB"
                : "-",
            Integer.toString(worker.restarts())
          });
    }
    table(s, rows, true, false, false, false, false, false, false, false);
    if (hidden > 0) {
      s.append("  ... and ").append(hidden).append(" more").append(System.lineSeparator());
    }
    if (!slowestTasks.isEmpty()) {
      s.append("slowest tasks:").append(System.lineSeparator());
      List<String[]> slow = new ArrayList<>();
      for (SlowTask task : slowestTasks) {
        slow.add(new String[] {seconds(task.duration().toNanos()), task.worker(), task.task()});
      }
      table(s, slow, false, true, true);
    }
    s.append(verdict());
    return s.toString();
  }

  /** Appends {@code rows} as columns; those marked in {@code left} align left, others right. */
  private static void table(StringBuilder s, List<String[]> rows, boolean... left) {
    int[] widths = new int[left.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder(" ");
      for (int i = 0; i < row.length; i++) {
        String pad = " ".repeat(widths[i] - row[i].length());
        line.append(' ').append(left[i] ? row[i] + pad : pad + row[i]).append(' ');
      }
      s.append(line.toString().stripTrailing()).append(System.lineSeparator());
    }
  }

  private static String seconds(long nanos) {
    if (nanos < 10_000_000L) {
      return String.format("%.2f ms", nanos / 1e6);
    }
    return String.format("%.2f s", nanos / 1e9);
  }

  private static String percent(long part, long all) {
    return Math.round(100.0 * part / all) + "%";
  }
}
