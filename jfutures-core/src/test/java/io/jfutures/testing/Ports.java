package io.jfutures.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Free TCP ports on the loopback address, for members and servers the tests start. */
public final class Ports {
  private Ports() {}

  /** A port that was free a moment ago. */
  public static int free() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * The first of {@code count} consecutive ports that were all free a moment ago, below Linux's
   * ephemeral range, so that no outgoing connection takes one meanwhile.
   */
  public static int freeRun(int count) throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int base = 20_000 + ThreadLocalRandom.current().nextInt(12_000);
      boolean allFree = true;
      for (int i = 0; i < count && allFree; i++) {
        try (ServerSocket probe = new ServerSocket(base + i)) {
          probe.setReuseAddress(true);
        } catch (IOException taken) {
          allFree = false;
        }
      }
      if (allFree) {
        return base;
      }
    }
    throw new IOException("no " + count + " consecutive free ports");
  }
}
