package io.jfutures.base;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The chunks of a map that are outstanding, and which one the map hands out next: the oldest
 * ({@link Ordered}), or whichever finished first ({@link Unordered}). Only the consuming thread
 * calls it, except {@link #landed}, which the pool's threads call as chunks finish.
 *
 * @param <C> a chunk in flight
 */
sealed interface MapOrder<C> {
  static <C> MapOrder<C> of(boolean ordered) {
    return ordered ? new Ordered<>() : new Unordered<>();
  }

  void add(C chunk);

  int size();

  /** Whether {@link #landed} must be called as each chunk finishes. */
  boolean needsLandings();

  /** Chunk {@code chunk} finished; called on the pool's thread that finished it. */
  void landed(C chunk);

  /**
   * Takes the next chunk to hand out, or null if none is outstanding. It may not have finished yet
   * when ordered; it has when unordered, waiting for one until {@code deadline} (a {@link
   * System#nanoTime}) if {@code timed}.
   */
  C next(boolean timed, long deadline) throws InterruptedException, TimeoutException;

  /** Takes out every outstanding chunk, for the map to cancel them. */
  List<C> drain();

  /** Oldest first. */
  final class Ordered<C> implements MapOrder<C> {
    private final ArrayDeque<C> chunks = new ArrayDeque<>();

    @Override
    public void add(C chunk) {
      chunks.addLast(chunk);
    }

    @Override
    public int size() {
      return chunks.size();
    }

    @Override
    public boolean needsLandings() {
      return false;
    }

    @Override
    public void landed(C chunk) {}

    @Override
    public C next(boolean timed, long deadline) {
      return chunks.pollFirst();
    }

    @Override
    public List<C> drain() {
      List<C> all = new ArrayList<>(chunks);
      chunks.clear();
      return all;
    }
  }

  /** First finished, first out. */
  final class Unordered<C> implements MapOrder<C> {
    private final Set<C> outstanding = new HashSet<>();
    private final LinkedBlockingQueue<C> landed = new LinkedBlockingQueue<>();

    @Override
    public void add(C chunk) {
      outstanding.add(chunk);
    }

    @Override
    public int size() {
      return outstanding.size();
    }

    @Override
    public boolean needsLandings() {
      return true;
    }

    @Override
    public void landed(C chunk) {
      landed.add(chunk);
    }

    @Override
    public C next(boolean timed, long deadline) throws InterruptedException, TimeoutException {
      if (outstanding.isEmpty()) {
        return null;
      }
      C chunk;
      if (!timed) {
        chunk = landed.take();
      } else {
        chunk = landed.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (chunk == null) {
          throw new TimeoutException();
        }
      }
      outstanding.remove(chunk);
      return chunk;
    }

    @Override
    public List<C> drain() {
      List<C> all = new ArrayList<>(outstanding);
      outstanding.clear();
      landed.clear();
      return all;
    }
  }
}
