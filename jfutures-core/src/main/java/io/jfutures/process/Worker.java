package io.jfutures.process;

import io.jfutures.BrokenPoolException;
import io.jfutures.WorkerCrashedException;
import io.jfutures.codec.Codec;
import io.jfutures.remote.Dispatch;
import io.jfutures.remote.Ending;
import io.jfutures.remote.Seat;
import io.jfutures.remote.TaskLoaders;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pool's side of one worker process: it starts the JVM, writes its frames, reads its answers on
 * a thread of its own, relays its stderr, and reports to the dispatcher when it is ready, what it
 * answered, and how it died.
 *
 * <p><b>Order.</b> Frames are written under {@code writeLock}, and each task is appended to {@code
 * inFlight} under the same lock as it is written, so {@code inFlight} is in the order the worker
 * reads. The worker runs its tasks in that order and answers each, so the head of {@code inFlight}
 * is the task it is running and only the reader thread removes it. A task is marked started when it
 * becomes the head: as it is written to an idle worker, or as the answer before it is read.
 *
 * <p><b>Memory.</b> Under a memory limit, the worker's resident memory is read after each answer:
 * above the limit, the worker is <em>draining</em>: the dispatcher gives it nothing more, and it is
 * told to skip every task it holds, each of which comes back as skipped (and is requeued) unless
 * the worker had begun it. {@link ProcessTransport}'s sampler reads it while a task runs, and has
 * it killed far above the limit.
 *
 * <p><b>Its processes.</b> The worker's environment carries a {@link ProcessTree} token, so that
 * whatever its tasks start is ended with it: by the worker as it exits when its stdin closes, and
 * by the pool after any other end.
 */
final class Worker {
  /**
   * Answers are decoded before the next is read, so the reader reads them into one array, kept
   * while it is at most this big: a map's chunks then cost the parent no garbage on the wire, and
   * one huge result is not held on to.
   */
  private static final int SPARE_PAYLOAD_LIMIT = 1 << 22;

  /** A task written to the worker and not yet answered, under the id its frames carry. */
  private record Sent(long id, Dispatch dispatch) {}

  private final Seat<Worker> seat;
  private final ProcessTransport transport;
  private final CrashReport report;
  private final ConcurrentLinkedDeque<Sent> inFlight = new ConcurrentLinkedDeque<>();
  private final ReentrantLock writeLock = new ReentrantLock();
  private final String tree = ProcessTree.newToken();
  private long nextId;
  private volatile Process process;
  private volatile boolean draining;
  private volatile boolean retired;
  private volatile List<ProcessHandle> killedTree = List.of();
  private volatile ResidentMemory memory;
  private WorkerCommand.Launch launch;
  private DataOutputStream out;
  private Thread stderrPump;

  Worker(Seat<Worker> seat, ProcessTransport transport) {
    this.seat = seat;
    this.transport = transport;
    this.report = new CrashReport(seat.name());
  }

