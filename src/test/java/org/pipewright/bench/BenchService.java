package org.pipewright.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.pipewright.PipewrightApplication;
import org.pipewright.store.Postgres;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The service as every benchmark runs it: in this JVM, on a fresh H2 file database in a folder of
 * its own, quiet logs, an admin token, driven over HTTP as a user would drive it.
 */
final class BenchService implements AutoCloseable {

  static final String TOKEN = "bench-token";

  final ConfigurableApplicationContext context;
  final String base;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static final String RUN = ".run-";

  private final Path root;

  private BenchService(ConfigurableApplicationContext context, Path root) {
    this.context = context;
    this.root = root;
    this.base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
  }

  /**
   * A new folder for this run, {@code <base>.run-<millis>}, next to those of earlier runs, which
   * {@link #close} deletes once the measuring is over. Why not one folder, emptied: ext4 skips the
   * inodes freed in the last one to five minutes when it allocates new ones in a block group, one
   * inode-table lookup each. After the thousands of files of an earlier run are deleted, each new
   * file in that group costs about 0.4 ms of CPU (2,400 new files a second on this VM, against
   * 30,000 to 45,000 elsewhere on the same disk), and that would be measured as the service's. A
   * folder of a new name, in a parent marked as a top of hierarchy ({@code chattr +T}), is spread
   * by ext4 to a block group picked from its name's hash, away from the last run's.
   */
  static Path freshRoot(Path base) throws Exception {
    spreadChildren(Files.createDirectories(base.toAbsolutePath().getParent()));
    return Files.createDirectories(
        base.toAbsolutePath()
            .resolveSibling(base.getFileName() + RUN + System.currentTimeMillis()));
  }

  /**
   * Starts the service with its database and workspace under {@code root}, a {@link #freshRoot}.
   *
   * @param settings the benchmark's own {@code --property=value} settings, which replace the
   *     defaults of the same name
   */
  static BenchService start(Path root, String... settings) throws Exception {
    List<String> args = new ArrayList<>(database(root));
    // -Dbench.launcher=slurm (the benchmarks' --launcher slurm): workers as SLURM jobs of the
    // cluster .ci/slurm starts, the same two of them.
    String launcher = System.getProperty("bench.launcher", "local");
    System.out.println("launcher: " + launcher);
    args.add("--pipewright.workers.launcher=" + launcher);
    args.addAll(
        List.of(
            "--server.port=0",
            "--pipewright.workspace.root=" + root.resolve("workspace"),
            "--pipewright.security.admin-token=" + TOKEN,
            "--pipewright.locks.socket=" + root.resolve("locks.sock"),
            "--logging.level.root=WARN",
            "--logging.level.org.pipewright=WARN"));
    // A benchmark's own setting replaces its namesake: Spring would join a repeated --name= into a
    // list (launcher "local,none").
    List<String> all = new ArrayList<>(List.of(settings));
    // BENCH_SETTINGS="--name=value ...": to measure the service set up otherwise.
    String extra = System.getenv("BENCH_SETTINGS");
    if (extra != null && !extra.isBlank()) {
      all.addAll(List.of(extra.trim().split("\\s+")));
    }
    for (String setting : all) {
      String name = setting.substring(0, setting.indexOf('=') + 1);
      args.removeIf(arg -> arg.startsWith(name));
      args.add(setting);
    }
    return new BenchService(
        SpringApplication.run(PipewrightApplication.class, args.toArray(String[]::new)), root);
  }

  /**
   * The embedded H2 file by default; with {@code -Dbench.db=postgres} (the benchmarks' {@code --db
   * postgres}), a new database on the PostgreSQL server the tests use, on the postgres profile.
   */
  static List<String> database(Path root) {
    String db = System.getProperty("bench.db", "h2");
    if (db.equals("postgres")) {
      String url = Postgres.freshDatabase("bench");
      System.out.println("database: PostgreSQL, " + url);
      return List.of(
          "--spring.profiles.active=postgres",
          "--spring.datasource.url=" + url,
          "--spring.datasource.username=" + Postgres.USER,
          "--spring.datasource.password=" + Postgres.PASSWORD);
    }
    if (!db.equals("h2")) {
      throw new IllegalArgumentException("--db is h2 or postgres, not " + db);
    }
    System.out.println("database: embedded H2 file");
    return List.of(
        "--spring.datasource.url=jdbc:h2:file:" + root.resolve("db/pipewright") + ";WRITE_DELAY=0");
  }

  /** A request with the admin token, for the caller to finish and send. */
  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + TOKEN);
  }

  <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) throws Exception {
    return http.send(request, body);
  }

  /** Sends a call and returns its body; any answer but 2xx ends the benchmark. */
  String send(String method, String path, String type, String body) throws Exception {
    HttpRequest.Builder request =
        request(path)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (type != null) {
      request.header("Content-Type", type);
    }
    HttpResponse<String> response = send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(method + " " + path + ": " + response.body());
    }
    return response.body();
  }

  String get(String path) throws Exception {
    return send("GET", path, null, null);
  }

  @Override
  public void close() {
    context.close();
    String name = root.getFileName().toString();
    String earlier = name.substring(0, name.lastIndexOf(RUN) + RUN.length());
    try (var siblings = Files.list(root.getParent())) {
      for (Path old :
          siblings
              .filter(p -> p.getFileName().toString().startsWith(earlier) && !p.equals(root))
              .toList()) {
        deleteTree(old);
      }
    } catch (Exception e) {
      System.err.println("could not delete what earlier runs left: " + e);
    }
  }

  /** Best effort: a file system other than ext4, or no chattr, leaves the folder as it is. */
  private static void spreadChildren(Path folder) throws InterruptedException {
    try {
      new ProcessBuilder("chattr", "+T", folder.toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor();
    } catch (IOException e) {
      // no chattr
    }
  }

  static void deleteTree(Path root) throws Exception {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
