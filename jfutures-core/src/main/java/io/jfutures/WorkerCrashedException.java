package io.jfutures;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The worker running a task died before the task finished: it was killed, exited, ran out of memory
 * or crashed. Only the tasks that worker was running fail; the pool starts a replacement.
 *
 * <p>The message is one sentence with what is known; the accessors give the same facts one by one:
 * which worker (a process's name, or a cluster member's address), its exit code or the signal that
 * killed it, the JVM's fatal error log and the frame it names when the JVM itself crashed, the last
 * lines the worker wrote to its stderr, and the limit for which the pool killed it, with the
 * worker's resident memory when that limit was memory. What the pool could not know is empty.
 */
public class WorkerCrashedException extends TaskFailedException {
  private static final long serialVersionUID = 3L;

  /**
   * A limit the pool enforces by killing a worker. (A task that runs past its timeout fails with
   * {@link TaskTimeoutException} instead, and one cancelled with {@code cancel(true)} is cancelled:
   * neither is a crash.)
   */
  public enum Limit {
    /**
     * The worker's resident memory grew far past {@code ProcessPool.Builder.maxWorkerMemory} while
     * the task ran.
     */
    MEMORY
  }

  /**
   * What a pool knows of a worker's end, to build the exception from.
   *
   * @param worker the worker's name, or a cluster member's address; null if unknown
   * @param exitCode the process's exit code; null if it has none (a member, a lost connection)
   * @param signal the signal that ended the process by its name, such as {@code SIGKILL}; or null
   * @param fatalErrorLog the JVM's fatal error log ({@code hs_err_pid*.log}) if it wrote one; or
   *     null
   * @param fatalErrorSummary the frame that log names ({@code # Problematic frame}); or null
   * @param stderrTail the last lines the worker wrote to its stderr, oldest first
   * @param limit the limit for which the pool killed the worker; null if it did not
   * @param residentMemory the worker's resident memory in bytes when last measured; -1 if unknown
   */
  public record Facts(
      String worker,
      Integer exitCode,
      String signal,
      Path fatalErrorLog,
      String fatalErrorSummary,
      List<String> stderrTail,
      Limit limit,
      long residentMemory) {
    public Facts {
      stderrTail = List.copyOf(Objects.requireNonNull(stderrTail, "stderrTail"));
    }

    /** Nothing known beyond a message. */
    public static Facts none() {
      return new Facts(null, null, null, null, null, List.of(), null, -1);
    }
  }

  private final String worker;
  private final Integer exitCode;
  private final String signal;
  private final String fatalErrorLog;
  private final String fatalErrorSummary;
  private final List<String> stderrTail;
  private final Limit limit;
  private final long residentMemory;

  public WorkerCrashedException(String message) {
    this(message, null, Facts.none());
  }

  public WorkerCrashedException(String message, Throwable cause) {
    this(message, cause, Facts.none());
  }

  /** An exception with {@code message} that also tells {@code facts} through its accessors. */
  public WorkerCrashedException(String message, Throwable cause, Facts facts) {
    super(message, cause);
    this.worker = facts.worker();
    this.exitCode = facts.exitCode();
    this.signal = facts.signal();
    this.fatalErrorLog = facts.fatalErrorLog() == null ? null : facts.fatalErrorLog().toString();
    this.fatalErrorSummary = facts.fatalErrorSummary();
    this.stderrTail = List.copyOf(facts.stderrTail());
    this.limit = facts.limit();
    this.residentMemory = facts.residentMemory();
  }

  /** The worker's name, or the cluster member's address. */
  public Optional<String> worker() {
    return Optional.ofNullable(worker);
  }

  /** The process's exit code; a shell's 128 + n when signal n ended it. */
  public OptionalInt exitCode() {
    return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
  }

  /** The signal that ended the process, by name: {@code SIGKILL}, {@code SIGSEGV}, ... */
  public Optional<String> signal() {
    return Optional.ofNullable(signal);
  }

  /** The JVM's fatal error log, when the worker's JVM itself crashed and wrote one. */
  public Optional<Path> fatalErrorLog() {
    return Optional.ofNullable(fatalErrorLog).map(Path::of);
  }

  /** The frame the fatal error log names as the problem: {@code C [libc.so.6+0x...] ...}. */
  public Optional<String> fatalErrorSummary() {
    return Optional.ofNullable(fatalErrorSummary);
  }

  /** The last lines the worker wrote to its stderr, oldest first; empty if none or unknown. */
  public List<String> stderrTail() {
    return stderrTail;
  }

  /** The limit for which the pool killed the worker; empty if the worker died by itself. */
  public Optional<Limit> limit() {
    return Optional.ofNullable(limit);
  }

  /**
   * The worker's resident memory in bytes, the whole process as the operating system counts it,
   * when the pool last measured it; known where the pool watches memory.
   */
  public OptionalLong residentMemory() {
    return residentMemory < 0 ? OptionalLong.empty() : OptionalLong.of(residentMemory);
  }
}
