package io.jfutures.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Several {@link RemoteCall}s sent as one request, once the pool's tasks prove short: a member runs
 * them one after another on one executor thread and answers with all their answers, each as {@link
 * RemoteCall#call} makes it. One Hazelcast invocation, response and completion then stand for the
 * whole bundle, where each would otherwise cost more than a short task itself.
 */
final class RemoteBundle implements Callable<byte[][]>, DataSerializable, HazelcastInstanceAware {
  private RemoteCall[] calls;

  /** For Hazelcast, which creates the carrier before reading it. */
  RemoteBundle() {}

  RemoteBundle(List<RemoteCall> calls) {
    this.calls = calls.toArray(RemoteCall[]::new);
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeInt(calls.length);
    for (RemoteCall call : calls) {
      call.writeData(out);
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    int count = in.readInt();
    if (count < 1 || count > 1 << 16) {
      throw new IOException("corrupt bundle: " + count + " calls");
    }
    calls = new RemoteCall[count];
    for (int i = 0; i < count; i++) {
      calls[i] = new RemoteCall();
      calls[i].readData(in);
    }
  }

  @Override
  public void setHazelcastInstance(HazelcastInstance instance) {
    for (RemoteCall call : calls) {
      call.setHazelcastInstance(instance);
    }
  }

  @Override
  public byte[][] call() throws IOException {
    byte[][] answers = new byte[calls.length][];
    for (int i = 0; i < calls.length; i++) {
      answers[i] = calls[i].call();
    }
    return answers;
  }
}
