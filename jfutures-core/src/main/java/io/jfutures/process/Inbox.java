package io.jfutures.process;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

/**
 * The frames a worker has been sent, as its task thread takes them. Stdin is read by whichever
 * thread is free: the task thread itself while it has nothing to run, so that a task arriving at an
 * idle worker starts without a hand-off between threads; and, once a task has run for {@link
 * #TAKEOVER_NANOS}, a standby thread, until the task thread is idle again.
 *
 * <p>The standby keeps two promises that the task thread alone could not. The pool never blocks for
 * good writing to a busy worker, which matters because it writes a worker its next task from the
 * thread that reads the worker's answers: were stdin left unread while a big answer is written,
 * both pipes would fill and both sides wait for ever. And a {@link Wire#SKIP} that arrives while a
 * task runs long is seen before the task it names is taken. A SKIP that names the task running now
 * comes too late to skip it: the pool is told so ({@code begun}), since only the pool can stop a
 * running task, by killing this worker.
 *
 * <p>Invariants, under {@code lock}: at most one thread reads stdin at a time ({@code reader});
 * {@code queued} holds tasks in the order they came; a SKIP's id is in {@code skipped} while its
 * task is queued, until it is taken. {@code turn} and {@code running} are written by the task
 * thread only: {@code turn} is odd while it runs a task, the one whose id {@code running} holds.
 * The pool's answers to the worker's code requests wait in {@code replies}, by request id, for the
 * thread that asked.
 */
final class Inbox {
  /** How long a task runs before the standby starts reading for it. */
  static final long TAKEOVER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /** Idle checks of {@link #TAKEOVER_NANOS} after which the standby sleeps until a task starts. */
  private static final int IDLE_CHECKS_BEFORE_SLEEP = 100;

  private final Wire.Input input;
  private final DataInputStream in;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final ArrayDeque<Wire.Frame> queued = new ArrayDeque<>();
  private final Set<Long> skipped = new HashSet<>();
  private final Map<Long, Wire.Frame> replies = new HashMap<>();
  private final Thread standby;
  private final LongConsumer begun;
  private Thread reader;
  private boolean ended;
  private volatile long turn;
  private volatile long running;
  private volatile boolean standbyAsleep;

  /**
   * Reads {@code input}; {@code begun} is told the id of a running task that a SKIP named, on the
   * thread that read it and without this inbox's lock.
   */
  Inbox(Wire.Input input, LongConsumer begun) {
    this.input = input;
    this.begun = begun;
    this.in = new DataInputStream(input);
    this.standby = new Thread(this::standBy, "jfutures-worker-standby-reader");
    standby.setDaemon(true);
    standby.start();
  }

  /**
   * The next task frame to run, waiting for one; null once stdin has closed and every task sent was
   * taken. Called by the task thread only: between two calls it counts as running a task.
   */
  Wire.Frame next() {
    if ((turn & 1) == 1) {
      turn++;
    }
    lock.lock();
    try {
      while (true) {
        boolean mayRead = reader == null && !ended;
        if (mayRead && (queued.isEmpty() || input.buffered() > 0)) {
          readOne();
          continue;
        }
        Wire.Frame frame = queued.pollFirst();
        if (frame != null) {
          running = frame.id();
          turn++;
          if (standbyAsleep) {
            LockSupport.unpark(standby);
          }
          return frame;
        }
        if (ended) {
          return null;
        }
        arrived.awaitUninterruptibly();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * The pool's answer to code request {@code id}, waiting for it and reading stdin meanwhile if no
   * other thread does; null once stdin has closed without it. Tasks that arrive meanwhile queue.
   */
  Wire.Frame awaitReply(long id) {
    lock.lock();
    try {
      while (true) {
        Wire.Frame reply = replies.remove(id);
        if (reply != null) {
          return reply;
        }
        if (ended) {
          return null;
        }
        if (reader == null) {
          readOne();
        } else {
          arrived.awaitUninterruptibly();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Whether the task of {@code id} was cancelled by a SKIP; forgets it. */
  boolean skip(long id) {
    lock.lock();
    try {
      return skipped.remove(id);
    } finally {
      lock.unlock();
    }
  }

  /** Whether nothing more can be taken without waiting: answers written so far may be flushed. */
  boolean drained() {
    lock.lock();
    try {
      return queued.isEmpty() && (reader != null || input.buffered() == 0);
    } finally {
      lock.unlock();
    }
  }

  /** Reads one frame as {@code reader}, with the lock released while it waits. */
  private void readOne() {
    reader = Thread.currentThread();
    lock.unlock();
    Wire.Frame frame = null;
    boolean tooLate = false;
    try {
      frame = Wire.read(in);
      if (frame.kind() == Wire.SKIP && (turn & 1) == 1 && running == frame.id()) {
        tooLate = true;
        begun.accept(frame.id());
      }
    } catch (IOException closed) {
      // the pool retired this worker, or is gone
    } finally {
      lock.lock();
      reader = null;
    }
    if (frame == null) {
      ended = true;
    } else if (frame.kind() == Wire.SKIP) {
      if (!tooLate && isQueued(frame.id())) {
        skipped.add(frame.id());
      }
    } else if (frame.kind() == Wire.CODE || frame.kind() == Wire.NO_CODE) {
      replies.put(frame.id(), frame);
    } else {
      queued.addLast(frame);
    }
    arrived.signalAll();
  }

  /**
   * Whether the task of {@code id} waits in {@code queued}; a SKIP always follows its task, so one
   * whose task is neither queued nor running names a task already answered.
   */
  private boolean isQueued(long id) {
    for (Wire.Frame frame : queued) {
      if (frame.id() == id) {
        return true;
      }
    }
    return false;
  }

  /** The standby's loop: watch the task thread, and read for it while a task runs long. */
  private void standBy() {
    long watched = -1;
    int idleChecks = 0;
    while (true) {
      long seen = turn;
      if ((seen & 1) == 1 && seen == watched) {
        readWhileBusy();
        continue;
      }
      watched = seen;
      if ((seen & 1) == 1) {
        idleChecks = 0;
      } else if (++idleChecks > IDLE_CHECKS_BEFORE_SLEEP) {
        standbyAsleep = true;
        if (turn == seen) {
          LockSupport.park(this);
        }
        standbyAsleep = false;
        idleChecks = 0;
        continue;
      }
      LockSupport.parkNanos(this, TAKEOVER_NANOS);
    }
  }

  /** Reads frames until the task thread is idle, unless another thread reads or stdin ended. */
  private void readWhileBusy() {
    lock.lock();
    try {
      while (reader == null && !ended && (turn & 1) == 1) {
        readOne();
      }
    } finally {
      lock.unlock();
    }
    if (ended) {
      LockSupport.parkNanos(this, TAKEOVER_NANOS);
    }
  }
}
