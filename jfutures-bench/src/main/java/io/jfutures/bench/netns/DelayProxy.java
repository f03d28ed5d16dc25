package io.jfutures.bench.netns;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy that holds every byte for a fixed time in each direction: the network delay of a
 * link, for a kernel without {@code netem}. Each connection to {@code LISTEN} opens one to {@code
 * TARGET}; each direction is a delay line (a reader stamps what it reads with when it is due, a
 * writer sends it then), so the delay adds to the latency and not to the throughput, and bytes keep
 * their order. An end of stream is passed on, delayed as the bytes before it.
 *
 * <p>Usage: {@code DelayProxy LISTEN_HOST:PORT TARGET_HOST:PORT DELAY_MICROS}.
 */
public final class DelayProxy {
  private DelayProxy() {}

  /** Bytes read at one moment, due at {@code due} (System.nanoTime); null bytes end the stream. */
  private record Piece(long due, byte[] bytes) {}

  public static void main(String[] args) throws IOException {
    InetSocketAddress listen = address(args[0]);
    InetSocketAddress target = address(args[1]);
    long delayNanos = Long.parseLong(args[2]) * 1_000;
    try (ServerSocket server = new ServerSocket()) {
      server.setReuseAddress(true);
      server.bind(listen, 256);
      System.out.println("proxy " + args[0] + " -> " + args[1] + " ready");
      System.out.flush();
      while (true) {
        Socket in = server.accept();
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  try {
                    Socket out = new Socket();
                    out.setTcpNoDelay(true);
                    out.connect(target, 5_000);
                    in.setTcpNoDelay(true);
                    AtomicInteger open = new AtomicInteger(2);
                    line(in, out, delayNanos, open);
                    line(out, in, delayNanos, open);
                  } catch (IOException e) {
                    close(in);
                  }
                });
      }
    }
  }

  /**
   * Starts one direction: bytes from {@code from} reach {@code to} {@code delayNanos} later. The
   * last of a connection's two directions to end closes both sockets ({@code open} counts them).
   */
  private static void line(Socket from, Socket to, long delayNanos, AtomicInteger open) {
    BlockingQueue<Piece> queue = new LinkedBlockingQueue<>();
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              byte[] buffer = new byte[64 * 1024];
              try (InputStream input = from.getInputStream()) {
                int n;
                while ((n = input.read(buffer)) >= 0) {
                  queue.add(new Piece(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)));
                }
              } catch (IOException e) {
                // the connection broke: end this direction
              }
              queue.add(new Piece(System.nanoTime() + delayNanos, null));
            });
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              try {
                OutputStream output = to.getOutputStream();
                while (true) {
                  Piece piece = queue.take();
                  long wait;
                  while ((wait = piece.due() - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                  }
                  if (piece.bytes() == null) {
                    to.shutdownOutput();
                    if (open.decrementAndGet() == 0) {
                      close(from);
                      close(to);
                    }
                    return;
                  }
                  output.write(piece.bytes());
                  output.flush();
                }
              } catch (IOException | InterruptedException e) {
                close(from);
                close(to);
              }
            });
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing what already broke
    }
  }

  private static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return new InetSocketAddress(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }
}
