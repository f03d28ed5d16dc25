package io.jfutures;

/**
 * A program that submits work and returns from {@code main} without closing its pool. Run in a
 * child JVM by {@link ForgetfulMainTest}; prints one line per finished task.
 */
public final class ForgetfulMain {
  private ForgetfulMain() {}

  public static void main(String[] args) {
    Pool pool = "virtual".equals(args[0]) ? ThreadPool.virtual() : ThreadPool.create(2);
    for (int i = 0; i < 6; i++) {
      int n = i;
      pool.submit(
          () -> {
            Thread.sleep(150);
            System.out.println("done " + n);
            return n;
          });
    }
    System.out.println("main returns");
  }
}
