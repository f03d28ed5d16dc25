package io.jfutures.remote;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The seats of one dispatcher, and the choice among them: the one with the most room takes the next
 * tasks, in turns among equals; a new seat opens only below the limit and while fewer seats are
 * starting than jobs wait. Guarded by its dispatcher's lock; the counts are volatile for the pool's
 * statistics.
 *
 * @param <L> the transport's handle on one worker
 */
final class Seats<L> implements Iterable<Seat<L>> {
  private final String poolName;
  private final int maxTasksPerSeat;
  private final List<Seat<L>> seats = new ArrayList<>();
  private int nextNumber;
  private volatile int joinedWorkers;
  private volatile long ready;

  Seats(String poolName, int maxTasksPerSeat) {
    this.poolName = poolName;
    this.maxTasksPerSeat = maxTasksPerSeat;
  }

  /**
   * The ready seat with the most room, the oldest among equals, so that tasks that come one at a
   * time keep going to the same warm worker; null if none has room.
   */
  Seat<L> freest(int depth) {
    Seat<L> best = null;
    int bestFree = 0;
    for (int i = 0, n = seats.size(); i < n; i++) {
      Seat<L> seat = seats.get(i);
      int free = seat.free(depth, maxTasksPerSeat);
      if (free > bestFree) {
        best = seat;
        bestFree = free;
      }
    }
    return best;
  }

  /** Whether to open a seat: fewer than {@code limit}, and fewer starting than {@code waiting}. */
  boolean mayOpen(int limit, int waiting) {
    if (seats.size() >= limit) {
      return false;
    }
    int starting = 0;
    for (int i = 0, n = seats.size(); i < n; i++) {
      starting += seats.get(i).ready ? 0 : 1;
    }
    return starting < waiting;
  }

  /** A new seat of one worker, which its transport is to start. */
  Seat<L> open() {
    Seat<L> seat = new Seat<>(nextNumber, poolName + "-worker-" + nextNumber, 1, null, false);
    nextNumber++;
    seats.add(seat);
    return seat;
  }

  /** A new seat for a worker that came by itself, ready at once. */
  Seat<L> join(L link, String name, int workers) {
    Seat<L> seat = new Seat<>(nextNumber++, name, workers, link, true);
    seats.add(seat);
    joinedWorkers += workers;
    markReady(seat);
    return seat;
  }

  void markReady(Seat<L> seat) {
    seat.ready = true;
    ready++;
  }

  /** Takes {@code seat} out; false if it was out already. */
  boolean remove(Seat<L> seat) {
    if (!seats.remove(seat)) {
      return false;
    }
    if (seat.joined) {
      joinedWorkers -= seat.workers;
    }
    return true;
  }

  /** Takes every seat out. */
  void clear() {
    seats.clear();
    joinedWorkers = 0;
  }

  boolean contains(Seat<L> seat) {
    return seats.contains(seat);
  }

  boolean isEmpty() {
    return seats.isEmpty();
  }

  int size() {
    return seats.size();
  }

  /** The seat at {@code index}, oldest first: for loops on every dispatch, without an iterator. */
  Seat<L> get(int index) {
    return seats.get(index);
  }

  /** Whether {@code seat} has taken all the tasks a seat may take. */
  boolean spent(Seat<L> seat) {
    return seat.spent(maxTasksPerSeat);
  }

  /** The workers of the seats that joined by themselves. */
  int joinedWorkers() {
    return joinedWorkers;
  }

  /** How many seats have become ready, ever. */
  long everReady() {
    return ready;
  }

  @Override
  public Iterator<Seat<L>> iterator() {
    return seats.iterator();
  }
}
