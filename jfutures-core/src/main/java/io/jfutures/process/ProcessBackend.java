package io.jfutures.process;

import io.jfutures.Action;
import io.jfutures.BrokenPoolException;
import io.jfutures.TaskTimeoutException;
import io.jfutures.WorkerCrashedException;
import io.jfutures.base.Backend;
import io.jfutures.base.Execution;
import io.jfutures.codec.Codec;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs tasks in worker JVMs. Every task is encoded on the submitting thread, so a task that cannot
 * be serialized fails its own future and nothing else; the bytes then wait in {@code pending} until
 * a worker has room.
 *
 * <p><b>Dispatch.</b> All scheduling state ({@code pending}, the workers, their loads) is guarded
 * by {@code lock}; frames are written outside it, under each worker's own write lock, in the same
 * order as the worker's {@code inFlight} queue. A worker runs its frames in order, so the head of
 * {@code inFlight} is always the task it is running, and the rest have not started. Until the first
 * answer tells what a task costs, a worker holds one task at a time, so that the first tasks of a
 * new pool spread over the workers as they come up instead of queuing behind a slow first one on
 * the worker that was ready first. Then a worker holds two tasks while tasks are slow, so that it
 * starts the next without waiting for a round trip (as CPython's call queue does), and up to
 * {@value #MAX_DEPTH} once they prove short (under {@value #BATCH_BELOW_NANOS} ns on average), so
 * that a run of tiny tasks is not paid for in round trips. Workers start on demand, up to {@code
 * maxWorkers}; an idle one is used before a new one starts.
 *
 * <p><b>Ends.</b> A worker's reader thread completes the futures of its answers and notices its
 * death. Then the head of its {@code inFlight} failed (with {@link TaskTimeoutException} if the
 * pool killed it for running too long, with {@link WorkerCrashedException} naming the exit code or
 * signal otherwise, unless it has retries left, in which case it goes back to the front of {@code
 * pending}), and the tasks behind it, which never started, go back to the front of {@code pending}
 * untouched. {@code cancel(true)} of a running task kills its worker; of a task not yet started
 * there, tells the worker to skip it. The pool decides to kill under {@code lock} but signals
 * after, so the task it killed for may finish first and the next one be hit as it begins: that one
 * goes back to the front of {@code pending} too, as if it had not started. A worker that cannot
 * start before any ever did, or three in a row, breaks the pool instead of being restarted forever.
 */
public final class ProcessBackend implements Backend {
  static final long BATCH_BELOW_NANOS = 200_000;
  static final int MAX_DEPTH = 16;

  /**
   * Answers are decoded before the next is read, so each worker's reader reads them into one array,
   * kept while it is at most this big: a map's chunks then cost the parent no garbage on the wire,
   * and one huge result is not held on to.
   */
  private static final int SPARE_PAYLOAD_LIMIT = 1 << 22;

  /** How this pool's workers are made and what they may do. */
  public record Settings(
      String poolName,
      int maxWorkers,
      int maxTasksPerWorker,
      Duration taskTimeout,
      int retries,
      List<String> jvmOptions,
      Action initializer) {}

  private final Settings settings;
  private final byte[] initFrame;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition allExited = lock.newCondition();
  private final ArrayDeque<Job> pending = new ArrayDeque<>();
  private final List<Worker> workers = new ArrayList<>();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong started = new AtomicLong();
  private final AtomicLong crashed = new AtomicLong();
  private int nextWorkerNumber;
  private boolean shutdown;
  private boolean anyReady;
  private int failedStartsInARow;
  private double averageTaskNanos = Double.NaN;
  private volatile BrokenPoolException broken;
  private Thread watchdog;

  public ProcessBackend(Settings settings) {
    this.settings = settings;
    try {
      this.initFrame = Codec.encode(settings.initializer());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "the initializer cannot be sent to a worker: " + e.getMessage(), e);
    }
  }

  /** A task on its way through the pool: its future, its bytes, and where it is. */
  final class Job implements Execution.Stopper {
    final long id;
    final Execution<?> execution;
    final byte[] payload;
    int attempts;
    boolean begun;
    Worker worker;
    long startedAt;

    Job(long id, Execution<?> execution, byte[] payload) {
      this.id = id;
      this.execution = execution;
      this.payload = payload;
    }

    @Override
    public void stop(Execution<?> cancelled) {
      Worker w;
      lock.lock();
      try {
        w = worker;
      } finally {
        lock.unlock();
      }
      if (w != null) {
        w.stop(this);
      }
    }
  }

  @Override
  public void execute(Execution<?> execution) {
    byte[] payload;
    try {
      payload = Codec.encode(execution.task());
    } catch (IOException e) {
      execution.completeExceptionally(e);
      return;
    }
    Job job = new Job(ids.incrementAndGet(), execution, payload);
    List<Runnable> actions;
    lock.lock();
    try {
      pending.addLast(job);
      actions = dispatchLocked();
    } finally {
      lock.unlock();
    }
    actions.forEach(Runnable::run);
  }

  /**
   * Hands pending jobs to workers with room and starts workers where none has; returns the writes
   * and starts to perform once the lock is released.
   */
  private List<Runnable> dispatchLocked() {
    List<Runnable> actions = new ArrayList<>(2);
    int depth =
        Double.isNaN(averageTaskNanos) ? 1 : averageTaskNanos < BATCH_BELOW_NANOS ? MAX_DEPTH : 2;
    while (!pending.isEmpty()) {
      Worker target = null;
      for (Worker w : workers) {
        if (w.ready && !w.retiring && w.load < depth && w.room() > 0) {
          if (target == null || w.load < target.load) {
            target = w;
          }
        }
      }
      if (target == null) {
        int starting = 0;
        for (Worker w : workers) {
          starting += w.ready ? 0 : 1;
        }
        if (workers.size() < settings.maxWorkers() && starting < pending.size() && broken == null) {
          Worker w = new Worker(nextWorkerNumber++);
          workers.add(w);
          actions.add(w::start);
          continue;
        }
        break;
      }
      int n = Math.min(Math.min(depth - target.load, target.room()), pending.size());
      List<Job> batch = new ArrayList<>(n);
      while (batch.size() < n && !pending.isEmpty()) {
        Job job = pending.pollFirst();
        if (job.execution.isDone()) {
          continue;
        }
        if (!job.begun) {
          if (!job.execution.begin(job)) {
            continue;
          }
          job.begun = true;
        }
        job.worker = target;
        batch.add(job);
      }
      if (batch.isEmpty()) {
        continue;
      }
      target.load += batch.size();
      target.sent += batch.size();
      Worker w = target;
      actions.add(() -> w.send(batch));
    }
    for (Worker w : workers) {
      if (w.ready
          && !w.retiring
          && w.load == 0
          && (w.room() == 0 || shutdown && pending.isEmpty())) {
        w.retiring = true;
        actions.add(w::retire);
      }
    }
    return actions;
  }

  @Override
  public boolean withdraw(Execution<?> execution) {
    lock.lock();
    try {
      return pending.removeIf(job -> job.execution == execution && !job.begun);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void shutdown() {
    List<Runnable> actions;
    lock.lock();
    try {
      shutdown = true;
      actions = dispatchLocked();
    } finally {
      lock.unlock();
    }
    actions.forEach(Runnable::run);
  }

  @Override
  public void cancelPending() {
    List<Job> drained = new ArrayList<>();
    lock.lock();
    try {
      for (Iterator<Job> it = pending.iterator(); it.hasNext(); ) {
        Job job = it.next();
        if (!job.begun) {
          it.remove();
          drained.add(job);
        }
      }
    } finally {
      lock.unlock();
    }
    for (Job job : drained) {
      job.execution.cancel(false);
    }
  }

  @Override
  public void awaitTermination() throws InterruptedException {
    lock.lock();
    try {
      while (!workers.isEmpty() || !pending.isEmpty() && broken == null) {
        allExited.await();
      }
    } finally {
      lock.unlock();
    }
    Thread dog = watchdog;
    if (dog != null) {
      dog.interrupt();
    }
  }

  @Override
  public RuntimeException brokenCause() {
    return broken;
  }

  @Override
  public int maxWorkers() {
    return settings.maxWorkers();
  }

  @Override
  public long workersStarted() {
    return started.get();
  }

  @Override
  public long workersCrashed() {
    return crashed.get();
  }

  /** A chunk crosses two pipes and two codecs: 5 ms keeps that under a few percent. */
  @Override
  public long chunkTargetNanos() {
    return 5_000_000;
  }

  @Override
  public int defaultBufferSize() {
    return Math.max(4, 4 * settings.maxWorkers());
  }

  /** Fails every waiting task with {@code cause}; later submits fail with it too. */
  private List<Job> breakLocked(BrokenPoolException cause) {
    if (broken == null) {
      broken = cause;
    }
    List<Job> failed = new ArrayList<>(pending);
    pending.clear();
    allExited.signalAll();
    return failed;
  }

  private void startWatchdogLocked() {
    if (settings.taskTimeout() == null || watchdog != null) {
      return;
    }
    long timeoutNanos = settings.taskTimeout().toNanos();
    long period = Math.max(1_000_000, Math.min(50_000_000, timeoutNanos / 10));
    watchdog =
        Thread.ofPlatform()
            .daemon(true)
            .name(settings.poolName() + "-watchdog")
            .start(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    try {
                      TimeUnit.NANOSECONDS.sleep(period);
                    } catch (InterruptedException e) {
                      return;
                    }
                    long now = System.nanoTime();
                    List<Worker> overdue = new ArrayList<>();
                    lock.lock();
                    try {
                      for (Worker w : workers) {
                        Job head = w.inFlight.peekFirst();
                        if (head != null
                            && head.startedAt != 0
                            && now - head.startedAt > timeoutNanos
                            && w.killedFor == null) {
                          w.killedFor = head;
                          w.killReason = Worker.TIMEOUT;
                          overdue.add(w);
                        }
                      }
                    } finally {
                      lock.unlock();
                    }
                    for (Worker w : overdue) {
                      w.process.destroyForcibly();
                    }
                  }
                });
  }

  /** The pool's side of one worker process. */
  final class Worker {
    static final int TIMEOUT = 1;
    static final int CANCELLED = 2;

    final int number;
    final String name;
    final ConcurrentLinkedDeque<Job> inFlight = new ConcurrentLinkedDeque<>();
    final ReentrantLock writeLock = new ReentrantLock();
    final ArrayDeque<String> stderrTail = new ArrayDeque<>();
    volatile Process process;
    WorkerCommand.Launch launch;
    DataOutputStream out;
    Thread stderrPump;

    // guarded by ProcessBackend.lock
    boolean ready;
    boolean retiring;
    int load;
    int sent;
    Job killedFor;
    int killReason;

    Worker(int number) {
      this.number = number;
      this.name = settings.poolName() + "-worker-" + number;
    }

    /** How many more tasks this worker may be sent under maxTasksPerWorker. */
    int room() {
      int max = settings.maxTasksPerWorker();
      return max <= 0 ? Integer.MAX_VALUE : max - sent;
    }

    void start() {
      launch = WorkerCommand.build(settings.jvmOptions());
      try {
        process = new ProcessBuilder(launch.command()).start();
      } catch (IOException | RuntimeException e) {
        died(-1, "the worker process could not be started: " + e);
        return;
      }
      started.incrementAndGet();
      out = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 1 << 16));
      stderrPump = Thread.ofPlatform().daemon(true).name(name + "-stderr").start(this::pumpStderr);
      Thread.ofPlatform().daemon(true).name(name + "-reader").start(this::readAnswers);
      writeLock.lock();
      try {
        Wire.write(out, Wire.INIT, number, initFrame, initFrame.length);
        out.flush();
      } catch (IOException gone) {
        // the reader sees the death and reports it
      } finally {
        writeLock.unlock();
      }
    }

    void send(List<Job> batch) {
      writeLock.lock();
      try {
        for (Job job : batch) {
          inFlight.addLast(job);
          if (inFlight.peekFirst() == job) {
            job.startedAt = System.nanoTime();
          }
          Wire.write(out, Wire.TASK, job.id, job.payload, job.payload.length);
        }
        out.flush();
      } catch (IOException gone) {
        // the reader sees the death and puts the jobs back or fails them
      } finally {
        writeLock.unlock();
      }
    }

    /** No more tasks: closing stdin lets the worker finish and exit. */
    void retire() {
      writeLock.lock();
      try {
        out.close();
      } catch (IOException alreadyGone) {
        // nothing to close
      } finally {
        writeLock.unlock();
      }
    }

    /** cancel(true): kill the worker if the task is running, else ask the worker to skip it. */
    void stop(Job job) {
      boolean running;
      lock.lock();
      try {
        running = inFlight.peekFirst() == job;
        if (running && killedFor == null) {
          killedFor = job;
          killReason = CANCELLED;
        }
      } finally {
        lock.unlock();
      }
      if (running) {
        process.destroyForcibly();
        return;
      }
      writeLock.lock();
      try {
        Wire.write(out, Wire.SKIP, job.id, initFrame, 0);
        out.flush();
      } catch (IOException gone) {
        // a dead worker skips everything
      } finally {
        writeLock.unlock();
      }
    }

    private void pumpStderr() {
      try (BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          if (!WorkerCommand.isTrainingReport(launch.sharing(), line)) {
            System.err.println("[" + name + "] " + line);
          }
          synchronized (stderrTail) {
            stderrTail.addLast(line);
            if (stderrTail.size() > 20) {
              stderrTail.removeFirst();
            }
          }
        }
      } catch (IOException closed) {
        // the process is gone
      }
    }

    private void readAnswers() {
      Wire.Input answers = new Wire.Input(process.getInputStream());
      DataInputStream in = new DataInputStream(answers);
      try {
        Wire.Frame first = Wire.readFirst(in, line -> System.err.println("[" + name + "] " + line));
        byte[] spare = first.payload();
        while (true) {
          Wire.Frame frame = first != null ? first : Wire.read(in, spare);
          first = null;
          if (frame.length() <= SPARE_PAYLOAD_LIMIT) {
            spare = frame.payload();
          }
          switch (frame.kind()) {
            case Wire.READY -> becameReady();
            case Wire.INIT_FAILED -> initializerFailed(frame);
            case Wire.RESULT, Wire.FAILURE, Wire.SKIPPED -> answered(frame, answers.buffered() > 0);
            default -> throw new IOException("unknown frame kind " + frame.kind());
          }
        }
      } catch (IOException | RuntimeException | OutOfMemoryError endOfWorker) {
        String stray = null;
        if (endOfWorker instanceof Wire.StrayOutputException e) {
          // A crashing JVM prints its report on stdout: let it finish dying, to learn the signal.
          stray = e.getMessage();
          try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
              process.destroyForcibly();
            }
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
          }
        }
        int exit;
        try {
          process.getOutputStream().close();
        } catch (IOException ignored) {
          // closing is best effort
        }
        try {
          if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
          }
          exit = process.waitFor();
          stderrPump.join(1_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          exit = -1;
        }
        died(
            exit,
            stray == null ? describe(exit) : describe(exit) + "; it wrote to its stdout " + stray);
      }
    }

    private void becameReady() {
      List<Runnable> actions;
      lock.lock();
      try {
        ready = true;
        anyReady = true;
        failedStartsInARow = 0;
        startWatchdogLocked();
        actions = dispatchLocked();
      } finally {
        lock.unlock();
      }
      actions.forEach(Runnable::run);
    }

    private void initializerFailed(Wire.Frame frame) throws IOException {
      Throwable cause;
      try {
        cause = (Throwable) Codec.decode(frame.payload(), 0, frame.length());
      } catch (ClassNotFoundException e) {
        cause = e;
      }
      List<Job> failed;
      BrokenPoolException broke =
          new BrokenPoolException(
              "the pool is broken: a worker's initializer failed with " + cause, cause);
      lock.lock();
      try {
        failed = breakLocked(broke);
      } finally {
        lock.unlock();
      }
      for (Job job : failed) {
        job.execution.completeExceptionally(broke);
      }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    /**
     * Completes the task that {@code frame} answers. While more answers wait in the buffer, the
     * worker's freed room is refilled only after the last of them, so that a burst of answers is
     * answered with one write of new tasks rather than one write each.
     */
    private void answered(Wire.Frame frame, boolean moreWaiting) throws IOException {
      Job job = inFlight.pollFirst();
      if (job == null || job.id != frame.id()) {
        throw new IOException("protocol out of step: answer for task " + frame.id());
      }
      long now = System.nanoTime();
      Job next = inFlight.peekFirst();
      if (next != null) {
        next.startedAt = now;
      }
      List<Runnable> actions;
      lock.lock();
      try {
        load--;
        job.worker = null;
        double took = now - job.startedAt;
        averageTaskNanos =
            Double.isNaN(averageTaskNanos) ? took : 0.8 * averageTaskNanos + 0.2 * took;
        actions = moreWaiting ? List.of() : dispatchLocked();
      } finally {
        lock.unlock();
      }
      actions.forEach(Runnable::run);
      Execution execution = job.execution;
      if (frame.kind() == Wire.SKIPPED) {
        return;
      }
      Object value;
      try {
        value = Codec.decode(frame.payload(), 0, frame.length());
      } catch (ClassNotFoundException | IOException unreadable) {
        execution.completeExceptionally(unreadable);
        return;
      }
      if (frame.kind() == Wire.RESULT) {
        execution.complete(value);
      } else {
        execution.completeExceptionally((Throwable) value);
      }
    }

    private String describe(int exit) {
      StringBuilder s = new StringBuilder(name);
      Process p = process;
      if (p != null) {
        s.append(" (pid ").append(p.pid()).append(")");
      }
      if (exit > 128 && exit <= 128 + 64) {
        int signal = exit - 128;
        s.append(" was killed by signal ").append(signal).append(signalName(signal));
      } else {
        s.append(" exited with code ").append(exit);
      }
      List<String> tail;
      synchronized (stderrTail) {
        tail = new ArrayList<>(stderrTail);
      }
      for (String line : tail) {
        if (line.contains("OutOfMemoryError")) {
          s.append(": out of memory (").append(line.trim()).append(")");
          return s.toString();
        }
      }
      if (!tail.isEmpty()) {
        s.append("; its last stderr lines:");
        for (String line : tail.subList(Math.max(0, tail.size() - 5), tail.size())) {
          s.append(System.lineSeparator()).append("  ").append(line);
        }
      }
      return s.toString();
    }

    /** Settles what this worker held, and lets the pool replace it. */
    private void died(int exit, String description) {
      if (launch != null && launch.sharing().trainedCache() != null) {
        WorkerCommand.trainingEnded(launch.sharing(), exit == 0);
      }
      List<Job> failedCrash = new ArrayList<>();
      List<Job> failedTimeout = new ArrayList<>();
      List<Job> failedBroken = new ArrayList<>();
      BrokenPoolException broke = null;
      List<Runnable> actions;
      lock.lock();
      try {
        workers.remove(this);
        List<Job> held = new ArrayList<>(inFlight);
        inFlight.clear();
        Job head = held.isEmpty() ? null : held.get(0);
        boolean expected = retiring && exit == 0;
        if (!ready) {
          if (!retiring) {
            failedStartsInARow++;
            boolean refused = exit >= 0 && exit <= 128;
            boolean hopeless =
                refused ? !anyReady || failedStartsInARow >= 3 : failedStartsInARow >= 10;
            if (broken == null && hopeless) {
              broke =
                  new BrokenPoolException(
                      "the pool is broken: a worker process could not start: " + description, null);
              failedBroken.addAll(breakLocked(broke));
            }
          }
        } else if (killReason == 0 && !expected) {
          crashed.incrementAndGet();
        }
        for (int i = held.size() - 1; i >= 0; i--) {
          Job job = held.get(i);
          job.worker = null;
          job.startedAt = 0;
          if (job == head && job == killedFor && killReason == TIMEOUT) {
            failedTimeout.add(job);
          } else if (job == head && job == killedFor && killReason == CANCELLED) {
            continue;
          } else if (job == head && killReason != 0) {
            // Killed for a task that finished as the signal was sent: this one had only begun.
            pending.addFirst(job);
          } else if (job == head && !expected) {
            if (job.attempts < settings.retries()) {
              job.attempts++;
              pending.addFirst(job);
            } else {
              failedCrash.add(job);
            }
          } else {
            pending.addFirst(job);
          }
        }
        if (broken != null) {
          failedBroken.addAll(pending);
          pending.clear();
        }
        actions = dispatchLocked();
        if (workers.isEmpty()) {
          allExited.signalAll();
        }
      } finally {
        lock.unlock();
      }
      actions.forEach(Runnable::run);
      for (Job job : failedTimeout) {
        job.execution.completeExceptionally(
            new TaskTimeoutException(
                "the task ran longer than "
                    + settings.taskTimeout()
                    + "; "
                    + name
                    + " was killed"));
      }
      for (Job job : failedCrash) {
        job.execution.completeExceptionally(new WorkerCrashedException(description));
      }
      RuntimeException cause = broken;
      for (Job job : failedBroken) {
        job.execution.completeExceptionally(cause);
      }
    }
  }

  private static String signalName(int signal) {
    return switch (signal) {
      case 1 -> " (SIGHUP)";
      case 2 -> " (SIGINT)";
      case 3 -> " (SIGQUIT)";
      case 4 -> " (SIGILL)";
      case 6 -> " (SIGABRT)";
      case 7 -> " (SIGBUS)";
      case 8 -> " (SIGFPE)";
      case 9 -> " (SIGKILL)";
      case 11 -> " (SIGSEGV)";
      case 15 -> " (SIGTERM)";
      default -> "";
    };
  }
}
