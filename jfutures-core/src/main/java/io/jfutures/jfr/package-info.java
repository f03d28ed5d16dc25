/**
 * The pools' Java Flight Recorder events, under the category {@code jfutures}: a recording in JDK
 * Mission Control shows a pool as a timeline of its tasks and workers. An event costs nothing while
 * no recording asks for it: the pools create one only where {@link jdk.jfr.Event#isEnabled()} or
 * {@link jdk.jfr.Event#shouldCommit()} says it is wanted, and a task is described (its {@code
 * toString}) only then.
 */
package io.jfutures.jfr;
