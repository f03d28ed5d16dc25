package io.jfutures;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A thread pool's {@link Pool#asExecutorService} where the JDK expects an executor. The contract
 * suite holds every pool kind's view to {@code ExecutorService}'s rules.
 */
class ExecutorServiceViewTest {

  @Test
  void supplyAsyncOnAThreadPoolsViewRunsOnThePoolsThreads() throws Exception {
    ThreadPool pool = ThreadPool.builder().maxWorkers(2).threadNamePrefix("viewed").build();
    String thread;
    try (pool) {
      thread =
          CompletableFuture.supplyAsync(
                  () -> Thread.currentThread().getName(), pool.asExecutorService())
              .get(60, TimeUnit.SECONDS);
    }

    assertThat(thread).startsWith("viewed");
    // The supplier completes its CompletableFuture inside the task, before the pool counts it.
    assertThat(pool.stats().completed()).isEqualTo(1);
  }

  @Test
  void aCommandGivenToExecuteThatThrowsIsLoggedAsAnUncaughtExceptionWouldBe() throws Exception {
    CountDownLatch logged = new CountDownLatch(1);
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
            logged.countDown();
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger logger = Logger.getLogger("io.jfutures");
    logger.addHandler(capture);
    try (ThreadPool pool = ThreadPool.create(1)) {
      pool.asExecutorService()
          .execute(
              () -> {
                throw new IllegalStateException("thrown in execute");
              });
      assertThat(logged.await(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      logger.removeHandler(capture);
    }
    assertThat(records.get(0).getLevel()).isEqualTo(Level.WARNING);
    assertThat(records.get(0).getThrown()).hasMessage("thrown in execute");
  }

  @Test
  void anHttpClientBuiltWithAVirtualThreadPoolsViewFetchesFromALocalServer() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/hello",
        exchange -> {
          byte[] body = "hello from the server".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    ThreadPool pool = ThreadPool.builder().virtualThreads().build();
    try (pool) {
      ExecutorService view = pool.asExecutorService();
      try (HttpClient client = HttpClient.newBuilder().executor(view).build()) {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hello");
        HttpResponse<String> response =
            client
                .sendAsync(
                    HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                .get(60, TimeUnit.SECONDS);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello from the server");
      }
    } finally {
      server.stop(0);
    }
    assertThat(pool.stats().completed()).as("the client's work ran on the pool").isPositive();
  }
}
