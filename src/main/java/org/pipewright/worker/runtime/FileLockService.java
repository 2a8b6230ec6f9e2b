package org.pipewright.worker.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.pipewright.sdk.HeldLock;

/**
 * A real cross-process lock: {@code FileChannel.lock} (POSIX {@code fcntl}) on {@code
 * <workspace>/.pipewright/locks/<name>.lock}, so jobs of every worker sharing the workspace exclude
 * each other. It waits by polling {@code tryLock}, which a cancel can interrupt; a blocking {@code
 * lock()} could not be. The file holds the last fencing token, raised by every grant.
 *
 * <p>Not reentrant: {@code fcntl} locks belong to the process, so a second {@code lock("x")} in the
 * same worker is refused rather than granted twice or left waiting for ever.
 */
final class FileLockService implements LockService {

  private static final long MAX_POLL_MS = 20;

  private final Path folder;
  private final Set<String> heldHere = new HashSet<>();

  FileLockService(Path workspaceRoot) {
    this.folder = workspaceRoot.resolve(".pipewright").resolve("locks");
  }

  @Override
  public HeldLock acquire(String name, JobSpec spec) throws InterruptedException {
    if (!LockService.validName(name)) {
      throw new IllegalArgumentException(
          "lock name '" + name + "' is not allowed: use letters, digits, '.', '_' and '-'");
    }
    synchronized (heldHere) {
      if (!heldHere.add(name)) {
        throw new IllegalStateException("lock '" + name + "' is already held by this worker");
      }
    }
    FileChannel channel = null;
    try {
      JobFiles.ensureFolder(folder);
      channel =
          FileChannel.open(
              folder.resolve(name + ".lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      waitFor(channel);
      long token = nextToken(channel);
      return new FileHeldLock(name, token, channel);
    } catch (ClosedByInterruptException e) {
      release(name, channel);
      throw new InterruptedException("interrupted while waiting for lock '" + name + "'");
    } catch (IOException e) {
      release(name, channel);
      throw new UncheckedIOException("lock '" + name + "' could not be taken", e);
    } catch (InterruptedException | RuntimeException e) {
      release(name, channel);
      throw e;
    }
  }

  private static FileLock waitFor(FileChannel channel) throws IOException, InterruptedException {
    long pause = 1;
    while (true) {
      FileLock lock = channel.tryLock();
      if (lock != null) {
        return lock;
      }
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted while waiting for a lock");
      }
      Thread.sleep(pause);
      pause = Math.min(MAX_POLL_MS, pause * 2);
    }
  }

  /** Reads the last token, writes it plus one: the grant's fencing token. */
  private static long nextToken(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(32);
    channel.read(buffer, 0);
    String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
    long last;
    try {
      last = text.isBlank() ? 0 : Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      last = 0;
    }
    long token = last + 1;
    channel.truncate(0);
    channel.write(ByteBuffer.wrap((token + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
    return token;
  }

  private void release(String name, @Nullable FileChannel channel) {
    if (channel != null) {
      try {
        // Closing the channel releases its lock.
        channel.close();
      } catch (IOException e) {
        WorkerLog.warn("could not release lock '" + name + "': " + e.getMessage());
      }
    }
    synchronized (heldHere) {
      heldHere.remove(name);
    }
  }

  private final class FileHeldLock implements HeldLock {
    private final String name;
    private final long token;
    private @Nullable FileChannel channel;

    FileHeldLock(String name, long token, FileChannel channel) {
      this.name = name;
      this.token = token;
      this.channel = channel;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public long token() {
      return token;
    }

    @Override
    public synchronized void close() {
      if (channel != null) {
        release(name, channel);
        channel = null;
      }
    }
  }
}
