package io.jfutures.process;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The worker's side of asking the pool for code: writes a {@link Wire#CODE_WANTED} frame under the
 * worker's writing lock, flushes it, and waits for the answer that its {@link Inbox} sets aside.
 * Any thread may ask; each request has a number of its own.
 */
final class CodeChannel {
  /** What the pool answered: the bytes, or why there are none. */
  record Answer(byte[] bytes, String missing) {}

  private final DataOutputStream out;
  private final ReentrantLock writing;
  private final Inbox inbox;
  private final AtomicLong requests = new AtomicLong();

  CodeChannel(DataOutputStream out, ReentrantLock writing, Inbox inbox) {
    this.out = out;
    this.writing = writing;
    this.inbox = inbox;
  }

  Answer fetch(int loaderId, String name) throws IOException {
    long request = requests.incrementAndGet();
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[4 + nameBytes.length];
    payload[0] = (byte) (loaderId >>> 24);
    payload[1] = (byte) (loaderId >>> 16);
    payload[2] = (byte) (loaderId >>> 8);
    payload[3] = (byte) loaderId;
    System.arraycopy(nameBytes, 0, payload, 4, nameBytes.length);
    writing.lock();
    try {
      Wire.write(out, Wire.CODE_WANTED, request, payload, payload.length);
      out.flush();
    } finally {
      writing.unlock();
    }
    Wire.Frame reply = inbox.awaitReply(request);
    if (reply == null) {
      throw new IOException("the pool closed the worker's input");
    }
    if (reply.kind() == Wire.CODE) {
      byte[] bytes = new byte[reply.length()];
      System.arraycopy(reply.payload(), 0, bytes, 0, reply.length());
      return new Answer(bytes, null);
    }
    return new Answer(null, new String(reply.payload(), 0, reply.length(), StandardCharsets.UTF_8));
  }
}
