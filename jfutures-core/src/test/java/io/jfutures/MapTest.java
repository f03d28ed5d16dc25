package io.jfutures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pool.map: laziness, order, bounded memory, chunking, failure, cancellation, progress. */
class MapTest {
  private final ThreadPool pool = ThreadPool.create(2);

  @AfterEach
  void tearDown() {
    pool.shutdown(true, true);
  }

  /** Inputs 0..n-1 that count how many were pulled. */
  private static final class CountingInputs implements Iterable<Integer> {
    final AtomicLong pulled = new AtomicLong();
    final int n;

    CountingInputs(int n) {
      this.n = n;
    }

    @Override
    public Iterator<Integer> iterator() {
      return new Iterator<>() {
        int next;

        @Override
        public boolean hasNext() {
          return next < n;
        }

        @Override
        public Integer next() {
          pulled.incrementAndGet();
          return next++;
        }
      };
    }
  }

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().toList();
  }

  @Test
  void mapReturnsResultsInInputOrder() {
    List<Integer> squares = pool.map((Integer x) -> x * x, range(10_000)).toList();
    assertThat(squares).containsExactlyElementsOf(range(10_000).stream().map(x -> x * x).toList());
  }

  @Test
  void orderIsKeptWhenEarlyInputsAreSlow() {
    List<Integer> out =
        pool.map(
                (Integer x) -> {
                  Thread.sleep(x < 3 ? 30 : 0);
                  return x;
                },
                range(20),
                MapOptions.defaults().chunkSize(1))
            .toList();
    assertThat(out).containsExactlyElementsOf(range(20));
  }

  @Test
  void unorderedYieldsResultsAsTheyComplete() {
    CountDownLatch othersSeen = new CountDownLatch(1);
    Iterator<Integer> it =
        pool.map(
                (Integer x) -> {
                  if (x == 0) {
                    othersSeen.await();
                  }
                  return x;
                },
                range(5),
                MapOptions.defaults().chunkSize(1).bufferSize(5).unordered())
            .iterator();
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      out.add(it.next());
    }
    assertThat(out).containsExactlyInAnyOrder(1, 2, 3, 4);
    othersSeen.countDown();
    assertThat(it.next()).isZero();
    assertThat(it.hasNext()).isFalse();
  }

  @Test
  void nothingIsSubmittedOrPulledUntilTheStreamIsConsumed() {
    CountingInputs inputs = new CountingInputs(100);
    Stream<Integer> results = pool.map((Integer x) -> x + 1, inputs);
    assertThat(inputs.pulled).hasValue(0);
    assertThat(pool.stats().submitted()).isZero();
    assertThat(results.toList()).hasSize(100);
    assertThat(pool.stats().submitted()).isEqualTo(100);
    assertThat(pool.stats().completed()).isEqualTo(100);
  }

  @Test
  void inputsArePulledOnlyAsFarAsTheBufferAllows() {
    CountingInputs inputs = new CountingInputs(1_000_000);
    int chunk = 10;
    int buffer = 3;
    Iterator<Integer> it =
        pool.map(
                (Integer x) -> x, inputs, MapOptions.defaults().chunkSize(chunk).bufferSize(buffer))
            .iterator();
    long consumed = 0;
    long worstAhead = 0;
    for (int i = 0; i < 5_000; i++) {
      it.next();
      consumed++;
      worstAhead = Math.max(worstAhead, inputs.pulled.get() - consumed);
    }
    assertThat(worstAhead).isLessThanOrEqualTo((long) chunk * buffer);
  }

  @Test
  void aFailedElementThrowsWhenReachedAndCancelsTheRest() {
    CountingInputs inputs = new CountingInputs(1_000);
    AtomicInteger calls = new AtomicInteger();
    Iterator<Integer> it =
        pool.map(
                (Integer x) -> {
                  calls.incrementAndGet();
                  if (x == 3) {
                    throw new IllegalArgumentException("Bad number!");
                  }
                  return x * 2;
                },
                inputs,
                MapOptions.defaults().chunkSize(1).bufferSize(4))
            .iterator();
    List<Integer> got = new ArrayList<>();
    assertThatThrownBy(
            () -> {
              while (it.hasNext()) {
                got.add(it.next());
              }
            })
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("#3")
        .cause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Bad number!");
    assertThat(got).containsExactly(0, 2, 4);
    assertThat(inputs.pulled.get()).isLessThanOrEqualTo(3 + 4 + 1);
    pool.shutdown(true, false);
    assertThat(calls.get()).isLessThanOrEqualTo(3 + 4 + 1);
  }

  @Test
  void aFailureInsideAChunkDeliversTheValuesBeforeIt() {
    List<Integer> got = new ArrayList<>();
    assertThatThrownBy(
            () ->
                pool.map(
                        (Integer x) -> {
                          if (x == 25) {
                            throw new IllegalStateException("at 25");
                          }
                          return x;
                        },
                        range(100),
                        MapOptions.defaults().chunkSize(10))
                    .forEach(got::add))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("#25");
    assertThat(got).containsExactlyElementsOf(range(25));
  }

  @Test
  void unorderedFailureAlsoThrows() {
    assertThatThrownBy(
            () ->
                pool.map(
                        (Integer x) -> {
                          if (x == 7) {
                            throw new IllegalStateException("seven");
                          }
                          return x;
                        },
                        range(50),
                        MapOptions.defaults().unordered())
                    .toList())
        .isInstanceOf(TaskFailedException.class)
        .cause()
        .hasMessage("seven");
  }

  @Test
  void closingTheStreamCancelsWhatIsPendingAndClosesTheInputStream() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean inputsClosed = new AtomicBoolean();
    Stream<Integer> inputs = Stream.iterate(0, i -> i + 1).onClose(() -> inputsClosed.set(true));
    Stream<Integer> results =
        pool.map(
            (Integer x) -> {
              if (x > 0) {
                release.await();
              }
              return x;
            },
            inputs,
            MapOptions.defaults().chunkSize(1).bufferSize(6));
    Iterator<Integer> it = results.iterator();
    assertThat(it.next()).isZero();
    results.close();
    assertThat(inputsClosed).isTrue();
    PoolStats stats = pool.stats();
    assertThat(stats.queued()).isZero();
    assertThat(stats.cancelled()).isGreaterThanOrEqualTo(6 - 2 - 1);
    release.countDown();
  }

  @Test
  void aShortCircuitingTerminalOperationCancelsWhatIsPending() {
    CountDownLatch release = new CountDownLatch(1);
    ThreadPool single = ThreadPool.create(1);
    ConcurrentHashMap<Integer, Boolean> ran = new ConcurrentHashMap<>();
    try {
      Integer first =
          single
              .map(
                  (Integer x) -> {
                    ran.put(x, true);
                    return x;
                  },
                  range(1_000),
                  MapOptions.defaults().chunkSize(1).bufferSize(8))
              .filter(x -> x >= 2)
              .findFirst()
              .orElseThrow();
      assertThat(first).isEqualTo(2);
      single.shutdown(true, false);
      assertThat(single.stats().queued()).isZero();
      assertThat(ran.size()).isLessThan(1_000);
      assertThat(single.stats().submitted()).isLessThanOrEqualTo(3 + 8);
    } finally {
      release.countDown();
      single.shutdown(true, true);
    }
  }

  @Test
  void timeoutIsCountedFromTheCallAndCancelsWhatIsPending() {
    CountDownLatch release = new CountDownLatch(1);
    try {
      Stream<Integer> results =
          pool.map(
              (Integer x) -> {
                release.await();
                return x;
              },
              range(100),
              MapOptions.defaults().chunkSize(1).bufferSize(10).timeout(Duration.ofMillis(100)));
      assertThatThrownBy(results::toList)
          .isInstanceOf(WaitTimeoutException.class)
          .hasMessageContaining("PT0.1S");
      assertThat(pool.stats().queued()).isZero();
      assertThat(pool.stats().cancelled()).isEqualTo(8);
    } finally {
      release.countDown();
    }
  }

  @Test
  void anEndlessInputWorks() {
    List<Long> firstThousand =
        pool.map((Long x) -> x * 2, Stream.iterate(0L, i -> i + 1), MapOptions.defaults())
            .limit(1_000)
            .toList();
    assertThat(firstThousand).hasSize(1_000);
    assertThat(firstThousand.get(999)).isEqualTo(1998L);
  }

  @Test
  void progressIsReportedAsResultsLandWithTheTotalWhenKnown() {
    List<long[]> calls = Collections.synchronizedList(new ArrayList<>());
    pool.map(
            (Integer x) -> x,
            range(1_000),
            MapOptions.defaults()
                .chunkSize(7)
                .onProgress((done, total) -> calls.add(new long[] {done, total})))
        .toList();
    assertThat(calls).isNotEmpty();
    long previous = 0;
    for (long[] call : calls) {
      assertThat(call[0]).isGreaterThan(previous);
      assertThat(call[1]).isEqualTo(1_000);
      previous = call[0];
    }
    assertThat(previous).isEqualTo(1_000);
  }

  @Test
  void aSlowProgressListenerHasSeenEveryResultBeforeTheStreamEnds() {
    AtomicLong seen = new AtomicLong();
    List<Integer> results =
        pool.map(
                (Integer x) -> x,
                range(200),
                MapOptions.defaults()
                    .chunkSize(1)
                    .onProgress(
                        (done, total) -> {
                          LockSupport.parkNanos(200_000);
                          seen.set(done);
                        }))
            .toList();
    assertThat(results).hasSize(200);
    assertThat(seen).hasValue(200);
  }

  @Test
  void progressTotalIsMinusOneWhenUnknown() {
    List<Long> totals = Collections.synchronizedList(new ArrayList<>());
    pool.map(
            (Integer x) -> x,
            Stream.iterate(0, i -> i < 100, i -> i + 1),
            MapOptions.defaults().onProgress((done, total) -> totals.add(total)))
        .toList();
    assertThat(totals).isNotEmpty().containsOnly(-1L);
  }

  @Test
  void aThrowingProgressListenerDoesNotBreakTheMap() {
    List<Integer> out =
        pool.map(
                (Integer x) -> x,
                range(100),
                MapOptions.defaults()
                    .onProgress(
                        (done, total) -> {
                          throw new IllegalStateException("listener boom");
                        }))
            .toList();
    assertThat(out).containsExactlyElementsOf(range(100));
  }

  @Test
  void invalidOptionsAreRejectedWithTheOptionsName() {
    assertThatThrownBy(() -> MapOptions.defaults().chunkSize(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chunkSize");
    assertThatThrownBy(() -> MapOptions.defaults().bufferSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bufferSize");
    assertThatThrownBy(() -> MapOptions.defaults().timeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout");
  }

  @Test
  void aStreamConsumedAfterShutdownIsRejected() {
    Stream<Integer> results = pool.map((Integer x) -> x, range(10));
    pool.shutdown(true, false);
    assertThatThrownBy(results::toList).isInstanceOf(RejectedExecutionException.class);
  }

  @Test
  void countRunsEveryTaskEvenWhenTheSizeIsKnown() {
    AtomicInteger calls = new AtomicInteger();
    long count = pool.map((Integer x) -> calls.incrementAndGet(), range(1_000)).count();
    assertThat(count).isEqualTo(1_000);
    assertThat(calls).hasValue(1_000);
    assertThat(pool.map((Integer x) -> calls.incrementAndGet(), range(10)).skip(3).count())
        .isEqualTo(7);
    assertThat(calls).hasValue(1_010);
  }

  @Test
  void aCollectionInputGivesASizedStream() {
    assertThat(pool.map((Integer x) -> x, range(100)).spliterator().getExactSizeIfKnown())
        .isEqualTo(100);
    assertThat(pool.map((Integer x) -> x, new java.util.HashSet<>(range(50))).toList()).hasSize(50);
    assertThat(
            pool.map((Integer x) -> x, new java.util.LinkedList<>(range(50)))
                .toArray(Integer[]::new))
        .containsExactly(range(50).toArray(Integer[]::new));
  }

  @Test
  void emptyInputsAndNullResults() {
    assertThat(pool.map((Integer x) -> x, List.<Integer>of()).toList()).isEmpty();
    assertThat(pool.map((Integer x) -> (String) null, range(3)).toList())
        .containsExactly(null, null, null);
  }

  @Test
  void aHundredMillionInputsInConstantMemory() {
    long n = 100_000_000L;
    AtomicLong produced = new AtomicLong();
    Stream<Long> inputs =
        Stream.iterate(0L, i -> i < n, i -> i + 1).peek(x -> produced.incrementAndGet());
    Iterator<Long> it = pool.map((Long x) -> x + 1, inputs, MapOptions.defaults()).iterator();
    long consumed = 0;
    long sum = 0;
    long worstAhead = 0;
    while (it.hasNext()) {
      sum += it.next();
      consumed++;
      if ((consumed & 0xFFFF) == 0) {
        worstAhead = Math.max(worstAhead, produced.get() - consumed);
      }
    }
    assertThat(consumed).isEqualTo(n);
    assertThat(sum).isEqualTo(n * (n + 1) / 2);
    // What is held at once is a few chunks, never a meaningful part of the input.
    assertThat(worstAhead).isLessThan(2_000_000);
  }
}
