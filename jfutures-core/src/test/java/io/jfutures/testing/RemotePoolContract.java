package io.jfutures.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jfutures.Pool;
import io.jfutures.RemoteException;
import io.jfutures.TaskFuture;
import java.io.NotSerializableException;
import java.io.Serializable;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What a pool whose tasks run in another JVM adds to the {@link PoolContract}: tasks, values and
 * exceptions travel, and what cannot travel fails only its own future, saying why.
 */
public abstract class RemotePoolContract extends PoolContract {
  /** An exception that cannot be serialized, because of a field. */
  static final class Unsendable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("unused")
    private final transient Object fine = new Object();

    @SuppressWarnings("unused")
    private final Object notSerializable = new Object();

    Unsendable(String message) {
      super(message);
    }
  }

  /** Not serializable. */
  static final class Handle {
    int value = 5;
  }

  @Test
  void anExceptionThatCannotTravelArrivesAsARemoteExceptionWithItsFacts() {
    try (Pool pool = newPool(1)) {
      Throwable e =
          pool.submit(
                  () -> {
                    throw new Unsendable("kept as text");
                  })
              .exception();
      assertThat(e).isInstanceOf(RemoteException.class);
      RemoteException remote = (RemoteException) e;
      assertThat(remote.remoteClassName()).isEqualTo(Unsendable.class.getName());
      assertThat(remote.remoteMessage()).isEqualTo("kept as text");
      assertThat(remote.remoteStackTrace()).contains("Unsendable: kept as text");
    }
  }

  @Test
  void anUnserializableCaptureFailsOnlyThatFutureAndNamesTheClass() {
    try (Pool pool = newPool(1)) {
      Handle handle = new Handle();
      TaskFuture<Integer> f = pool.submit(() -> handle.value);
      assertThat(f.exception())
          .isInstanceOf(NotSerializableException.class)
          .hasMessageContaining(Handle.class.getName());
      assertThat(pool.submit(() -> 1).result()).isEqualTo(1);
    }
  }

  @Test
  void anUnserializableResultFailsOnlyThatFutureAndNamesTheClass() {
    try (Pool pool = newPool(1)) {
      TaskFuture<Handle> f = pool.submit(Handle::new);
      assertThat(f.exception())
          .isInstanceOf(NotSerializableException.class)
          .hasMessageContaining(Handle.class.getName());
      assertThat(pool.submit(() -> 2).result()).isEqualTo(2);
    }
  }

  @Test
  void theViewFailsATaskThatCannotTravelAloneAndExecuteRefusesItSayingWhy() throws Exception {
    try (Pool pool = newPool(1)) {
      ExecutorService view = pool.asExecutorService();
      Handle handle = new Handle();

      Future<Integer> captured = view.submit((Callable<Integer> & Serializable) () -> handle.value);
      assertThat(captured.isDone()).isTrue();
      assertThatThrownBy(captured::get)
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(NotSerializableException.class)
          .hasMessageContaining(Handle.class.getName());
      Runnable plain = () -> {};
      Future<?> unserializable = view.submit(plain);
      assertThatThrownBy(unserializable::get)
          .cause()
          .isInstanceOf(NotSerializableException.class)
          .hasMessageContaining(plain.getClass().getName());
      assertThatThrownBy(() -> view.execute((Runnable & Serializable) () -> handle.value++))
          .isInstanceOf(RejectedExecutionException.class)
          .hasMessageContaining(Handle.class.getName());

      assertThat(view.submit((Callable<Integer> & Serializable) () -> 4).get()).isEqualTo(4);
    }
  }

  @Test
  void supplyAsyncOnTheViewIsRefusedBecauseTheJdksOwnTaskCannotTravel() throws Exception {
    try (Pool pool = newPool(1)) {
      ExecutorService view = pool.asExecutorService();
      assertThatThrownBy(
              () -> CompletableFuture.supplyAsync((Supplier<Integer> & Serializable) () -> 1, view))
          .isInstanceOf(RejectedExecutionException.class)
          .hasMessageContaining("CompletableFuture$AsyncSupply");
      assertThat(pool.submit(() -> 1).get()).isEqualTo(1);
    }
  }
}
