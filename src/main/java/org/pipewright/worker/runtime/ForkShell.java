package org.pipewright.worker.runtime;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A long-lived {@code /bin/sh} that starts shell jobs for the worker. For each job it forks a
 * subshell, which enters the workdir, opens the job's output files, exports the job's variables and
 * runs the command with {@code eval}: the job is what {@code /bin/sh -c} makes of its command, in a
 * process of its own, with the shell's environment (the worker's allow-list) and the job's. A
 * command that may learn {@code $$} or {@code $PPID} gets an exec of {@code /bin/sh -c} instead,
 * since the subshell's are the long-lived shell's and the worker's ({@link #namesItsShell}).
 *
 * <p>Why not {@link ProcessBuilder}: a JVM starts a process through {@code jspawnhelper}, one exec
 * more per job, and on two cores that costs the worker about 0.4 ms of CPU per job, three times
 * what writing a few lines to this shell costs. A fork of a small shell is what shell-job
 * throughput is made of.
 *
 * <p>Its protocol: a script on its stdin per job; on its stdout {@code pid NONCE N} once the job's
 * subshell is about to run it (or {@code fail NONCE reason} when it cannot start), then {@code exit
 * NONCE N}. The nonce, from a secret only this object and the shell's memory hold (and a job in a
 * subshell, a copy of that memory, if it reads its own), keeps a line a job writes to the pipe from
 * passing for the shell's by mistake. Linux only: the subshell learns its own pid from where {@code
 * /proc/self} leads, as dash has no {@code $BASHPID}.
 */
final class ForkShell implements AutoCloseable {

  /** What the reader hands over when the shell's stdout ends: the shell is gone. */
  private static final String ENDED = "\0ended";

  private static final int MAX_LINE = 4096;

  /** See {@link #namesItsShell}. */
  private static final Pattern NAMES_ITS_SHELL =
      Pattern.compile(
          "\\$\\{?#?\\$|PPID|(^|[\\s;&|(){}!`])[\\\\'\"]*(\\.|source|eval)['\"]*($|[\\s;&|()`])");

  private final Process shell;
  private final Writer script;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final String secret = Long.toHexString(new SecureRandom().nextLong());
  private long launches;
  private String nonce = "";
  private volatile boolean ended;

