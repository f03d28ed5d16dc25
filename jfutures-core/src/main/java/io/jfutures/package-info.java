/**
 * jfutures: Python's {@code concurrent.futures} for Java.
 *
 * <p>A {@link io.jfutures.Pool} runs {@link io.jfutures.Task}s and returns {@link
 * io.jfutures.TaskFuture}s, which are {@code CompletableFuture}s with Python's {@code result()},
 * {@code exception()} and done-callbacks; {@link io.jfutures.Pool#map} applies an {@link
 * io.jfutures.Fn} to a lazy, possibly endless input and streams the results; {@link
 * io.jfutures.Futures} waits on many futures at once ({@code asCompleted}, {@code waitFor}).
 *
 * <p>{@link io.jfutures.ThreadPool} runs tasks on platform or virtual threads. Tasks, functions and
 * initializers are serializable lambdas, so the same code can run on pools of worker processes or
 * cluster members.
 *
 * <h2>Outcomes</h2>
 *
 * Every submitted task ends in exactly one of: a value, a failure, or a cancellation. A failure is
 * the task's own exception ({@link io.jfutures.TaskFuture#result()} wraps it in {@link
 * io.jfutures.TaskFailedException}), or one of the reasons a task can fail without throwing: {@link
 * io.jfutures.WorkerCrashedException}, {@link io.jfutures.TaskTimeoutException} (both themselves
 * {@code TaskFailedException}s) and {@link io.jfutures.BrokenPoolException}. Waiting too long
 * raises {@link io.jfutures.WaitTimeoutException} and cancels nothing.
 */
package io.jfutures;
