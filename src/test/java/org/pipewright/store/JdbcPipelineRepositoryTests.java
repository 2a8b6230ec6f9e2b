package org.pipewright.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.pipewright.pipeline.DefinitionParser;
import org.pipewright.pipeline.PipelineCatalog;
import org.pipewright.pipeline.PipelineCatalog.Registration;
import org.pipewright.pipeline.PipelineNotFoundException;
import org.pipewright.pipeline.PipelineProperties;
import org.pipewright.pipeline.PipelineSummary;
import org.pipewright.pipeline.StoredPipeline;
import org.pipewright.pipeline.VersionInfo;
import org.pipewright.pipeline.VersionNotFoundException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The pipeline catalog against a real H2 database with the Flyway schema. Not transactional: the
 * concurrency rule needs commits that other threads see, so each test uses its own names.
 */
@JdbcTest
@Transactional(propagation = Propagation.NOT_SUPPORTED)
// The catalog checks java: classes against pipewright.pipelines.java-packages.
@EnableConfigurationProperties(PipelineProperties.class)
@Import({
  JdbcPipelineRepository.class,
  PipelineCatalog.class,
  DefinitionParser.class,
  JdbcPipelineRepositoryTests.Time.class
})
class JdbcPipelineRepositoryTests {

  static final Instant NOW = Instant.parse("2025-03-01T10:15:30.123456Z");
  static final AtomicInteger NAMES = new AtomicInteger();

  @TestConfiguration
  static class Time {
    @Bean
    Clock clock() {
      return Clock.fixed(NOW, ZoneOffset.UTC);
    }
  }

  @Autowired PipelineCatalog catalog;
  @Autowired JdbcPipelineRepository repository;

  static String uniqueName() {
    return "pipe-" + NAMES.incrementAndGet();
  }

  static Registration register(PipelineCatalog catalog, String name, String content) {
    return catalog.register(
        name,
        "sha256:" + content,
        "yaml",
        "name: " + name + "\n# " + content,
        "{\"c\":\"" + content + "\"}");
  }

  @Test
  void firstDefinitionIsVersionOneAndKeepsEverythingPosted() {
    String name = uniqueName();

    Registration r = register(catalog, name, "a");

    assertThat(r.created()).isTrue();
    assertThat(r.pipeline())
        .isEqualTo(
            new StoredPipeline(
                name, 1, "sha256:a", "yaml", "name: " + name + "\n# a", "{\"c\":\"a\"}", NOW));
    assertThat(catalog.latest(name)).isEqualTo(r.pipeline());
  }

  @Test
  void changedDefinitionMakesTheNextVersion() {
    String name = uniqueName();
    register(catalog, name, "a");

    Registration second = register(catalog, name, "b");
    Registration third = register(catalog, name, "c");

    assertThat(second.created()).isTrue();
    assertThat(second.pipeline().version()).isEqualTo(2);
    assertThat(third.pipeline().version()).isEqualTo(3);
    assertThat(catalog.latest(name).digest()).isEqualTo("sha256:c");
    assertThat(catalog.version(name, 2).digest()).isEqualTo("sha256:b");
    assertThat(catalog.versions(name)).extracting(VersionInfo::version).containsExactly(1, 2, 3);
  }

  @Test
  void identicalDefinitionIsNotANewVersion() {
    String name = uniqueName();
    register(catalog, name, "a");
    register(catalog, name, "b");

    Registration again = register(catalog, name, "b");

    assertThat(again.created()).isFalse();
    assertThat(again.pipeline().version()).isEqualTo(2);
    assertThat(catalog.versions(name)).hasSize(2);
  }

  @Test
  void returningToAnEarlierDefinitionMakesItTheNewestVersion() {
    String name = uniqueName();
    register(catalog, name, "a");
    register(catalog, name, "b");

    Registration back = register(catalog, name, "a");

    assertThat(back.created()).isTrue();
    assertThat(back.pipeline().version()).isEqualTo(3);
    assertThat(repository.findByDigest(name, "sha256:a")).map(StoredPipeline::version).contains(3);
    assertThat(repository.findByDigest(name, "sha256:zzz")).isEmpty();
  }

  @Test
  void listingShowsEachPipelineWithItsNewestVersion() {
    String first = uniqueName();
    String second = uniqueName();
    register(catalog, first, "a");
    register(catalog, first, "b");
    register(catalog, second, "a");

    List<PipelineSummary> listed =
        catalog.list().stream()
            .filter(s -> s.name().equals(first) || s.name().equals(second))
            .toList();

    assertThat(listed)
        .containsExactlyInAnyOrder(
            new PipelineSummary(first, 2, 2, NOW), new PipelineSummary(second, 1, 1, NOW));
  }

  @Test
  void unknownPipelineOrVersionIsReportedAsSuch() {
    String name = uniqueName();
    register(catalog, name, "a");

    assertThatThrownBy(() -> catalog.latest("no-such-pipeline"))
        .isInstanceOf(PipelineNotFoundException.class);
    assertThatThrownBy(() -> catalog.version("no-such-pipeline", 1))
        .isInstanceOf(PipelineNotFoundException.class);
    assertThatThrownBy(() -> catalog.versions("no-such-pipeline"))
        .isInstanceOf(PipelineNotFoundException.class);
    assertThatThrownBy(() -> catalog.version(name, 7))
        .isInstanceOf(VersionNotFoundException.class)
        .hasMessageContaining("no version 7");
  }

  @Test
  void concurrentDistinctDefinitionsGetDistinctConsecutiveVersions() throws Exception {
    String name = uniqueName();
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Registration>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        String content = "content-" + i;
        Callable<Registration> post =
            () -> {
              start.await();
              return register(catalog, name, content);
            };
        futures.add(pool.submit(post));
      }
      start.countDown();
      List<Integer> versions = new ArrayList<>();
      for (Future<Registration> f : futures) {
        Registration r = f.get();
        assertThat(r.created()).isTrue();
        versions.add(r.pipeline().version());
      }

      assertThat(versions)
          .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, threads).boxed().toList());
      assertThat(catalog.versions(name))
          .extracting(VersionInfo::digest)
          .doesNotHaveDuplicates()
          .hasSize(threads);
      assertThat(catalog.latest(name).version()).isEqualTo(threads);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentIdenticalDefinitionsMakeOneVersion() throws Exception {
    String name = uniqueName();
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Registration>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(
            pool.submit(() -> {
              start.await();
              return register(catalog, name, "same");
            }));
      }
      start.countDown();
      int created = 0;
      for (Future<Registration> f : futures) {
        Registration r = f.get();
        assertThat(r.pipeline().version()).isEqualTo(1);
        created += r.created() ? 1 : 0;
      }

      assertThat(created).isEqualTo(1);
      assertThat(catalog.versions(name)).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void largeDefinitionsRoundTrip() {
    String name = uniqueName();
    String big = "x".repeat(1_100_000);

    catalog.register(name, "sha256:big", "json", big, big);

    assertThat(catalog.latest(name).source()).hasSize(1_100_000);
  }
}