  private ForkShell(Process shell) {
    this.shell = shell;
    this.script = new OutputStreamWriter(shell.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(this::read, "fork-shell-" + shell.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts a shell with exactly this environment, in {@code /}, so that it holds no folder. */
  static ForkShell start(Map<String, String> environment) throws IOException {
    ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-s");
    builder.directory(new File("/"));
    builder.environment().clear();
    builder.environment().putAll(environment);
    // Its own messages (a job killed by a signal, say) are noise; the job's go to the job's files.
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    return new ForkShell(builder.start());
  }

  long pid() {
    return shell.pid();
  }

  ProcessHandle handle() {
    return shell.toHandle();
  }

  /** Runs {@code action} once the shell has ended (on a thread of the JDK's, some time after). */
  void whenEnded(Runnable action) {
    shell.onExit().thenRun(action);
  }

  /** Whether it can start another job: it has not ended, nor been seen to end. */
  boolean usable() {
    return !ended && shell.isAlive();
  }

  /**
   * Starts a job: {@code command} as {@code /bin/sh -c} runs it, in {@code workdir}, stdin from
   * {@code /dev/null}, stdout and stderr into the files (truncated), with {@code exports} added to
   * the environment.
   *
   * @return the job's pid
   * @throws CannotStartException when the job could not start; this shell can take the next one
   * @throws IOException when this shell is gone
   */
  long launch(String command, Path workdir, Path stdout, Path stderr, Map<String, String> exports)
      throws IOException, InterruptedException, CannotStartException {
    // Only this call's lines carry its nonce: the shell's stdout is a pipe a job can reach through
    // /proc/<its parent>/fd/1, and a line of an earlier job (one whose wait was interrupted) may be
    // left.
    nonce = secret + "." + ++launches;
    StringBuilder job = new StringBuilder(320 + command.length());
    // Its own pid, the job's (an exec keeps it): /proc/self is a link to /proc/<pid>, and cd -P
    // resolves it in two system calls. `read p </proc/self/stat` cost 300 (the builtin reads a byte
    // at a time), a tenth of a millisecond per job. What cd says when it fails goes to the shell's
    // stderr, which is discarded: no `2>/dev/null`, which costs an open and five dups.
    job.append("(exec 3>&1 </dev/null\n")
        .append("cd -P /proc/self && pipewright_pid=${PWD#/proc/} || { echo 'fail ")
        .append(nonce)
        .append(" no /proc/self'; exit 1; }\ncd -P -- ")
        .append(quote(workdir.toString()))
        .append(" || { echo 'fail ")
        .append(nonce)
        .append(" cannot enter the workdir'; exit 1; }\n")
        // `command` keeps a failed redirection from ending the subshell before it can say so.
        .append("command exec >")
        .append(quote(stdout.toString()))
        .append(" 2>")
        .append(quote(stderr.toString()))
        .append(" || { echo 'fail ")
        .append(nonce)
        .append(" cannot open its output files' >&3; exit 1; }\n")
        // What cd and a bash as sh would add, which a job started by the JVM did not have.
        .append("unset OLDPWD SHLVL\n");
    for (Map.Entry<String, String> variable : exports.entrySet()) {
      job.append("export ")
          .append(variable.getKey())
          .append('=')
          .append(quote(variable.getValue()))
          .append('\n');
    }
    job.append("echo \"pid ").append(nonce).append(" $pipewright_pid\" >&3\n");
    if (namesItsShell(command)) {
      job.append("unset pipewright_pid\nexec /bin/sh -c ")
          .append(quote(command))
          .append(" 3>&-)\n");
    } else {
      // Without the exec of /bin/sh, which is half of what a quick job's processes cost (dynamic
      // linking, page faults, cpuid traps): the same /bin/sh parses the same text. The subshell is
      // what `/bin/sh -c` starts as but for $- (`s`, cleared), $$ and $PPID (see namesItsShell),
      // and SIGINT: a root shell with -c catches it, waits for its command and then dies of it,
      // where a subshell would die at once, under a command still cleaning up. The trap does that
      // (`command`: the job may define a function called kill).
      job.append("exec 3>&-\ntrap \"trap - INT; command kill -INT $pipewright_pid\" INT\n")
          .append("unset pipewright_pid\nset +s\neval ")
          .append(quote(command))
          .append(")\n");
    }
    job.append("echo \"exit ").append(nonce).append(" $?\"\n");
    try {
      script.write(job.toString());
      script.flush();
    } catch (IOException e) {
      throw new GoneException(gone());
    }
    String first;
    try {
      first = next(-1);
    } catch (IOException e) {
      throw new GoneException(e);
    }
    if (first.startsWith("pid ")) {
      return Long.parseLong(first.substring(4));
    }
    if (first.startsWith("exit ")) {
      throw new CannotStartException("its subshell ended (" + first + ") before it started");
    }
    String reason = first.substring(5);
    awaitExit(-1);
    throw new CannotStartException(reason);
  }

  /**
   * Waits for the job started last to end.
   *
   * @param millis how long at most; negative: as long as it takes
   * @return its exit status (128 + the signal that killed it, as the JDK reports one), or null when
   *     it still runs after {@code millis}
   * @throws IOException when this shell is gone, so its exit status is lost
   */
  @Nullable Integer awaitExit(long millis) throws IOException, InterruptedException {
    String line = next(millis);
    if (line == null) {
      return null;
    }
    if (!line.startsWith("exit ")) {
      throw gone();
    }
    return Integer.parseInt(line.substring(5));
  }

  /**
   * The next line of the job started last, without its nonce; lines without it are skipped.
   *
   * @return null when none came within {@code millis} (negative: no limit)
   * @throws IOException when the shell's stdout ended: the shell is gone
   */
  private @Nullable String next(long millis) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (true) {
      String line;
      if (millis < 0) {
        line = lines.take();
      } else {
        long left = deadline - System.nanoTime();
        line = left <= 0 ? lines.poll() : lines.poll(left, TimeUnit.NANOSECONDS);
        if (line == null) {
          return null;
        }
      }
      if (line.equals(ENDED)) {
        lines.add(ENDED); // for whoever asks next
        throw gone();
      }
      int space = line.indexOf(' ');
      if (space > 0 && line.startsWith(nonce + " ", space + 1)) {
        return line.substring(0, space + 1) + line.substring(space + 2 + nonce.length());
      }
      WorkerLog.warn("ignored a line on the shell's stdout that is not its own: " + line);
    }
  }

  private IOException gone() {
    ended = true;
    return new IOException("the shell that starts jobs (pid " + shell.pid() + ") ended");
  }

  /**
   * Hands over the shell's lines. Byte by byte from the stream's buffer, which refills with one
   * read(2): a Reader's, and a buffered stream's bulk read, ask {@code available()} after each
   * read, two system calls more, four per job. A line keeps its last {@value #MAX_LINE} bytes (the
   * shell's own are under a hundred): a job can write to the shell's stdout, and an endless line
   * must not grow the heap, while the shell's {@code exit} line, which then ends it, must survive.
   */
  private void read() {
    byte[] line = new byte[2 * MAX_LINE];
    int length = 0;
    try (InputStream out = shell.getInputStream()) {
      for (int b = out.read(); b >= 0; b = out.read()) {
        if (b == '\n') {
          int from = Math.max(0, length - MAX_LINE);
          lines.add(new String(line, from, length - from, StandardCharsets.UTF_8));
          length = 0;
          continue;
        }
        if (length == line.length) {
          System.arraycopy(line, MAX_LINE, line, 0, MAX_LINE);
          length = MAX_LINE;
        }
        line[length++] = (byte) b;
      }
    } catch (IOException e) {
      // Gone as well.
    }
    lines.add(ENDED);
  }

  /** Ends the shell: with its stdin closed it exits once the job it runs, if any, has ended. */
  @Override
  public void close() {
    ended = true;
    try {
      script.close();
    } catch (IOException e) {
      shell.destroy();
    }
  }

  /**
   * Whether the command may learn its own pid or its parent's, which only a {@code /bin/sh -c} of
   * its own tells truly: in the subshell {@code $$} is the long-lived shell's, the same for every
   * job it starts (a {@code /tmp/x.$$} a failed job left would be the next one's, and a {@code kill
   * $$} would end the shell), and {@code $PPID} is the worker's. That is the case when its text
   * names them ({@code $$}, {@code ${$}}, {@code ${#$}}, {@code PPID}, joined lines first) or runs
   * text that is not in it ({@code .}, {@code source}, {@code eval}, quoted too). Broad rather than
   * narrow, as a false match ({@code find . -name x}) costs an exec, a missed one a wrong pid; what
   * it cannot see is text the command builds as it runs (a command name in a variable, a trap read
   * from a file), which gets the subshell's {@code $$}.
   */
  static boolean namesItsShell(String command) {
    return NAMES_ITS_SHELL.matcher(command.replace("\\\n", "")).find();
  }

  /** A single-quoted shell word that stands for exactly {@code value}. */
  static String quote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }

  /** The shell was gone before the job started: another shell may start it. */
  static final class GoneException extends IOException {
    GoneException(IOException gone) {
      super(gone.getMessage());
    }
  }

  /** The job could not start, for a reason the shell gave. */
  static final class CannotStartException extends Exception {
    CannotStartException(String reason) {
      super(reason);
    }
  }
}
