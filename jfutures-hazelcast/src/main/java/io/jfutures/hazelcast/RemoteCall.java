package io.jfutures.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import io.jfutures.Task;
import io.jfutures.codec.Buffer;
import io.jfutures.codec.Codec;
import io.jfutures.remote.Outcome;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.Callable;

/**
 * What a pool sends a member: one task, already encoded by the pool's {@link Codec}, and the
 * program and class loader it came from. The member decodes it with its own class loader (the one
 * its configuration names, where {@code jfutures cluster member --classpath} puts the user's
 * classes) and, for any class that lacks, a {@link MemberClassLoader} that asks the program; runs
 * it on an executor thread and answers with the outcome: one byte, {@link #VALUE} or {@link
 * #FAILURE}, eight with the nanoseconds the task took to decode and run (the pool sizes its
 * dispatches by them), then the value or the exception, encoded the same way.
 *
 * <p>Hazelcast serializes only this carrier and its bytes; the task inside never meets Hazelcast's
 * serialization, so the pool can tell at submit time that a task cannot travel, and a task's
 * exception comes back as its own class or a {@link io.jfutures.RemoteException}.
 */
final class RemoteCall implements Callable<byte[]>, DataSerializable, HazelcastInstanceAware {
  static final byte VALUE = 0;
  static final byte FAILURE = 1;
  static final int HEADER = 1 + Long.BYTES;
  private static final VarHandle RUN_NANOS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private byte[] task;
  private String programId;
  private int loaderId;
  private transient ClassLoader loader;
  private transient HazelcastInstance member;

  /** For Hazelcast, which creates the carrier before reading it. */
  RemoteCall() {}

  /**
   * @param programId the submitting pool's program, which serves the classes a member lacks
   * @param loaderId the number, in that program, of the class loader that defined the task
   */
  RemoteCall(byte[] task, String programId, int loaderId) {
    this.task = task;
    this.programId = programId;
    this.loaderId = loaderId;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeByteArray(task);
    out.writeString(programId);
    out.writeInt(loaderId);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    task = in.readByteArray();
    programId = in.readString();
    loaderId = in.readInt();
    loader = in.getClassLoader();
  }

  @Override
  public void setHazelcastInstance(HazelcastInstance instance) {
    member = instance;
  }

  @Override
  public byte[] call() throws IOException {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    ClassLoader base = loader != null ? loader : RemoteCall.class.getClassLoader();
    thread.setContextClassLoader(
        programId == null || loaderId == 0 || member == null
            ? base
            : MemberClassLoader.of(member, programId, loaderId, base));
    try {
      long start = System.nanoTime();
      Buffer buffer = new Buffer();
      boolean value = Outcome.write(this::run, buffer);
      long took = System.nanoTime() - start;
      byte[] answer = new byte[HEADER + buffer.size()];
      answer[0] = value ? VALUE : FAILURE;
      RUN_NANOS.set(answer, 1, took);
      System.arraycopy(buffer.array(), 0, answer, HEADER, buffer.size());
      return answer;
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private Object run() throws Exception {
    Object decoded;
    try {
      decoded = Codec.decode(task);
    } catch (ClassNotFoundException e) {
      throw new ClassNotFoundException(
          (member == null
                  ? "on this member"
                  : "on member " + ClusterTransport.addressOf(member.getCluster().getLocalMember()))
              + ": "
              + e.getMessage(),
          e);
    }
    return ((Task<?>) decoded).call();
  }

  /** Whether {@code answer} holds what the task threw rather than its value. */
  static boolean isFailure(byte[] answer) {
    return answer[0] == FAILURE;
  }

  /** How long the task of {@code answer} took on its member. */
  static long runNanos(byte[] answer) {
    return (long) RUN_NANOS.get(answer, 1);
  }
}
