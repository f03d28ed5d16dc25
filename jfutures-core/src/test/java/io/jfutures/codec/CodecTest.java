package io.jfutures.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jfutures.Fn;
import io.jfutures.RemoteException;
import io.jfutures.Task;
import io.jfutures.base.Chunk;
import io.jfutures.base.ChunkResult;
import io.jfutures.remote.Outcome;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of value the codec writes comes back equal, in this JVM, and every truncation or
 * corruption of its bytes fails with an {@link IOException} (or {@link ClassNotFoundException}),
 * never with what a decoder happened to throw.
 */
class CodecTest {
  record Point(int x, int y) implements Serializable {}

  static Stream<Arguments> values() {
    return Stream.<Object>of(
            0,
            -7,
            Integer.MIN_VALUE,
            Long.MAX_VALUE,
            Math.PI,
            Double.NaN,
            "",
            "héllo, 世界",
            true,
            false,
            new byte[] {1, 2, 3},
            new int[] {1, -2, 3},
            new long[] {Long.MIN_VALUE, 0},
            new double[] {0.5, -0.0},
            new Object[] {1, 2, 3},
            new Object[] {1L, 2L},
            new Object[] {1.5, 2.5},
            new Object[] {"a", "b"},
            new Object[] {1, "mixed", null, new Point(1, 2)},
            new Object[] {},
            new Point(3, 4),
            LocalDate.of(2026, 12, 2),
            List.of(1, 2, 3))
        .map(value -> Arguments.of(value));
  }

  @ParameterizedTest
  @MethodSource("values")
  void everyKindOfValueComesBackEqual(Object value) throws Exception {
    Object back = Codec.decode(Codec.encode(value));
    if (value.getClass().isArray()) {
      assertThat(Arrays.deepEquals(new Object[] {value}, new Object[] {back})).isTrue();
    } else {
      assertThat(back).isEqualTo(value);
    }
  }

  @Test
  void nullComesBackNull() throws Exception {
    assertThat(Codec.decode(Codec.encode(null))).isNull();
  }

  @Test
  void aSerializableLambdaAndItsCapturesComeBackAndRun() throws Exception {
    int offset = 10;
    Fn<Integer, Integer> fn = x -> x + offset;
    @SuppressWarnings("unchecked")
    Fn<Integer, Integer> back = (Fn<Integer, Integer>) Codec.decode(Codec.encode(fn));
    assertThat(back.apply(5)).isEqualTo(15);
  }

  @Test
  void aLambdaCapturingWhatCannotTravelIsRefusedNamingTheClassAndWhereItWasCaptured() {
    Object notSerializable = new Object();
    Task<String> task = () -> notSerializable.toString();
    assertThatThrownBy(() -> Codec.encode(task))
        .isInstanceOf(NotSerializableException.class)
        .hasMessageContaining("java.lang.Object")
        .hasMessageContaining("captured by a lambda in " + CodecTest.class.getName());
  }

  @Test
  void mapChunksAndTheirResultsComeBackWithTheirParts() throws Exception {
    Fn<Integer, Integer> square = x -> x * x;
    Chunk<?, ?> chunk =
        (Chunk<?, ?>) Codec.decode(Codec.encode(new Chunk<>(square, new Object[] {1, 2, 3})));
    assertThat(chunk.inputs()).containsExactly(1, 2, 3);
    ChunkResult result = chunk.call();
    ChunkResult back = (ChunkResult) Codec.decode(Codec.encode(result));
    assertThat(back.values()).containsExactly(1, 4, 9);
    assertThat(back.failure()).isNull();

    ChunkResult failed =
        new ChunkResult(new Object[] {1, 2, null}, 2, new IllegalStateException("third"), 5);
    ChunkResult failedBack = (ChunkResult) Codec.decode(Codec.encode(failed));
    assertThat(failedBack.values()).containsExactly(1, 2);
    assertThat(failedBack.failure()).isInstanceOf(IllegalStateException.class).hasMessage("third");
    assertThat(failedBack.nanos()).isEqualTo(5);
  }

