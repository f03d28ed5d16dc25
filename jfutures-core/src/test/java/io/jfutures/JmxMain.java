package io.jfutures;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;

/**
 * Makes a pool in a JVM where nothing has started JMX, says whether the pool started it, then
 * starts it as a tool attaching would and reads the pool's MXBean. Run by {@link
 * ObservabilityTest}.
 */
public final class JmxMain {
  private JmxMain() {}

  public static void main(String[] args) throws Exception {
    try (ThreadPool pool = ThreadPool.create(2)) {
      pool.submit(() -> 42).result();
      System.out.println(
          "jmx started by the pool: " + !MBeanServerFactory.findMBeanServer(null).isEmpty());
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      ObjectName name =
          new ObjectName("io.jfutures:type=Pool,name=" + ObjectName.quote(pool.insights().pool()));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!server.isRegistered(name) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      PoolMXBean bean = JMX.newMXBeanProxy(server, name, PoolMXBean.class);
      System.out.println("registered: " + server.isRegistered(name));
      System.out.println("completed: " + bean.getCompleted());
    }
  }
}