  void start() {
    seat.attach(this);
    launch = WorkerCommand.build(transport.jvmOptions);
    try {
      ProcessBuilder builder = new ProcessBuilder(launch.command());
      builder.environment().put(ProcessTree.VARIABLE, tree);
      process = builder.start();
    } catch (IOException | RuntimeException e) {
      transport.dispatcher.ended(
          seat, Ending.exited(-1, seat.name() + ": the worker process could not be started: " + e));
      return;
    }
    memory = ResidentMemory.of(process.pid());
    if (transport.memoryLimit > 0) {
      transport.watch(this);
    }
    out = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 1 << 16));
    stderrPump =
        Thread.ofPlatform().daemon(true).name(seat.name() + "-stderr").start(this::pumpStderr);
    Thread.ofPlatform().daemon(true).name(seat.name() + "-reader").start(this::readAnswers);
    writeLock.lock();
    try {
      Wire.write(out, Wire.INIT, seat.number(), transport.initFrame, transport.initFrame.length);
      out.flush();
    } catch (IOException gone) {
      // the reader sees the death and reports it
    } finally {
      writeLock.unlock();
    }
  }

  void send(List<Dispatch> batch) {
    writeLock.lock();
    try {
      for (Dispatch dispatch : batch) {
        if (dispatch.withdrawn()) {
          continue;
        }
        long loader = transport.loaders.idOf(dispatch.loader());
        Sent sent = new Sent(loader << 32 | (nextId++ & 0xFFFF_FFFFL), dispatch);
        inFlight.addLast(sent);
        if (inFlight.peekFirst() == sent) {
          dispatch.markStarted(System.nanoTime());
        }
        byte[] payload = dispatch.payload();
        Wire.write(out, Wire.TASK, sent.id(), payload, payload.length);
        if (draining) {
          // sent as the worker began draining: it comes back skipped
          Wire.write(out, Wire.SKIP, sent.id(), payload, 0);
        }
      }
      out.flush();
    } catch (IOException gone) {
      // the reader sees the death, and the dispatcher settles what the worker held
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Asks the worker to skip {@code dispatch}, if it has not answered it yet; one not yet written is
   * never written, as it is {@linkplain Dispatch#withdrawn withdrawn}.
   */
  void skip(Dispatch dispatch) {
    writeLock.lock();
    try {
      for (Sent sent : inFlight) {
        if (sent.dispatch() == dispatch) {
          Wire.write(out, Wire.SKIP, sent.id(), transport.initFrame, 0);
          out.flush();
          return;
        }
      }
    } catch (IOException gone) {
      // a dead worker skips everything
    } finally {
      writeLock.unlock();
    }
  }

  void kill() {
    try {
      killedTree = process.descendants().toList();
    } catch (RuntimeException unlisted) {
      // the token finds them
    }
    process.destroyForcibly();
  }

  /** No more tasks: closing stdin lets the worker finish and exit. */
  void retire() {
    retired = true;
    writeLock.lock();
    try {
      out.close();
    } catch (IOException alreadyGone) {
      // nothing to close
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
          System.err.println("[" + seat.name() + "] " + line);
        }
        report.stderrLine(line);
      }
    } catch (IOException closed) {
      // the process is gone
    }
  }

  private void readAnswers() {
    Wire.Input answers = new Wire.Input(process.getInputStream());
    DataInputStream in = new DataInputStream(answers);
    try {
      Wire.Frame first =
          Wire.readFirst(in, line -> System.err.println("[" + seat.name() + "] " + line));
      byte[] spare = first.payload();
      while (true) {
        Wire.Frame frame = first != null ? first : Wire.read(in, spare);
        first = null;
        if (frame.length() <= SPARE_PAYLOAD_LIMIT) {
          spare = frame.payload();
        }
        switch (frame.kind()) {
          case Wire.READY -> ready();
          case Wire.INIT_FAILED -> initializerFailed(frame);
          case Wire.RESULT, Wire.FAILURE, Wire.SKIPPED -> answered(frame, answers.buffered() > 0);
          case Wire.CODE_WANTED -> serveCode(frame);
          case Wire.BEGUN -> begun(frame.id());
          default -> throw new IOException("unknown frame kind " + frame.kind());
        }
      }
    } catch (IOException | RuntimeException | OutOfMemoryError endOfWorker) {
      died(endOfWorker);
    }
  }

  /**
   * The worker can take tasks, unless a memory limit is set that it is over already: then no worker
   * could do anything but be replaced, and the pool is broken with the reason.
   */
  private void ready() {
    long limit = transport.memoryLimit;
    if (limit > 0) {
      long used = measure();
      if (used > limit) {
        transport.dispatcher.breakPool(
            new BrokenPoolException(
                "the pool is broken: maxWorkerMemory is "
                    + ResidentMemory.describe(limit)
                    + ", but "
                    + seat.name()
                    + " had "
                    + ResidentMemory.describe(used)
                    + " resident as soon as it started; the limit counts the whole worker JVM"
                    + " (heap, metaspace, code, thread stacks), so allow more",
                null),
            false);
      }
    }
    transport.dispatcher.ready(seat);
  }

  /** The worker's resident memory now, in bytes; -1 if unknown or gone. */
  long measure() {
    ResidentMemory reader = memory;
    if (reader == null) {
      return -1;
    }
    long bytes;
    synchronized (reader) {
      bytes = reader.bytes();
    }
    report.measured(bytes);
    return bytes;
  }

  /**
   * Has the worker killed if a task is running and its resident memory is over {@code threshold}.
   */
  void checkMemoryWhileRunning(long threshold) {
    if (inFlight.isEmpty()) {
      return;
    }
    long used = measure();
    if (used > threshold) {
      report.killedForMemory(used, threshold);
      if (!transport.dispatcher.killForMemory(seat)) {
        report.killedForMemory(used, 0);
      }
    }
  }

  /**
   * The worker is over the memory limit between tasks: it drains, skipping what it holds, and the
   * dispatcher replaces it once it holds nothing.
   */
  private void recycle() {
    draining = true;
    transport.dispatcher.recycleForMemory(seat);
    writeLock.lock();
    try {
      for (Sent sent : inFlight) {
        Wire.write(out, Wire.SKIP, sent.id(), transport.initFrame, 0);
      }
      out.flush();
    } catch (IOException gone) {
      // the reader sees the death
    } finally {
      writeLock.unlock();
    }
  }

  private void initializerFailed(Wire.Frame frame) throws IOException {
    Throwable cause;
    try {
      cause = (Throwable) Codec.decode(frame.payload(), 0, frame.length());
    } catch (ClassNotFoundException e) {
      cause = e;
    }
    transport.dispatcher.breakPool(
        new BrokenPoolException(
            "the pool is broken: a worker's initializer failed with " + cause, cause),
        false);
  }

  /**
   * Answers the worker's request for a class or resource with its bytes, from the pool's loader it
   * names, or with where the pool looked.
   */
  private void serveCode(Wire.Frame frame) throws IOException {
    byte[] payload = frame.payload();
    if (frame.length() < 4) {
      throw new IOException("a code request without a loader");
    }
    int loaderId =
        (payload[0] & 0xFF) << 24
            | (payload[1] & 0xFF) << 16
            | (payload[2] & 0xFF) << 8
            | (payload[3] & 0xFF);
    String name = new String(payload, 4, frame.length() - 4, StandardCharsets.UTF_8);
    ClassLoader loader = transport.loaders.loader(loaderId);
    byte[] bytes;
    String missing;
    try {
      bytes = loader == null ? null : TaskLoaders.read(loader, name);
      missing = bytes == null ? name + " is not in " + TaskLoaders.describe(loader) : null;
    } catch (IOException e) {
      bytes = null;
      missing = name + " could not be read from " + TaskLoaders.describe(loader) + ": " + e;
    }
    byte[] reply = bytes != null ? bytes : missing.getBytes(StandardCharsets.UTF_8);
    writeLock.lock();
    try {
      Wire.write(out, bytes != null ? Wire.CODE : Wire.NO_CODE, frame.id(), reply, reply.length);
      out.flush();
    } catch (IOException gone) {
      // the reader sees the death
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Settles the task that {@code frame} answers. While more answers wait in the buffer, the freed
   * room is refilled only after the last of them, so that a burst of answers is followed by one
   * write of new tasks rather than one write each.
   */
  private void answered(Wire.Frame frame, boolean moreWaiting) throws IOException {
    Sent sent = inFlight.pollFirst();
    if (sent == null || sent.id() != frame.id()) {
      throw new IOException("protocol out of step: answer for task " + frame.id());
    }
    long now = System.nanoTime();
    Sent next = inFlight.peekFirst();
    if (next != null) {
      next.dispatch().markStarted(now);
    }
    Dispatch dispatch = sent.dispatch();
    if (frame.kind() == Wire.SKIPPED) {
      transport.dispatcher.skipped(seat, dispatch);
      return;
    }
    if (transport.memoryLimit > 0 && !draining && measure() > transport.memoryLimit) {
      recycle();
    }
    long took = dispatch.startedAt() == 0 ? -1 : now - dispatch.startedAt();
    if (transport.dispatcher.finished(seat, dispatch, took, -1, !moreWaiting)) {
      dispatch.settle(frame.kind() == Wire.FAILURE, frame.payload(), 0, frame.length());
    }
  }

  /** The worker had begun the task of {@code id} when asked to skip it. */
  private void begun(long id) {
    for (Sent sent : inFlight) {
      if (sent.id() == id) {
        transport.dispatcher.begunBeforeSkip(seat, sent.dispatch());
        return;
      }
    }
  }

  /** The worker is gone, or out of step: learn how it ended, and tell the dispatcher. */
  private void died(Throwable endOfWorker) {
    String stray = null;
    if (endOfWorker instanceof Wire.StrayOutputException e) {
      // A crashing JVM prints its report on stdout: let it finish dying, to learn the signal.
      stray = e.getMessage();
      waitOrKill(2);
    }
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // closing is best effort
    }
    int exit = waitOrKill(5);
    try {
      stderrPump.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (launch.sharing().trainedCache() != null) {
      WorkerCommand.trainingEnded(launch.sharing(), exit == 0);
    }
    inFlight.clear();
    transport.unwatch(this);
    ResidentMemory reader = memory;
    if (reader != null) {
      synchronized (reader) {
        reader.close();
      }
    }
    if (!(retired && exit == 0)) {
      // A worker that exits as asked ends its own tree; any other end leaves it to the pool.
      ProcessTree.end(tree, killedTree);
    }
    WorkerCrashedException.Facts facts = report.facts(process.pid(), exit, launch.errorFolder());
    transport.dispatcher.ended(
        seat, Ending.exited(exit, report.describe(process.pid(), facts, stray), facts));
  }

  /** Waits up to {@code seconds} for the process to exit, then kills it; returns its exit code. */
  private int waitOrKill(int seconds) {
    try {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return -1;
    }
  }
}
