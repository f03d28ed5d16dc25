package io.jfutures.base;

import java.io.Serializable;

/**
 * What a map {@link Chunk} returns: the results of its first {@code succeeded} inputs, then the
 * failure of the next one if any (the rest did not run), and the time the function took.
 *
 * @param values results, index by index; only the first {@code succeeded} are meaningful
 * @param succeeded how many inputs produced a value
 * @param failure what input {@code succeeded} threw, or null if every input succeeded
 * @param nanos time spent applying the function, for sizing later chunks
 */
public record ChunkResult(Object[] values, int succeeded, Throwable failure, long nanos)
    implements Serializable {}
