package io.jfutures.process;

import io.jfutures.Action;
import io.jfutures.Task;
import io.jfutures.codec.Buffer;
import io.jfutures.codec.Codec;
import io.jfutures.remote.Outcome;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The main class of a worker process. It talks to its pool only through stdin and stdout, in {@link
 * Wire} frames; {@code System.out} is pointed at stderr before any user code runs, so what tasks
 * print reaches the pool's stderr and never the protocol. (A JVM warning goes there too: the pool
 * starts workers with {@code -Xlog} sent to stderr.)
 *
 * <p>The main thread runs tasks one at a time in the order they came, taking them from an {@link
 * Inbox}: it reads stdin itself while it is idle, and a standby thread reads while a task runs
 * long, so that a cancelled task can still be skipped before it starts. It flushes its answers
 * whenever it has nothing more to run, so that a run of short tasks shares writes (a flusher thread
 * sends any answer left in the buffer within a millisecond). The worker exits when stdin closes
 * (the pool retired it) after finishing what it was sent, and at once if the pool's process
 * disappears; either way it first ends every process its tasks started ({@link ProcessTree}).
 */
public final class WorkerMain {
  /**
   * The system property that holds the program's class path when the worker's own holds jfutures
   * alone: the worker reads the program's classes from it through a loader of its own.
   */
  static final String PROGRAM_PATH = "jfutures.worker.program";

  private static final byte[] NOTHING = new byte[0];

  private WorkerMain() {}

  public static void main(String[] args) throws Exception {
    DataOutputStream out =
        new DataOutputStream(
            new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
    PrintStream stderr = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
    System.setOut(stderr);
    System.setErr(stderr);
    Wire.Input input = new Wire.Input(new FileInputStream(FileDescriptor.in));
    watchParent();

    ClassLoader program = programLoader();
    Thread.currentThread().setContextClassLoader(program);
    Wire.Frame init = Wire.read(new DataInputStream(input));
    Buffer buffer = new Buffer();
    try {
      Action initializer = (Action) Codec.decode(init.payload(), 0, init.length());
      if (initializer != null) {
        initializer.run();
      }
    } catch (Throwable t) {
      Codec.write(buffer, t);
      Wire.write(out, Wire.INIT_FAILED, 0, buffer.array(), buffer.size());
      out.flush();
      System.exit(1);
    }
    Wire.write(out, Wire.READY, 0, buffer.array(), 0);
    out.flush();

    ReentrantLock writing = new ReentrantLock();
    Inbox inbox = new Inbox(input, id -> answerBegun(out, writing, id));
    CodeChannel code = new CodeChannel(out, writing, inbox);
    Map<Integer, ClassLoader> loaders = new HashMap<>();
    Thread flusher = startFlusher(out, writing);
    while (true) {
      Wire.Frame frame = inbox.next();
      if (frame == null) {
        writing.lock();
        out.flush();
        endOwnTree();
        System.exit(0);
      }
      buffer.reset();
      byte kind =
          inbox.skip(frame.id())
              ? Wire.SKIPPED
              : run(frame, buffer, loaderOf(frame.id(), loaders, program, code));
      // A task that left its thread interrupted must not spoil the next one's waits.
      Thread.interrupted();
      writing.lock();
      try {
        Wire.write(out, kind, frame.id(), buffer.array(), kind == Wire.SKIPPED ? 0 : buffer.size());
        if (inbox.drained()) {
          out.flush();
          unflushed = false;
        } else if (!unflushed) {
          unflushed = true;
          LockSupport.unpark(flusher);
        }
      } finally {
        writing.unlock();
      }
    }
  }

  /** Tells the pool at once that the task of {@code id} was running when its SKIP came. */
  private static void answerBegun(DataOutputStream out, ReentrantLock writing, long id) {
    writing.lock();
    try {
      Wire.write(out, Wire.BEGUN, id, NOTHING, 0);
      out.flush();
    } catch (IOException gone) {
      // the pool is gone; this worker exits as it notices
    } finally {
      writing.unlock();
    }
  }

  /**
   * Answers are flushed when nothing more is queued, so that a run of short tasks shares writes;
   * this thread flushes within a millisecond whatever is left, so that an answer is never held back
   * while the next task runs for long.
   */
  private static Thread startFlusher(DataOutputStream out, ReentrantLock writing) {
    Thread flusher =
        new Thread(
            () -> {
              while (true) {
                while (!unflushed) {
                  LockSupport.park();
                }
                try {
                  Thread.sleep(1);
                } catch (InterruptedException e) {
                  return;
                }
                writing.lock();
                try {
                  out.flush();
                  unflushed = false;
                } catch (IOException gone) {
                  return;
                } finally {
                  writing.unlock();
                }
              }
            },
            "jfutures-worker-flusher");
    flusher.setDaemon(true);
    flusher.start();
    return flusher;
  }

  /** Whether an answer sits in the buffer; set and cleared under the writing lock. */
  private static volatile boolean unflushed;

  /**
   * The loader of the program's classes on this worker: one over the class path the pool gave it
   * ({@value #PROGRAM_PATH}), whose parent holds jfutures and the JDK; the system loader when the
   * worker was started with the program's class path as its own.
   */
  private static ClassLoader programLoader() throws IOException {
    String path = System.getProperty(PROGRAM_PATH);
    ClassLoader system = ClassLoader.getSystemClassLoader();
    if (path == null || path.isEmpty()) {
      return system;
    }
    List<URL> urls = new ArrayList<>();
    for (String entry : path.split(File.pathSeparator)) {
      urls.add(Path.of(entry).toUri().toURL());
    }
    return new URLClassLoader("jfutures-program", urls.toArray(URL[]::new), system);
  }

  /**
   * The class loader for the task of frame {@code id}, whose upper half numbers the pool's loader
   * that defined the task: a {@link PoolClassLoader} per number, over {@code program}; {@code
   * program} itself for 0.
   */
  private static ClassLoader loaderOf(
      long id, Map<Integer, ClassLoader> loaders, ClassLoader program, CodeChannel code) {
    int loaderId = (int) (id >>> 32);
    if (loaderId == 0) {
      return program;
    }
    return loaders.computeIfAbsent(loaderId, n -> new PoolClassLoader(n, program, code));
  }

  /**
   * Runs a task, its classes resolved through {@code loader}, and encodes its outcome into {@code
   * buffer}; returns RESULT or FAILURE.
   */
  private static byte run(Wire.Frame frame, Buffer buffer, ClassLoader loader) throws IOException {
    Thread thread = Thread.currentThread();
    thread.setContextClassLoader(loader);
    return Outcome.write(
            () -> ((Task<?>) Codec.decode(frame.payload(), 0, frame.length())).call(), buffer)
        ? Wire.RESULT
        : Wire.FAILURE;
  }

  /** Ends every process this worker's tasks started, however detached. */
  private static void endOwnTree() {
    ProcessTree.end(System.getenv(ProcessTree.VARIABLE), List.of());
  }

  /** Halts this worker when the pool's process is gone, even while a task runs. */
  private static void watchParent() {
    ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
    if (parent == null) {
      return;
    }
    Thread watcher =
        new Thread(
            () -> {
              while (parent.isAlive()) {
                try {
                  Thread.sleep(200);
                } catch (InterruptedException e) {
                  return;
                }
              }
              endOwnTree();
              Runtime.getRuntime().halt(0);
            },
            "jfutures-worker-parent-watch");
    watcher.setDaemon(true);
    watcher.start();
  }
}
