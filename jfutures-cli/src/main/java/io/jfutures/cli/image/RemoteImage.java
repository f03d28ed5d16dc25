package io.jfutures.cli.image;

import io.jfutures.Task;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An image's bytes on their way to a cluster member, which filters and encodes them and sends the
 * output's bytes back ({@link ImageJob#filter}); the member never touches a file.
 *
 * <p>A member is not killed for one task, and Java cannot stop a thread, so the time limit is kept
 * here: the image runs on a thread of its own, and when {@code timeout} passes the task interrupts
 * that thread and fails with {@link TimedOut} at once. The thread then ends on its own: the input's
 * size and declared pixels were bounded before it started, so its work is too.
 *
 * @param job the image's settings; its paths name files on the machine that runs the command
 * @param data the input's bytes
 * @param timeout how long the image may run on its member; zero for no limit
 */
public record RemoteImage(ImageJob job, byte[] data, Duration timeout)
    implements Task<ImageJob.Filtered>, Serializable {

  /** The image ran past its time limit on its member, which stopped waiting for it. */
  public static final class TimedOut extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TimedOut(Duration timeout) {
      super("the image ran longer than " + timeout + " on its member");
    }
  }

  public RemoteImage {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(timeout, "timeout");
  }

  @Override
  public ImageJob.Filtered call() throws InterruptedException {
    if (!timeout.isPositive()) {
      return job.filter(data);
    }
    FutureTask<ImageJob.Filtered> image = new FutureTask<>(() -> job.filter(data));
    Thread thread = Thread.ofPlatform().daemon().name("jfutures-image " + job).start(image);
    try {
      return image.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      thread.interrupt();
      throw new TimedOut(timeout);
    } catch (InterruptedException e) {
      thread.interrupt();
      throw e;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** The input's file name and the filter, as a pool's insights name a slow image. */
  @Override
  public String toString() {
    return job.toString();
  }
}
