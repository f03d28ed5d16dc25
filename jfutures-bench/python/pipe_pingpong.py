# The operating system's floor under a process pool's round trip: one byte to a child process and
# back through two pipes, two wake-ups per round trip, with nothing else. Usage: python3 pipe_pingpong.py
import os, time
r1, w1 = os.pipe(); r2, w2 = os.pipe()
pid = os.fork()
N = 20000
if pid == 0:
    for _ in range(N):
        os.read(r1, 1); os.write(w2, b'x')
    os._exit(0)
for _ in range(1000):
    os.write(w1, b'x'); os.read(r2, 1)
t = time.perf_counter()
for _ in range(N - 1000):
    os.write(w1, b'x'); os.read(r2, 1)
print("process pipe round trip: %.1f us" % ((time.perf_counter() - t) / (N - 1000) * 1e6))
os.waitpid(pid, 0)