  @Test
  void anExceptionComesBackAsItsOwnClassWithItsStackAndCause() throws Exception {
    IllegalStateException thrown = new IllegalStateException("outer", new ArithmeticException("x"));
    Throwable back = (Throwable) Codec.decode(Codec.encode(thrown));
    assertThat(back).isInstanceOf(IllegalStateException.class).hasMessage("outer");
    assertThat(back.getCause()).isInstanceOf(ArithmeticException.class);
    assertThat(back.getStackTrace()).isEqualTo(thrown.getStackTrace());
  }

  /** An exception whose serialized form cannot be written: it must arrive as a stand-in. */
  static final class Unserializable extends RuntimeException {
    @SuppressWarnings("unused")
    private final transient Object ok = null;

    private final Object notSerializable = new Object();

    Unserializable(String message) {
      super(message);
    }
  }

  @Test
  void anExceptionThatCannotBeSerializedArrivesAsARemoteExceptionWithItsFacts() throws Exception {
    Throwable back = (Throwable) Codec.decode(Codec.encode(new Unserializable("boom")));
    assertThat(back).isInstanceOf(RemoteException.class);
    RemoteException remote = (RemoteException) back;
    assertThat(remote.remoteClassName()).isEqualTo(Unserializable.class.getName());
    assertThat(remote.remoteMessage()).isEqualTo("boom");
    assertThat(remote.remoteStackTrace()).contains("CodecTest");
  }

  @Test
  void anOutcomeIsTheValueOrWhatTheTaskThrewOrWhyTheValueCannotTravel() throws Exception {
    Buffer buffer = new Buffer();
    assertThat(Outcome.write(() -> 42, buffer)).isTrue();
    assertThat(Codec.decode(buffer.array(), 0, buffer.size())).isEqualTo(42);

    Buffer failed = new Buffer();
    assertThat(
            Outcome.write(
                () -> {
                  throw new ArithmeticException("no");
                },
                failed))
        .isFalse();
    assertThat(Codec.decode(failed.array(), 0, failed.size()))
        .isInstanceOf(ArithmeticException.class);

    Buffer unsendable = new Buffer();
    assertThat(Outcome.write(Object::new, unsendable)).isFalse();
    assertThat(Codec.decode(unsendable.array(), 0, unsendable.size()))
        .isInstanceOf(NotSerializableException.class)
        .asString()
        .contains("the task's result");
  }

  @ParameterizedTest
  @MethodSource("values")
  void everyTruncationFailsWithAnIoException(Object value) throws Exception {
    byte[] bytes = Codec.encode(value);
    for (int length = 0; length < bytes.length; length++) {
      int cut = length;
      assertThatThrownBy(() -> Codec.decode(bytes, 0, cut))
          .as("the first %d of %d bytes", cut, bytes.length)
          .isInstanceOfAny(IOException.class, ClassNotFoundException.class);
    }
  }

  @Test
  void anUnknownTagOrALyingLengthFailsWithAnIoExceptionBeforeAllocating() {
    assertThatThrownBy(() -> Codec.decode(new byte[] {99}))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("unknown tag 99");
    // INTS claiming 2^31-1 elements in 4 bytes.
    assertThatThrownBy(() -> Codec.decode(new byte[] {8, 0x7f, -1, -1, -1, 0, 0, 0, 1}))
        .isInstanceOf(IOException.class);
    // OBJECTS inside a chunk claiming more elements than bytes left.
    assertThatThrownBy(() -> Codec.decode(new byte[] {16, 0, 11, 0x7f, -1, -1, -1}))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("corrupt stream");
  }

  @Test
  void everySingleByteCorruptionFailsCleanlyOrDecodesToSomething() throws Exception {
    byte[] bytes = Codec.encode(new Object[] {1, "two", new Point(3, 4), new long[] {5}});
    for (int i = 0; i < bytes.length; i++) {
      for (int flip : new int[] {0x01, 0x80, 0xff}) {
        byte[] corrupt = bytes.clone();
        corrupt[i] ^= (byte) flip;
        try {
          Codec.decode(corrupt);
        } catch (IOException | ClassNotFoundException expected) {
          // a clean refusal
        }
      }
    }
  }
}
